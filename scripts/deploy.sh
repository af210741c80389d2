#!/usr/bin/env bash
# scripts/deploy.sh [tools | built] [SAM DEPLOY ARGUMENTS...]
#
#   (nothing)  make deploy: `sam build`, then `sam deploy` of it, as below.
#   tools      installs the SAM CLI venv from deploy/requirements.txt, every file checked
#              against its hash (the pipeline runs this before it holds any credentials).
#   built      `sam deploy` of what `make sam-build` built: the pipeline's deploy job, whose
#              build ran in a job without credentials.
#
# `sam deploy` uses samconfig.toml's defaults and whatever AWS credentials and region the
# environment provides (a profile, SSO, or the pipeline's OIDC role); extra arguments go to it,
# e.g. `make deploy DEPLOY_ARGS=--guided`. With CLOUDFORMATION_ROLE_ARN (the bootstrap stack's
# service role), CloudFormation changes the stack with that role rather than the caller's.
# Then it gives the stack's signing-key secret its keys unless it has them (idempotent: later
# deploys keep them); the function refuses to start until then, which on a first deploy is
# seconds. Last, it turns the stack's generated pepper, then its generated TOTP key, into a
# document with a next key (also idempotent), so that `make rotate-pepper` and `make
# rotate-totp-key` are safe for instances started before them.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

mode=build
case "${1:-}" in
  tools) ensure_sam; exit 0 ;;
  built) mode=built; shift ;;
esac
if [ "$mode" = build ]; then
  "$ROOT/scripts/build.sh" sam
else
  [ -f .aws-sam/build/template.yaml ] || die "nothing built: run make sam-build first"
  require_arm64 .aws-sam/build/UserServiceFunction/bootstrap
fi
ensure_sam
STACK="${STACK_NAME:-$(sed -n 's/^stack_name = "\(.*\)"$/\1/p' "$ROOT/samconfig.toml")}"
"$TOOLS/deploy-venv/bin/python" "$ROOT/scripts/pepper.py" check-upgrade --stack "$STACK" -- "$@"
say "sam deploy --stack-name $STACK ${CLOUDFORMATION_ROLE_ARN:+--role-arn $CLOUDFORMATION_ROLE_ARN }$*"
sam deploy --stack-name "$STACK" ${AWS_REGION:+--region "$AWS_REGION"} \
  ${CLOUDFORMATION_ROLE_ARN:+--role-arn "$CLOUDFORMATION_ROLE_ARN"} "$@"
say "signing keys of stack $STACK"
"$TOOLS/deploy-venv/bin/python" "$ROOT/scripts/signing_keys.py" ensure --stack "$STACK"
say "pepper of stack $STACK: ready for rotation"
"$TOOLS/deploy-venv/bin/python" "$ROOT/scripts/pepper.py" ensure --stack "$STACK"
say "TOTP key of stack $STACK: ready for rotation"
"$TOOLS/deploy-venv/bin/python" "$ROOT/scripts/totp_key.py" ensure --stack "$STACK"
