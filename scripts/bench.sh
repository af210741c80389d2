#!/usr/bin/env bash
# make bench: builds the service and a hello-world lambda_http function (bench/hello, the floor)
# with the same profile, for this machine and for arm64; starts DynamoDB Local and moto (Secrets
# Manager, and SES with the sender verified: the mail operations send, their codes are read from
# its mailbox); runs bench/bench.py, which prints one table, writes it into BENCHMARKS.md and
# keeps the raw numbers in bench/results/; then bench/cost_model.py turns them into costs per month against Cognito
# (BENCHMARKS.md, and the chart bench/cost.png). Not part of `make test`: it takes minutes, and
# its figures are this machine's.
#   BENCH_PROFILE=quick   a release-like profile without LTO that rebuilds in seconds, for the
#                         development loop (its figures are not what ships)
#   BENCH_ARM64=0         skip the arm64 builds (and the size rows)
#   BENCH_RUNS, BENCH_COLD_RUNS, BENCH_LABEL   invocations per operation (200), fresh processes
#                         for the cold start (10), and a note for the table
#   BENCH_SCENARIOS=calls,warm   only these of bench.py's scenarios (cold, warm, existence,
#                         idle, concurrent, calls): the table is printed and kept in
#                         bench/results/, BENCHMARKS.md and the chart are left as they are
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PROFILE="${BENCH_PROFILE:-release}"
use_local_aws
ensure_system_tools
ensure_cargo_lambda
ensure_dynamodb_local
ensure_moto
ensure_bench_python

say "building the service and the floor (profile $PROFILE)"
cargo build --locked --profile "$PROFILE" --bin user-service
cargo build --locked --profile "$PROFILE" --manifest-path bench/hello/Cargo.toml --target-dir target/hello
arm64=()
if [ "${BENCH_ARM64:-1}" != 0 ]; then
  ensure_arm64_target
  say "building both for arm64, as Lambda runs them (release)"
  cargo lambda build --locked --release --arm64 --bin user-service
  CARGO_TARGET_DIR="$ROOT/target/hello" cargo lambda build --locked --release --arm64 --manifest-path bench/hello/Cargo.toml
  arm64=(--arm64 target/lambda/user-service/bootstrap --hello-arm64 target/hello/lambda/hello/bootstrap)
  for binary in "${arm64[1]}" "${arm64[3]}"; do require_arm64 "$binary"; done
fi

WORK=$(mktemp -d)
DYNAMODB_PID="" MOTO_PID=""
trap 'stop "$MOTO_PID"; stop "$DYNAMODB_PID"; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
start_dynamodb_local "$(free_port)"
export TABLE_NAME=bench TOKEN_ISSUER=https://bench.example.com APP_ENV=production
# Required in production. The mails go to moto's SES, where this sender is verified (as a
# deployment verifies its own in SES): every mail operation is measured sending, and the codes
# are read from moto's mailbox.
export EMAIL_FROM=no-reply@bench.example.com
# Lambda's image keeps its root certificates in one bundle; Debian also lists each as a file of
# its own, which the TLS setup would read one by one at every cold start.
[ -f /etc/ssl/certs/ca-certificates.crt ] && export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
create_table
start_moto "$(free_port)"
verify_sender "$EMAIL_FROM"
put_local_secrets "$WORK"

mkdir -p bench/results
out="$(date -u +%Y-%m-%dT%H%M)-$(git describe --always --dirty)-$PROFILE"
common=(--service "target/$PROFILE/user-service" --hello "target/hello/$PROFILE/hello" "${arm64[@]}"
  --runs "${BENCH_RUNS:-200}" --cold-runs "${BENCH_COLD_RUNS:-10}" --label "${BENCH_LABEL:-profile $PROFILE}")
# The bench's Python needs nothing but the standard library.
if [ -n "${BENCH_SCENARIOS:-}" ]; then
  out="$out-${BENCH_SCENARIOS//,/+}"
  say "measuring $BENCH_SCENARIOS only (bench/results/$out.json; BENCHMARKS.md untouched)"
  "$MOTO_PYTHON" bench/bench.py "${common[@]}" --scenarios "$BENCH_SCENARIOS" --json "bench/results/$out.json"
  say "the cost model, if the run has what it needs (printed only)"
  "$BENCH_PYTHON" bench/cost_model.py "bench/results/$out.json"
  exit
fi
say "measuring (bench/results/$out.json)"
"$MOTO_PYTHON" bench/bench.py "${common[@]}" --json "bench/results/$out.json" --markdown BENCHMARKS.md
say "the cost model (bench/cost.png)"
"$BENCH_PYTHON" bench/cost_model.py "bench/results/$out.json" --chart bench/cost.png --markdown BENCHMARKS.md
