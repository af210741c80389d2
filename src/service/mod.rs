//! The service layer: one file per use case, plus the ports they talk through.
//!
//! Use cases take an [`AccountStore`] (reached through a [`UnitOfWork`]) and a
//! [`PasswordHasher`]; they know nothing of HTTP or DynamoDB, so the same code runs against
//! the in-memory store in tests and DynamoDB in production. Each returns its own error enum whose
//! variants are the outcomes a caller must tell apart.

mod activate;
mod authenticate;
mod create_user;
mod deactivate;
mod hasher;
mod ports;
mod retry;
mod sign_in;
mod status_change;
mod unit_of_work;

pub use activate::activate;
pub use authenticate::{AuthenticationError, Credentials};
pub use create_user::{CreateUser, CreateUserError, create_user};
pub use deactivate::deactivate;
pub use hasher::{HashCost, HashMemoryLimit, PasswordHasher, Pepper};
pub use ports::{AccountStore, Change, CommitError, Record, StoreError, each_record_once};
pub(crate) use retry::unix_now;
pub use sign_in::{SignInError, sign_in};
pub use unit_of_work::UnitOfWork;
