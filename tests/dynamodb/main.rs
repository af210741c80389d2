//! Integration tests of the DynamoDB adapter.
//!
//! Most run against DynamoDB Local, found through `AWS_ENDPOINT_URL_DYNAMODB` (as the SDK finds
//! it); `make test` starts one on a free port. Each test works in a table of its own, so the
//! tests run in parallel. `faults` needs no database: it feeds the SDK canned HTTP responses.
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

#[path = "../common/mod.rs"]
mod common;

mod calls;
mod concurrency;
mod faults;
mod items;
mod restart;
mod totp;
