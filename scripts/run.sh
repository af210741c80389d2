#!/usr/bin/env bash
# make run: DynamoDB Local (data kept in .dynamodb/), the table, and the function served by
# `cargo lambda watch` on http://127.0.0.1:9000, rebuilt on every change. Ctrl-C stops it all.
source "$(dirname "$0")/lib.sh"

DYNAMODB_PORT="${DYNAMODB_PORT:-8000}"
API_PORT="${API_PORT:-9000}"
export TABLE_NAME="${TABLE_NAME:-users}"
export APP_ENV="${APP_ENV:-local}"
export RUST_LOG="${RUST_LOG:-info}"

use_local_aws
ensure_system_tools
ensure_cargo_lambda
ensure_dynamodb_local

DYNAMODB_PID=""
trap 'stop "$DYNAMODB_PID"' EXIT
trap 'exit 130' INT TERM
port_in_use "$API_PORT" && die "port $API_PORT is taken (set API_PORT to use another)"
start_dynamodb_local "$DYNAMODB_PORT" "$ROOT/.dynamodb"
create_table

say "serving the API on http://127.0.0.1:$API_PORT (the first request waits for the build)"
cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$API_PORT"
