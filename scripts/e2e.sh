#!/usr/bin/env bash
# The end-to-end run: the function under `cargo lambda watch` against the DynamoDB Local that
# AWS_ENDPOINT_URL_DYNAMODB points at, reading its pepper and signing keys from moto's Secrets
# Manager, driven by the README's curl walkthrough (verbatim, on a free port), by
# scripts/e2e_mfa.py (TOTP with pyotp as the authenticator app), scripts/e2e_events.py (the
# account events as the EventBridge Pipe would publish them, from the table's stream),
# scripts/e2e_admin.py (the admin routes refused without an IAM context and driven by
# `make admin` with one; one's own sessions listed and revoked), by `make invoke` with every
# file in events/, and by PyJWT verifying its tokens. The signing keys and the pepper
# are rotated and a second instance started: each instance must accept the other's tokens, and
# hashes move to the new pepper as their accounts sign in (scripts/e2e_pepper.py); the current
# key is revoked and the instance restarted, which then refuses its tokens (the scripts' own
# guards and revocation are checked against moto by scripts/e2e_secrets.py, and
# scripts/totp_key.py's ensure, status, rotate and retire by scripts/e2e_totp_key.py). Then the
# function's own log is searched for secrets, and `make run` itself is checked by
# scripts/e2e_run.sh.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_local_aws
ensure_cargo_lambda
ensure_moto
[ -n "${AWS_ENDPOINT_URL_DYNAMODB:-}" ] || die "AWS_ENDPOINT_URL_DYNAMODB must point at DynamoDB Local"

say "checking that the function refuses to start without a pepper outside local development"
if output=$(env -u PASSWORD_PEPPER -u PASSWORD_PEPPER_SECRET_ID APP_ENV=production TABLE_NAME=any \
    timeout 300 cargo run --quiet 2>&1); then
  die "the function started without a pepper"
fi
grep -q 'refusing to start' <<<"$output" || die "no startup error was logged: $output"

say "checking that the function refuses to start when Argon2 would need more memory than it has"
if output=$(env AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128 ARGON2_PARAMS=m=65536,t=1,p=1 APP_ENV=local \
    TABLE_NAME=any timeout 300 cargo run --quiet 2>&1); then
  die "the function started with an Argon2 cost above its memory"
fi
grep -q 'ARGON2_PARAMS asks for 65536 KiB per hash, more than the 32768 KiB' <<<"$output" \
  || die "no clear startup error about the memory: $output"

export TABLE_NAME="e2e-$(date +%s)-$$"
create_table

WORK=$(mktemp -d)
PORT=$(free_port)
WATCH_PID="" SECOND_PID="" BURST_PID="" MOTO_PID="" GATEWAY_PID="" VIEWER_PID=""
trap 'stop "$WATCH_PID" "$SECOND_PID" "$BURST_PID" "$MOTO_PID" "$GATEWAY_PID" "$VIEWER_PID"; rm -rf "$WORK"' EXIT

# The secrets come from Secrets Manager (moto), as when deployed: this is the end-to-end test of
# both secret paths. APP_ENV=local only because the issuer is plain http on loopback.
# MOTO_PORT, exported: the walkthrough's `make mail-code` reads this moto's mailbox.
export MOTO_PORT
MOTO_PORT=$(free_port)
start_moto "$MOTO_PORT"
export E2E_PEPPER="e2e-pepper-that-must-never-appear-in-any-log"
export E2E_SESSION_KEY="e2e-session-key-that-must-never-appear-in-any-log"
export E2E_TOTP_KEY="e2e-totp-key-that-must-never-appear-in-any-log"
export PASSWORD_PEPPER_SECRET_ID=e2e/pepper SIGNING_KEYS_SECRET_ID=e2e/signing-keys
export SESSION_KEY_SECRET_ID=e2e/session-key TOTP_KEY_SECRET_ID=e2e/totp-key
"$MOTO_PYTHON" -c 'import boto3, os
client = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"])
client.create_secret(Name=os.environ["PASSWORD_PEPPER_SECRET_ID"], SecretString=os.environ["E2E_PEPPER"])
client.create_secret(Name=os.environ["SESSION_KEY_SECRET_ID"], SecretString=os.environ["E2E_SESSION_KEY"])
client.create_secret(Name=os.environ["TOTP_KEY_SECRET_ID"], SecretString=os.environ["E2E_TOTP_KEY"])'
"$MOTO_PYTHON" scripts/signing_keys.py ensure --secret-id "$SIGNING_KEYS_SECRET_ID"
# As `make deploy` does: the plain pepper and TOTP key become documents with a next key.
"$MOTO_PYTHON" scripts/pepper.py ensure --secret-id "$PASSWORD_PEPPER_SECRET_ID"
"$MOTO_PYTHON" scripts/totp_key.py ensure --secret-id "$TOTP_KEY_SECRET_ID"
export APP_ENV=local TOKEN_ISSUER="http://127.0.0.1:$PORT"
unset PASSWORD_PEPPER
# Mail goes to moto's SES (start_moto exported AWS_ENDPOINT_URL_SESV2), from a sender verified
# there as a deployment verifies its own; what it received is at /moto-api/data.json
# (MOTO_PORT=... scripts/mail.sh reads it as `make mail` does).
export EMAIL_FROM=no-reply@example.com
verify_sender "$EMAIL_FROM"

# The /docs/ viewer, served from its npm package as the CDN would serve it (same bytes, so the
# page's integrity check passes here exactly when it would in production).
ensure_scalar
VIEWER_PORT=$(free_port)
setsid python3 - "$SCALAR_DIR" "$VIEWER_PORT" >"$WORK/viewer.log" 2>&1 <<'PY' &
# A static file server that, like a CDN, allows cross-origin reads: a script loaded with an
# integrity hash is fetched in CORS mode, and refused without Access-Control-Allow-Origin.
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()
handler = functools.partial(Handler, directory=sys.argv[1])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), handler).serve_forever()
PY
VIEWER_PID=$!
export DOCS_ASSETS_URL="http://127.0.0.1:$VIEWER_PORT"

# start_watch PORT LOG [INSTANCES]: the function under `cargo lambda watch`, INSTANCES (1) at once
# as Lambda runs a burst; sets STARTED_PID. RUST_LOG=trace for the function only (the most verbose
# level: still no secret may be logged).
start_watch() {
  say "starting cargo lambda watch on 127.0.0.1:$1 (${3:-1} instances)"
  setsid cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$1" --disable-cors \
    --concurrency "${3:-1}" --env-var RUST_LOG=trace >"$2" 2>&1 &
  STARTED_PID=$!
}
start_watch "$PORT" "$WORK/watch.log"
WATCH_PID=$STARTED_PID

say "waiting for the function to build and answer"
await_function "$PORT" "$WATCH_PID" "$WORK/watch.log"

say "running the README walkthrough"
python3 "$ROOT/scripts/e2e_checks.py" walkthrough "$ROOT/README.md" "$PORT"
say "the account events, from DynamoDB Local's stream through the pipe's filter and template: the walkthrough's exactly, each valid against docs/events/"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_events.py" "$PORT" "$TABLE_NAME"
say "the admin API (refused without an IAM context, make admin with one) and the user's own sessions"
python3 "$ROOT/scripts/e2e_admin.py" "$PORT"
say "the second factor, pyotp as the app: enrolment, codes spent once, recovery codes, lockout, the operator's reset"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_mfa.py" "$PORT" "$TABLE_NAME" "$WORK/watch.log"
say "the lockout under a burst: 64 wrong passwords at once, through four instances"
BURST_PORT=$(free_port)
start_watch "$BURST_PORT" "$WORK/burst.log" 4
BURST_PID=$STARTED_PID
await_function "$BURST_PORT" "$BURST_PID" "$WORK/burst.log"
python3 "$ROOT/scripts/e2e_checks.py" burst "$BURST_PORT" 64
stop "$BURST_PID"
BURST_PID=""
say "replaying events/ with make invoke"
python3 "$ROOT/scripts/e2e_checks.py" events "$ROOT/events" "$PORT"
say "checking that the served /openapi.json is valid OpenAPI 3.1 (openapi-spec-validator)"
curl -sf "http://127.0.0.1:$PORT/openapi.json" -o "$WORK/openapi.json"
"$TOOLS/moto-venv/bin/openapi-spec-validator" "$WORK/openapi.json"
say "the document's text rules against the function's, under Python's jsonschema and ECMA-262"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_patterns.py" "$WORK/openapi.json" "$PORT"

say "verifying the tokens with PyJWT against the served JWKS"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" tokens "$PORT"

say "standard OAuth clients: npm jose verifies, openid-client discovers, refreshes and revokes"
ensure_oauth_clients
node "$OAUTH_CLIENTS_DIR/check.mjs" "$TOKEN_ISSUER" "${TOKEN_CLIENT_ID:-user-service}" \
  "${TOKEN_AUDIENCE:-user-service}" oauth-clients@example.com
say "the README's openid-client example, verbatim"
python3 "$ROOT/scripts/e2e_checks.py" oauth-example "$ROOT/README.md" "$OAUTH_CLIENTS_DIR" "$PORT" \
  "${TOKEN_CLIENT_ID:-user-service}"

say "schemathesis: the function against its own /openapi.json, every check"
ensure_schemathesis
GATEWAY_PORT=$(free_port)
setsid python3 "$ROOT/scripts/gateway.py" "$GATEWAY_PORT" "$PORT" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
# Through cargo lambda's invocations API, the first request may start another of the four
# instances (seconds): warm it before schemathesis, whose schema loading gives up after 10 s.
curl -sf --retry 20 --retry-connrefused --retry-delay 1 --max-time 300 \
  "http://127.0.0.1:$GATEWAY_PORT/openapi.json" -o /dev/null \
  || die "the gateway stand-in never answered"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" sign-in "$PORT" schemathesis@example.com "$WORK/st.token"
# From $WORK: schemathesis and hypothesis write caches into the working directory, and a write
# under the crate makes cargo lambda watch restart the function mid-request.
# Full Unicode; what the document can only describe is taught by scripts/schemathesis_hooks.py.
(cd "$WORK" && ACCESS_TOKEN=$(cat "$WORK/st.token") PYTHONPATH="$ROOT/scripts" \
  PYTHONDONTWRITEBYTECODE=1 SCHEMATHESIS_HOOKS=schemathesis_hooks timeout 600 \
  "$TOOLS/schemathesis-venv/bin/schemathesis" --config-file "$ROOT/scripts/schemathesis.toml" \
  run "http://127.0.0.1:$GATEWAY_PORT/openapi.json" --no-color) \
  || die "schemathesis found the function and its description disagreeing (above)"
stop "$GATEWAY_PID"
GATEWAY_PID=""

say "the /docs/ page in headless Chromium: every operation rendered (screenshot: target/docs-page.png)"
ensure_chromium
mkdir -p "$ROOT/target"
chromium_run() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --virtual-time-budget=20000 --window-size=1280,2400 "$@" \
    "http://127.0.0.1:$PORT/docs/" 2>>"$WORK/chromium.log"
}
chromium_run --dump-dom >"$ROOT/target/docs-page.html"
chromium_run --screenshot="$ROOT/target/docs-page.png" >/dev/null
python3 "$ROOT/scripts/e2e_checks.py" docs "$ROOT/target/docs-page.html" "$WORK/openapi.json"
[ -s "$ROOT/target/docs-page.png" ] || die "no screenshot of /docs/"
stop "$VIEWER_PID"
VIEWER_PID=""

say "the rotation scripts: a second rotation too soon is refused, --force overrides, revoke drops a key and restarts the function"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_secrets.py"
say "the TOTP key script: sealed secrets counted per key, rotate, retire refused while a previous key is used and done once none is"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_totp_key.py"

say "rotating the signing keys and the pepper, then starting a second instance"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" sign-in "$PORT" before-rotation@example.com "$WORK/old.token"
# --force: `ensure` wrote these documents minutes ago, so the scripts ask for a day's wait; the
# first instance started after it and knows `next`, which is all a rotation needs.
"$MOTO_PYTHON" scripts/signing_keys.py rotate --secret-id "$SIGNING_KEYS_SECRET_ID" --force
"$MOTO_PYTHON" scripts/pepper.py rotate --secret-id "$PASSWORD_PEPPER_SECRET_ID" --force
SECOND_PORT=$(free_port)
start_watch "$SECOND_PORT" "$WORK/second.log"
SECOND_PID=$STARTED_PID
await_function "$SECOND_PORT" "$SECOND_PID" "$WORK/second.log"
say "pepper rotation: hashes move to the new pepper as accounts sign in; the old one retires when unused"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_pepper.py" "$PORT" "$SECOND_PORT" "$PASSWORD_PEPPER_SECRET_ID" "$TABLE_NAME"
say "signing-key rotation: the instances started before and after accept each other's tokens"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" rotation "$PORT" "$SECOND_PORT" "$WORK/old.token"

say "revoking the current signing key: a restarted instance neither accepts nor publishes it"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" sign-in "$SECOND_PORT" revoked-key@example.com "$WORK/revoked.token"
REVOKED_KID=$("$MOTO_PYTHON" -c 'import jwt, sys; print(jwt.get_unverified_header(open(sys.argv[1]).read())["kid"])' \
  "$WORK/revoked.token")
stop "$SECOND_PID"
"$MOTO_PYTHON" scripts/signing_keys.py revoke --secret-id "$SIGNING_KEYS_SECRET_ID" --kid "$REVOKED_KID"
start_watch "$SECOND_PORT" "$WORK/third.log" # as Lambda replaces every instance after a revocation
SECOND_PID=$STARTED_PID
await_function "$SECOND_PORT" "$SECOND_PID" "$WORK/third.log"
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" revocation "$SECOND_PORT" "$WORK/revoked.token" "$WORK/old.token"
stop "$SECOND_PID"
SECOND_PID=""
cat "$WORK/third.log" >>"$WORK/second.log" # searched for secrets with the second's, below

say "checking that browsers get no CORS locally, as from a deployment without CorsAllowedOrigins"
for method in OPTIONS POST; do
  headers=$(curl -s -D - -o /dev/null -X "$method" -H 'Origin: https://app.example.com' \
    -H 'Access-Control-Request-Method: POST' -H 'content-type: application/json' -d '{}' \
    "http://127.0.0.1:$PORT/user/")
  ! grep -qi '^access-control-' <<<"$headers" || die "CORS headers on $method: $headers"
done

say "searching the functions' logs for secrets"
for log in "$WORK/watch.log" "$WORK/second.log" "$WORK/burst.log"; do
  python3 "$ROOT/scripts/e2e_checks.py" logs "$log" "$ROOT/README.md" "$ROOT/events"
done

# make run itself, on ports and a data directory of its own, with none of this run's services.
stop "$WATCH_PID" "$MOTO_PID"
WATCH_PID="" MOTO_PID=""
"$ROOT/scripts/e2e_run.sh"
