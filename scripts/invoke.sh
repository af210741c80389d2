#!/usr/bin/env bash
# make invoke EVENT=events/signin.json: sends an API Gateway event file to the function that
# `make run` serves (on API_PORT, default 9000) and prints the function's response.
source "$(dirname "$0")/lib.sh"
EVENT="${1:-}"
API_PORT="${API_PORT:-9000}"
[ -n "$EVENT" ] || die "usage: make invoke EVENT=events/signin.json"
[ -f "$EVENT" ] || die "no such event file: $EVENT"
ensure_cargo_lambda
# cargo lambda invoke dials [::1] by default; make run listens on 127.0.0.1.
exec cargo lambda invoke --invoke-address 127.0.0.1 --invoke-port "$API_PORT" \
  --data-file "$EVENT" --output-format json
