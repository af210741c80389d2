#!/usr/bin/env bash
# The end-to-end run: the function under `cargo lambda watch` against the DynamoDB Local that
# AWS_ENDPOINT_URL_DYNAMODB points at, driven by the README's curl walkthrough (verbatim, on a
# free port) and by `cargo lambda invoke` with every file in events/. Then the function's own
# log is searched for secrets.
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

export TABLE_NAME="e2e-$(date +%s)-$$"
export APP_ENV=production
export PASSWORD_PEPPER="e2e-pepper-that-must-never-appear-in-any-log"
create_table

WORK=$(mktemp -d)
PORT=$(free_port)
WATCH_PID=""
trap 'stop "$WATCH_PID"; rm -rf "$WORK"' EXIT
say "starting cargo lambda watch on 127.0.0.1:$PORT"
# RUST_LOG=trace for the function only (the most verbose level: still no secret may be logged).
setsid cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$PORT" \
  --env-var RUST_LOG=trace >"$WORK/watch.log" 2>&1 &
WATCH_PID=$!

# The port opens at once, but the first request waits for the build: probe with a real request
# until the function itself answers (a 400 for an empty object).
say "waiting for the function to build and answer"
ready=""
for _ in $(seq 1 180); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 600 -X POST \
    -H 'content-type: application/json' -d '{}' "http://127.0.0.1:$PORT/user/" || true)
  if [ "$code" = 400 ]; then ready=1; break; fi
  kill -0 "$WATCH_PID" 2>/dev/null || break
  sleep 1
done
[ -n "$ready" ] || { tail -50 "$WORK/watch.log" >&2; die "the function never answered"; }

say "running the README walkthrough"
python3 "$ROOT/scripts/e2e_checks.py" walkthrough "$ROOT/README.md" "$PORT"
say "replaying events/ with cargo lambda invoke"
python3 "$ROOT/scripts/e2e_checks.py" events "$ROOT/events" "$PORT"
say "searching the function's log for secrets"
python3 "$ROOT/scripts/e2e_checks.py" logs "$WORK/watch.log" "$ROOT/README.md" "$ROOT/events"
