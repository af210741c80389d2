#!/usr/bin/env bash
# make build: the arm64 Lambda binary, target/lambda/user-service/bootstrap, and its size.
# make sam-build: the same through `sam build` (what `make deploy` uploads), in .aws-sam/.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_cargo_lambda
ensure_arm64_target

case "${1:-cargo}" in
  cargo)
    cargo lambda build --release --arm64
    artifact="target/lambda/user-service/bootstrap"
    ;;
  sam)
    ensure_sam
    sam build --template template.yaml
    artifact=".aws-sam/build/UserServiceFunction/bootstrap"
    ;;
  *) die "usage: $0 [cargo|sam]" ;;
esac
require_arm64 "$artifact"
say "$artifact: arm64, $(du -k "$artifact" | cut -f1) KiB ($(gzip -c "$artifact" | wc -c | awk '{printf "%.1f", $1/1048576}') MiB zipped)"
