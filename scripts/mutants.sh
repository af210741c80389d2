#!/usr/bin/env bash
# make mutants: mutation testing of src/domain and src/service (.cargo/mutants.toml says what
# and with which suites). Not part of `make test`: it builds the crate once per mutant, about
# an hour on two cores. Results land in target/mutants/mutants.out (caught.txt, missed.txt…).
# Extra arguments go to cargo-mutants, e.g. `make mutants MUTANTS_ARGS="-F email"`.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_local_aws
ensure_system_tools
ensure_dynamodb_local
ensure_cargo_mutants

DYNAMODB_PID=""
trap 'stop "$DYNAMODB_PID"' EXIT
trap 'exit 130' INT TERM HUP
start_dynamodb_local "$(free_port)"

say "building the baseline once, so each mutant's scratch copy starts warm"
cargo test --profile mutants --no-run --lib --test service --test api --test contract
say "cargo mutants over src/domain and src/service"
cargo mutants --jobs 2 --output target/mutants "$@"
