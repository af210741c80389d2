#!/usr/bin/env bash
# make admin ARGS="GET /admin/users/?limit=10": sends one admin request to the function that
# `make run` serves (on API_PORT, default 9000), as the API Gateway event AWS_IAM
# authorization would deliver (requestContext.authorizer.iam naming ADMIN_ARN), and prints the
# function's response. Deployed, sign the request with SigV4 instead (docs/deploy.md, Admin
# requests).
source "$(dirname "$0")/lib.sh"
ARGS="${1:-}"
API_PORT="${API_PORT:-9000}"
ADMIN_ARN="${ADMIN_ARN:-arn:aws:iam::000000000000:user/local-admin}"
read -r METHOD TARGET EXTRA <<<"$ARGS"
[ -n "$METHOD" ] && [ -n "$TARGET" ] && [ -z "$EXTRA" ] ||
  die 'usage: make admin ARGS="GET /admin/users/?email_prefix=ada&limit=10" (or "POST /admin/users/<id>/disable/")'
case "$TARGET" in /admin/*) ;; *) die "not an admin route: $TARGET" ;; esac
EVENT=$(python3 "$ROOT/scripts/admin_event.py" "$METHOD" "$TARGET" "$ADMIN_ARN") || die "could not build the event"
ensure_cargo_lambda
# cargo lambda invoke dials [::1] by default; make run listens on 127.0.0.1.
exec cargo lambda invoke --invoke-address 127.0.0.1 --invoke-port "$API_PORT" \
  --data-ascii "$EVENT" --output-format json
