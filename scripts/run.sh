#!/usr/bin/env bash
# make run: DynamoDB Local (data kept in .dynamodb/), the table, moto serving the pepper and the
# signing keys as Secrets Manager (both kept in .dynamodb/ too, so accounts and tokens survive a
# restart), and the function served by `cargo lambda watch` on http://127.0.0.1:9000, rebuilt
# on every change. Ctrl-C, or closing
# the terminal (SIGHUP), stops it all. While it runs, its PID is in $DATA_DIR/.make-run.pid,
# which `make reset` checks: deleting DynamoDB Local's files under it corrupts the table.
source "$(dirname "$0")/lib.sh"

DYNAMODB_PORT="${DYNAMODB_PORT:-8000}"
API_PORT="${API_PORT:-9000}"
MOTO_PORT="${MOTO_PORT:-$(free_port)}"
DATA_DIR="${DATA_DIR:-$ROOT/.dynamodb}"
export TABLE_NAME="${TABLE_NAME:-users}"
export APP_ENV="${APP_ENV:-local}"
export RUST_LOG="${RUST_LOG:-info}"
export TOKEN_ISSUER="${TOKEN_ISSUER:-http://127.0.0.1:$API_PORT}"

use_local_aws
ensure_system_tools
ensure_cargo_lambda
ensure_dynamodb_local
ensure_moto

port_in_use "$API_PORT" && die "port $API_PORT is taken (set API_PORT to use another)"
refuse_if_serving "$DATA_DIR"
mkdir -p "$DATA_DIR"
DYNAMODB_PID="" MOTO_PID="" WATCH_PID=""
trap 'stop "$WATCH_PID"; stop "$MOTO_PID"; stop "$DYNAMODB_PID"; rm -f "$DATA_DIR/$RUN_PID_FILE"' EXIT
trap 'exit 130' INT TERM HUP
echo $$ >"$DATA_DIR/$RUN_PID_FILE"
start_dynamodb_local "$DYNAMODB_PORT" "$DATA_DIR"
create_table
start_moto "$MOTO_PORT"
put_local_secrets "$DATA_DIR"

say "serving the API on http://127.0.0.1:$API_PORT, its docs on /docs/ (the first request waits for the build)"
# In a session of its own, so that only this script decides when it stops (a hang-up of the
# terminal reaches the script, whose EXIT trap stops the watch and everything it started).
# --disable-cors: a deployed API answers no CORS unless CorsAllowedOrigins is set, so local
# runs do not either; a web app that works here then works deployed.
setsid cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$API_PORT" --disable-cors &
WATCH_PID=$!
wait "$WATCH_PID"
