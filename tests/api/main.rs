//! Handler tests: API Gateway events in, status, headers and JSON bodies out, on the in-memory
//! store. They pin the HTTP contract; the DynamoDB suite proves the same against a real table.
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

#[path = "../common/mod.rs"]
mod common;

mod access_tokens;
mod admin;
mod bad_input;
mod browsers;
mod create_user;
mod delete;
mod email;
mod errors;
mod events;
mod existence;
mod lockout;
mod mfa;
mod names;
mod oauth;
mod openapi;
mod own_sessions;
mod password;
mod password_reset;
mod reference;
mod routing;
mod session_ends;
mod sessions;
mod sign_in;
mod status;
mod twins;
mod verification;
