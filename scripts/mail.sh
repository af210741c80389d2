#!/usr/bin/env bash
# make mail [TO=address] / make mail-code TO=address: the local mailbox, that is, what the
# function running under `make run` had moto's SES send, newest first (scripts/mail.py).
# MOTO_PORT reads another moto (the end-to-end run's, say) instead of make run's.
source "$(dirname "$0")/lib.sh"
DATA_DIR="${DATA_DIR:-$ROOT/.dynamodb}"
if [ -z "${MOTO_PORT:-}" ]; then
  processes serving "$DATA_DIR/$RUN_STATE_FILE" >/dev/null \
    || die "make run is not serving $DATA_DIR: start it first (its moto holds the mailbox)"
  MOTO_PORT=$(cat "$DATA_DIR/$RUN_MOTO_PORT_FILE" 2>/dev/null) \
    || die "make run is serving $DATA_DIR but left no $RUN_MOTO_PORT_FILE: restart it"
fi
exec python3 "$ROOT/scripts/mail.py" --port "$MOTO_PORT" "$@"
