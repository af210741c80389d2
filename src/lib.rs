//! A user-account service that runs as one AWS Lambda function behind API Gateway and keeps its
//! data in DynamoDB: sign-up and activation, sign-in with RS256 access tokens and rotating
//! refresh tokens, sign-out, the signed-in account, password and e-mail change, deletion,
//! deactivation, and a lockout against password guessing.
//!
//! # Layout
//!
//! A request flows `main` → [`http`] → [`service`] → [`adapters`] and back:
//!
//! - [`domain`]: the `User` and `Session` aggregates and the value types (`Email`, `Password`,
//!   …) that can only hold valid data. No I/O. Only this crate can rebuild a `User` from stored
//!   state.
//! - [`service`]: `Accounts`, with one use case per file; the one outcome type (`Refusal`,
//!   `ServiceError`); the `AccountStore` port (whose `Change`s each name exactly what they
//!   write), the unit of work and the one retry loop; `credentials` (hashing, pepper) and
//!   `tokens` (access tokens, signing keys).
//! - [`adapters`]: `AccountStore` on DynamoDB, and an in-memory twin for tests; one contract
//!   suite (`tests/contract`) holds both to the same behaviour. Secrets Manager for the secrets.
//! - [`http`]: the route table, dispatch (routing and bearer authentication, once), one module
//!   per endpoint (parse, describe, handle), and the one error type that maps refusals to
//!   statuses.
//! - [`config`], [`telemetry`]: settings and logs, set up once at cold start.

pub mod adapters;
pub mod config;
pub mod domain;
pub mod http;
pub mod service;
pub mod telemetry;
