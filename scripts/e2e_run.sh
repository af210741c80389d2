#!/usr/bin/env bash
# The end-to-end test of `make run` itself (the last part of scripts/e2e.sh, and runnable alone),
# on free ports and a data directory of its own, started as a newcomer would: it serves, refuses
# `make reset` meanwhile, and releases its ports within 30 s of a SIGHUP (a closed terminal);
# started with a setting the function refuses, it exits non-zero within a bound with the
# function's reason and holds no port; started again, it accepts the access token it issued
# before, and two SIGTERMs in quick succession (a process manager, an IDE, `timeout`) free every
# port; after a SIGKILL of make and its script (which leaves the services running, each in a
# session of its own), the next `make run` stops those leftovers, says so, and serves.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_local_aws
ensure_moto

WORK=$(mktemp -d)
export DATA_DIR="$WORK/run-data"
RUN_API=$(free_port) RUN_DYNAMODB=$(free_port) RUN_MOTO=$(free_port)
RUN_PID=""
# Whatever happens, nothing is left running: make run's session and everything it started, and
# what a killed run left (its state file names it).
trap 'stop "$RUN_PID"; processes reclaim "$DATA_DIR/$RUN_STATE_FILE" >/dev/null; rm -rf "$WORK"' EXIT

# launch_make_run LOG [VARIABLE=VALUE...]: starts make run in a session of its own, as a
# terminal would (its process group is its PID, RUN_PID), with a newcomer's environment: none
# of the caller's secrets, issuer, table or docs assets. Its scratch files go under WORK, so
# that those of the run killed with SIGKILL go too.
launch_make_run() {
  local log=$1
  shift
  env -u TOKEN_ISSUER -u PASSWORD_PEPPER_SECRET_ID -u SIGNING_KEYS_SECRET_ID -u SESSION_KEY_SECRET_ID \
    -u AWS_ENDPOINT_URL_SECRETS_MANAGER -u APP_ENV -u TABLE_NAME -u DOCS_ASSETS_URL \
    API_PORT="$RUN_API" DYNAMODB_PORT="$RUN_DYNAMODB" MOTO_PORT="$RUN_MOTO" TMPDIR="$WORK" "$@" \
    setsid make -s run >>"$log" 2>&1 &
  RUN_PID=$!
}
start_make_run() {
  launch_make_run "$WORK/run.log" CONCURRENCY=2
  await_function "$RUN_API" "$RUN_PID" "$WORK/run.log"
}

# exited_within SECONDS: whether make run (RUN_PID) exits within SECONDS; sets RUN_STATUS.
exited_within() {
  for _ in $(seq 1 $(($1 * 5))); do
    kill -0 "$RUN_PID" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$RUN_PID" 2>/dev/null; then return 1; fi
  RUN_STATUS=0
  wait "$RUN_PID" || RUN_STATUS=$?
  RUN_PID=""
}

# ports_free_within SECONDS WHEN: dies unless none of make run's ports is held within SECONDS,
# naming what still holds one.
ports_free_within() {
  local port held
  for _ in $(seq 1 $(($1 * 5))); do
    held=""
    for port in "$RUN_API" "$RUN_DYNAMODB" "$RUN_MOTO"; do
      if port_in_use "$port"; then held="$held $port ($(processes holder "$port" || echo '?'))"; fi
    done
    [ -n "$held" ] || return 0
    sleep 0.2
  done
  die "still held $1 s $2:$held"
}

# signal_make_run SIGNAL [TIMES]: sends SIGNAL to make run's process group TIMES times, 0.3 s
# apart (as an impatient user or a process manager does), then expects make run gone and every
# port of it free within 30 s.
signal_make_run() {
  local signal=$1 times=${2:-1}
  for i in $(seq 1 "$times"); do
    kill -"$signal" -- "-$RUN_PID" 2>/dev/null || true
    if [ "$i" -lt "$times" ]; then sleep 0.3; fi
  done
  exited_within 30 || die "make run was still running 30 s after SIG$signal"
  ports_free_within 30 "after SIG$signal (x$times) to make run"
}

say "make run: serves, and refuses make reset meanwhile"
start_make_run
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" sign-in "$RUN_API" restart@example.com "$WORK/run.token"
if make -s reset 2>"$WORK/reset.log"; then die "make reset ran while make run was serving"; fi
grep -q 'is serving' "$WORK/reset.log" || die "make reset did not say why: $(cat "$WORK/reset.log")"
[ -f "$DATA_DIR/shared-local-instance.db" ] || die "DynamoDB Local's data is gone"
say "make run: hung up (a closed terminal), it stops everything"
signal_make_run HUP

say "make run with a setting the function refuses: it stops, with the function's reason"
# The function is built by now, so the refusal comes within seconds; before, make run served on
# and every request hung.
launch_make_run "$WORK/refused.log" ACCESS_TOKEN_TTL_SECONDS=4
exited_within 120 || die "make run was still running 120 s after starting a function that refuses to"
[ "$RUN_STATUS" -ne 0 ] || die "make run exited 0 although the function refused to start"
grep -qF 'refusing to start: invalid configuration: ACCESS_TOKEN_TTL_SECONDS must be 60–86400' \
  "$WORK/refused.log" || die "make run did not print the function's reason: $(tail -20 "$WORK/refused.log")"
ports_free_within 30 "after make run stopped on the function's refusal"

say "make run: started again, its tokens still work; two SIGTERMs in a row stop everything"
start_make_run
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" me "$RUN_API" "$WORK/run.token"
signal_make_run TERM 2

say "make run after a SIGKILL: the next one stops what the killed one left, and serves"
start_make_run
# What `kill -9` of make leaves: make and its script die, the services (sessions of their own)
# run on and hold their ports.
kill -KILL -- "-$RUN_PID"
exited_within 10 || die "make run survived SIGKILL"
for port in "$RUN_API" "$RUN_DYNAMODB" "$RUN_MOTO"; do
  port_in_use "$port" || die "port $port was freed by a SIGKILL of make run: the test shows nothing"
done
# The leftovers answer on the API port, so wait for this run's own "ready" line (with the URLs).
: >"$WORK/run.log"
launch_make_run "$WORK/run.log"
ready="ready: the API on http://127.0.0.1:$RUN_API/, its docs on http://127.0.0.1:$RUN_API/docs/"
for _ in $(seq 1 600); do
  if grep -qF "$ready" "$WORK/run.log" || ! kill -0 "$RUN_PID" 2>/dev/null; then break; fi
  sleep 0.5
done
grep -qF "$ready" "$WORK/run.log" || die "make run did not start after a SIGKILL: $(tail -20 "$WORK/run.log")"
for service in dynamodb moto watch; do
  grep -q "stopped the $service service an earlier make run left running" "$WORK/run.log" \
    || die "make run did not say it stopped the $service left running: $(head -20 "$WORK/run.log")"
done
"$MOTO_PYTHON" "$ROOT/scripts/e2e_checks.py" me "$RUN_API" "$WORK/run.token"
signal_make_run HUP

make -s reset || die "make reset failed once make run had stopped"
[ ! -e "$DATA_DIR" ] || die "make reset left $DATA_DIR"
