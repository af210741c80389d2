//! Service-layer tests: every outcome of every use case, on the in-memory store.
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

#[path = "../common/mod.rs"]
mod common;

mod activate;
mod create_user;
mod deactivate;
mod mails;
mod mfa;
mod mfa_attacks;
mod own_sessions;
mod rehash;
mod require_verified;
mod reset;
mod sessions;
mod sign_in;
mod support;
mod verification;
