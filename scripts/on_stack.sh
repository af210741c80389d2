#!/usr/bin/env bash
# scripts/on_stack.sh SCRIPT COMMAND [ARGUMENTS...]: runs `scripts/SCRIPT COMMAND --stack STACK
# ARGUMENTS...` against the deployed stack (STACK_NAME, or samconfig.toml's stack_name), with
# the deploy venv's Python, which has boto3 and cryptography. The Makefile's secret targets
# use it:
#   make rotate-signing-key  signing_keys.py rotate: previous <- current <- next <- a new key.
#       Running instances already accept the new signing key (it was `next`), and new ones still
#       accept the old (now `previous`), so nobody is signed out. Refused within the
#       access-token lifetime plus a day of the last rotation (FORCE=1 overrides).
#   make revoke-signing-key  signing_keys.py revoke: a leaked key (KID=<kid>, or KID=all) leaves
#       the document at once and every instance of the function is replaced.
#   make rotate-pepper       pepper.py rotate: the same for the pepper; nobody's password changes.
#       Refused within a day of the last rotation (FORCE=1 overrides).
#   make pepper-status       pepper.py status: how many stored hashes use each pepper.
#   make retire-pepper       pepper.py retire: drop the previous peppers once no hash uses them.
#   make rotate-totp-key     totp_key.py rotate: the same for the key TOTP secrets are sealed
#       with; every second factor keeps working. Refused within a day (FORCE=1 overrides).
#   make totp-key-status     totp_key.py status: how many accounts' sealed TOTP secrets use each key.
#   make retire-totp-key     totp_key.py retire: drop the previous TOTP keys once none is used.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ $# -ge 2 ] || die "usage: $0 SCRIPT COMMAND [ARGUMENTS...]"
ensure_sam
STACK="${STACK_NAME:-$(sed -n 's/^stack_name = "\(.*\)"$/\1/p' "$ROOT/samconfig.toml")}"
"$TOOLS/deploy-venv/bin/python" "$ROOT/scripts/$1" "$2" --stack "$STACK" "${@:3}"
