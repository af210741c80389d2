#!/usr/bin/env bash
# make deploy: `sam build` then `sam deploy` with samconfig.toml's defaults, using whatever AWS
# credentials and region the environment provides (a profile, SSO, or the pipeline's OIDC role).
# Extra arguments go to `sam deploy`, e.g. `make deploy DEPLOY_ARGS=--guided`.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/build.sh" sam
say "sam deploy ${STACK_NAME:+--stack-name $STACK_NAME }$*"
sam deploy ${STACK_NAME:+--stack-name "$STACK_NAME"} ${AWS_REGION:+--region "$AWS_REGION"} "$@"
