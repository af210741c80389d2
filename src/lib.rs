//! A user-account service (sign-up, activation, sign-in, deactivation) that runs as one AWS
//! Lambda function behind API Gateway and keeps its data in DynamoDB.
//!
//! # Layout
//!
//! A request flows `main` → [`http`] → [`service`] → [`adapters`] and back:
//!
//! - [`domain`]: the `User` aggregate and the value types (`Email`, `Password`, …) that can only
//!   hold valid data. No I/O. Only this crate can rebuild a `User` from stored state.
//! - [`service`]: one use case per file, the `AccountStore` port they talk through (whose
//!   `Change`s each name exactly what they write), the unit of work and the password hasher.
//! - [`adapters`]: `AccountStore` on DynamoDB, and an in-memory twin for tests; one contract
//!   suite (`tests/contract`) holds both to the same behaviour.
//! - [`http`]: the route table (method, path, handler), request parsing, one handler per
//!   endpoint, and the one error type that maps outcomes to statuses.
//! - [`config`], [`telemetry`]: settings and logs, set up once at cold start.

pub mod adapters;
pub mod config;
pub mod domain;
pub mod http;
pub mod service;
pub mod telemetry;
