#!/usr/bin/env bash
# make rotate-signing-key: previous <- current <- next <- a new key, in the deployed stack's
# signing-key secret. Running instances keep their keys until they are recycled; they already
# accept the new signing key (it was `next`), and new instances still accept the old one (now
# `previous`), so nobody is signed out. Rotate at most once per access-token lifetime plus the
# longest an instance lives (hours): a key must not be dropped while tokens it signed live.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_sam
STACK="${STACK_NAME:-$(sed -n 's/^stack_name = "\(.*\)"$/\1/p' "$ROOT/samconfig.toml")}"
"$TOOLS/sam-venv/bin/python" "$ROOT/scripts/signing_keys.py" rotate --stack "$STACK"
