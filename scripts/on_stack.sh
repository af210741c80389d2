#!/usr/bin/env bash
# scripts/on_stack.sh SCRIPT COMMAND: runs `scripts/SCRIPT COMMAND --stack STACK` against the
# deployed stack (STACK_NAME, or samconfig.toml's stack_name), with the SAM CLI's Python, which
# has boto3 and cryptography. The Makefile's secret targets use it:
#   make rotate-signing-key  signing_keys.py rotate: previous <- current <- next <- a new key.
#       Running instances already accept the new signing key (it was `next`), and new ones still
#       accept the old (now `previous`), so nobody is signed out. Rotate at most once per
#       access-token lifetime plus the longest an instance lives (hours).
#   make rotate-pepper       pepper.py rotate: the same for the pepper; nobody's password changes.
#   make pepper-status       pepper.py status: how many stored hashes use each pepper.
#   make retire-pepper       pepper.py retire: drop the previous peppers once no hash uses them.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ $# -eq 2 ] || die "usage: $0 SCRIPT COMMAND"
ensure_sam
STACK="${STACK_NAME:-$(sed -n 's/^stack_name = "\(.*\)"$/\1/p' "$ROOT/samconfig.toml")}"
"$TOOLS/sam-venv/bin/python" "$ROOT/scripts/$1" "$2" --stack "$STACK"
