#!/usr/bin/env bash
# make reset: forget the accounts `make run` stored, unless `make run` is serving them
# (deleting DynamoDB Local's files under a running server corrupts the table). What a killed
# `make run` left running on them is stopped first, for the same reason.
source "$(dirname "$0")/lib.sh"
DATA_DIR="${DATA_DIR:-$ROOT/.dynamodb}"
refuse_if_serving "$DATA_DIR"
reclaim_leftovers "$DATA_DIR"
rm -rf "$DATA_DIR"
say "forgot the local accounts, pepper and signing keys ($DATA_DIR)"
