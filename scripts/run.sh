#!/usr/bin/env bash
# make run: DynamoDB Local (data kept in .dynamodb/), the table, moto serving the pepper and the
# session key and the signing keys as Secrets Manager (all kept in .dynamodb/ too, so accounts and tokens survive a
# restart) and serving SES (the sender EMAIL_FROM verified; `make mail` reads what it was sent,
# which is forgotten when it stops), and the function served by `cargo lambda watch` on http://127.0.0.1:9000, rebuilt
# on every change, by CONCURRENCY instances at once (default 1).
#
# It fails loudly: it sends the first request itself, and if the function refuses to start (a
# setting out of range, say) it prints the function's reason and exits non-zero, instead of
# serving requests that would hang. Ctrl-C, SIGTERM or closing the terminal (SIGHUP) stops all
# it started, however many signals arrive. What it started is recorded in
# $DATA_DIR/.make-run.state, which `make reset` checks (deleting DynamoDB Local's files under it
# corrupts the table) and from which the next run stops whatever a SIGKILL left behind.
source "$(dirname "$0")/lib.sh"

DYNAMODB_PORT="${DYNAMODB_PORT:-8000}"
API_PORT="${API_PORT:-9000}"
MOTO_PORT="${MOTO_PORT:-$(free_port)}"
DATA_DIR="${DATA_DIR:-$ROOT/.dynamodb}"
# How long the first request may take: it waits for the build, minutes on a cold machine.
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-1800}"
# How many function instances serve at once, as Lambda runs a burst in parallel (1 serialises
# every request, which hides races between instances).
CONCURRENCY="${CONCURRENCY:-1}"
[[ "$CONCURRENCY" =~ ^[1-9][0-9]*$ ]] || die "CONCURRENCY must be a whole number from 1 (got $CONCURRENCY)"
export TABLE_NAME="${TABLE_NAME:-users}"
export APP_ENV="${APP_ENV:-local}"
export RUST_LOG="${RUST_LOG:-info}"
export TOKEN_ISSUER="${TOKEN_ISSUER:-http://127.0.0.1:$API_PORT}"
# The sender moto's SES is told to trust at start; `make mail` shows what it was sent.
export EMAIL_FROM="${EMAIL_FROM:-no-reply@example.com}"
URL="http://127.0.0.1:$API_PORT"
STATE="$DATA_DIR/$RUN_STATE_FILE"

use_local_aws
ensure_system_tools
ensure_cargo_lambda
ensure_dynamodb_local
ensure_moto

# A run still serving this data is refused; what a killed one left is stopped; a port held by
# anything else is named, before anything starts.
refuse_if_serving "$DATA_DIR"
mkdir -p "$DATA_DIR"
reclaim_leftovers "$DATA_DIR"
require_free_port "$API_PORT" API_PORT
require_free_port "$DYNAMODB_PORT" DYNAMODB_PORT
require_free_port "$MOTO_PORT" MOTO_PORT

DYNAMODB_PID="" MOTO_PID="" WATCH_PID="" TAIL_PID=""
# The watch's output and the probe's answer, outside the crate: cargo lambda watch restarts the
# function on every change under it.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/make-run.XXXXXX")
WATCH_LOG="$SCRATCH/watch.log"
# The services run in sessions of their own (setsid, in lib.sh and below), so a signal to this
# script's process group reaches only this script: it alone decides when they stop, and stops
# them all. Once the cleanup starts, further INT/TERM/HUP are ignored (a second Ctrl-C, or a
# process manager signalling twice, would otherwise end it halfway and leave services holding
# their ports); stop() bounds each service's exit with a SIGKILL.
cleanup() {
  trap '' INT TERM HUP
  [ -z "$TAIL_PID" ] || kill "$TAIL_PID" 2>/dev/null || true
  stop "$WATCH_PID" "$MOTO_PID" "$DYNAMODB_PID"
  rm -rf "$STATE" "$DATA_DIR/$RUN_MOTO_PORT_FILE" "$SCRATCH"
}
trap cleanup EXIT
for signal in INT TERM HUP; do
  trap "trap '' INT TERM HUP; exit $((128 + $(kill -l "$signal")))" "$signal"
done
processes record "$STATE" run $$
RECORD_STATE="$STATE"

start_dynamodb_local "$DYNAMODB_PORT" "$DATA_DIR"
create_table
start_moto "$MOTO_PORT"
echo "$MOTO_PORT" >"$DATA_DIR/$RUN_MOTO_PORT_FILE"
put_local_secrets "$DATA_DIR"
verify_sender "$EMAIL_FROM"

say "starting the function on $URL (the first request waits for the build)"
# --disable-cors: a deployed API answers no CORS unless CorsAllowedOrigins is set, so local
# runs do not either; a web app that works here then works deployed.
: >"$WATCH_LOG" # before tail opens it
setsid cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$API_PORT" --disable-cors \
  --concurrency "$CONCURRENCY" >"$WATCH_LOG" 2>&1 &
WATCH_PID=$!
record_service watch "$WATCH_PID"
# The watch writes to a file so that this script can read it; tail shows it as it comes, as
# if the watch ran in the foreground (and ends with this script, even on SIGKILL).
tail -n +1 -f --pid=$$ "$WATCH_LOG" &
TAIL_PID=$!

# print_refusal: the function's log lines about refusing to start, as "message: error".
print_refusal() {
  grep -a 'refusing to start' "$WATCH_LOG" | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        event = json.loads(line[line.index("{"):])
        print("  " + ": ".join(str(event[k]) for k in ("message", "error") if k in event))
    except ValueError:
        print("  " + line.rstrip())
' >&2
}

# end_output: lets tail show the watch's last lines, then stops it, so that what this script says
# next comes after them.
end_output() {
  sleep 0.5
  kill "$TAIL_PID" 2>/dev/null || true
}

# await_ready: the watch opens its port at once but builds and starts the function only for the
# first request, so send one (`POST /user/` with `{}`, which the function answers with 400 and
# nothing stored) in the background, and meanwhile watch for the function refusing to start
# (the watch then keeps the request waiting forever) or the watch itself exiting.
await_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS)) probe code
  local answer="$SCRATCH/probe"
  while :; do
    curl -s -o /dev/null -w '%{http_code}' --max-time "$READY_TIMEOUT_SECONDS" -X POST \
      -H 'content-type: application/json' -d '{}' "$URL/user/" >"$answer" 2>/dev/null &
    probe=$!
    while kill -0 "$probe" 2>/dev/null; do
      if grep -aq 'refusing to start' "$WATCH_LOG"; then
        kill "$probe" 2>/dev/null || true
        end_output
        printf '\n' >&2
        say "the function refused to start:"
        print_refusal
        die "make run stopped: the function refused to start"
      fi
      if ! kill -0 "$WATCH_PID" 2>/dev/null; then
        kill "$probe" 2>/dev/null || true
        end_output
        die "cargo lambda watch exited (its output is above)"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        kill "$probe" 2>/dev/null || true
        die "the function did not answer within $READY_TIMEOUT_SECONDS s (READY_TIMEOUT_SECONDS)"
      fi
      sleep 0.5
    done
    wait "$probe" || true
    code=$(cat "$answer" 2>/dev/null || true)
    rm -f "$answer"
    [ "$code" = 400 ] && return 0
    sleep 1 # not the function's answer yet (the port opening, or the watch's own error)
  done
}
await_ready
say "ready: the API on $URL/, its docs on $URL/docs/ (Ctrl-C stops everything)"
wait "$WATCH_PID"
