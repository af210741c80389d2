#!/usr/bin/env bash
# make test: formatting, lints, every test (unit, service, handler, DynamoDB Local integration,
# log capture), then the README walkthrough end to end through `cargo lambda watch`.
# Starts a private DynamoDB Local on a free port and stops it again, even on failure.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_system_tools
ensure_cargo_lambda
ensure_dynamodb_local

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

DYNAMODB_PID=""
trap 'stop "$DYNAMODB_PID"' EXIT
trap 'exit 130' INT TERM
start_dynamodb_local "$(free_port)"

say "cargo test (unit, service, handler, DynamoDB Local and log tests)"
cargo test --all-targets

"$ROOT/scripts/e2e.sh"
say "all checks passed"
