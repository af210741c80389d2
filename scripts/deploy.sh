#!/usr/bin/env bash
# make deploy: `sam build` then `sam deploy` with samconfig.toml's defaults, using whatever AWS
# credentials and region the environment provides (a profile, SSO, or the pipeline's OIDC role).
# Extra arguments go to `sam deploy`, e.g. `make deploy DEPLOY_ARGS=--guided`. Then it gives
# the stack's signing-key secret its keys unless it has them (idempotent: later deploys keep
# them); the function refuses to start until then, which on a first deploy is seconds. Last, it
# turns the stack's generated pepper into a document with a next pepper (also idempotent), so
# that `make rotate-pepper` is safe for instances started before it.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/build.sh" sam
ensure_sam
say "sam deploy ${STACK_NAME:+--stack-name $STACK_NAME }$*"
sam deploy ${STACK_NAME:+--stack-name "$STACK_NAME"} ${AWS_REGION:+--region "$AWS_REGION"} "$@"
STACK="${STACK_NAME:-$(sed -n 's/^stack_name = "\(.*\)"$/\1/p' "$ROOT/samconfig.toml")}"
say "signing keys of stack $STACK"
"$TOOLS/sam-venv/bin/python" "$ROOT/scripts/signing_keys.py" ensure --stack "$STACK"
say "pepper of stack $STACK: ready for rotation"
"$TOOLS/sam-venv/bin/python" "$ROOT/scripts/pepper.py" ensure --stack "$STACK"
