#!/usr/bin/env bash
# The end-to-end run: the function under `cargo lambda watch` against the DynamoDB Local that
# AWS_ENDPOINT_URL_DYNAMODB points at, driven by the README's curl walkthrough (verbatim, on a
# free port) and by `make invoke` with every file in events/. Then the function's own log is
# searched for secrets, and `make run` itself is started, refused a `make reset`, and hung up.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_local_aws
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
export APP_ENV=production
export PASSWORD_PEPPER="e2e-pepper-that-must-never-appear-in-any-log"
create_table

WORK=$(mktemp -d)
PORT=$(free_port)
WATCH_PID="" RUN_PID=""
trap 'stop "$WATCH_PID"; stop "$RUN_PID"; rm -rf "$WORK"' EXIT
say "starting cargo lambda watch on 127.0.0.1:$PORT"
# RUST_LOG=trace for the function only (the most verbose level: still no secret may be logged).
setsid cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$PORT" --disable-cors \
  --env-var RUST_LOG=trace >"$WORK/watch.log" 2>&1 &
WATCH_PID=$!

# await_function PORT PID LOG: the port opens at once, but the first request waits for the
# build, so probe with a real request until the function itself answers (400 for `{}`).
await_function() {
  local code
  for _ in $(seq 1 180); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 600 -X POST \
      -H 'content-type: application/json' -d '{}' "http://127.0.0.1:$1/user/" || true)
    [ "$code" = 400 ] && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 1
  done
  tail -50 "$3" >&2
  die "the function never answered on port $1"
}

say "waiting for the function to build and answer"
await_function "$PORT" "$WATCH_PID" "$WORK/watch.log"

say "running the README walkthrough"
python3 "$ROOT/scripts/e2e_checks.py" walkthrough "$ROOT/README.md" "$PORT"
say "replaying events/ with make invoke"
python3 "$ROOT/scripts/e2e_checks.py" events "$ROOT/events" "$PORT"

say "checking that browsers get no CORS locally, as from a deployment without CorsAllowedOrigins"
for method in OPTIONS POST; do
  headers=$(curl -s -D - -o /dev/null -X "$method" -H 'Origin: https://app.example.com' \
    -H 'Access-Control-Request-Method: POST' -H 'content-type: application/json' -d '{}' \
    "http://127.0.0.1:$PORT/user/")
  ! grep -qi '^access-control-' <<<"$headers" || die "CORS headers on $method: $headers"
done

say "searching the function's log for secrets"
python3 "$ROOT/scripts/e2e_checks.py" logs "$WORK/watch.log" "$ROOT/README.md" "$ROOT/events"

say "make run: serves, refuses make reset meanwhile, and stops everything when hung up"
RUN_DATA="$WORK/run-data" RUN_API=$(free_port) RUN_DYNAMODB=$(free_port)
export DATA_DIR="$RUN_DATA"
API_PORT=$RUN_API DYNAMODB_PORT=$RUN_DYNAMODB setsid make -s run >"$WORK/run.log" 2>&1 &
RUN_PID=$!
await_function "$RUN_API" "$RUN_PID" "$WORK/run.log"
if make -s reset 2>"$WORK/reset.log"; then die "make reset ran while make run was serving"; fi
grep -q 'is serving' "$WORK/reset.log" || die "make reset did not say why: $(cat "$WORK/reset.log")"
[ -f "$RUN_DATA/shared-local-instance.db" ] || die "DynamoDB Local's data is gone"
kill -HUP -- "-$RUN_PID"
for _ in $(seq 1 100); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.3; done
kill -0 "$RUN_PID" 2>/dev/null && die "make run was still running 30 s after SIGHUP"
wait "$RUN_PID" 2>/dev/null || true
RUN_PID=""
for port in "$RUN_API" "$RUN_DYNAMODB"; do
  port_in_use "$port" && die "port $port is still held after make run was hung up"
done
make -s reset || die "make reset failed once make run had stopped"
[ ! -e "$RUN_DATA" ] || die "make reset left $RUN_DATA"
unset DATA_DIR
