//! The service layer: one file per use case, plus the ports they talk through.
//!
//! Use cases take an [`AccountStore`] (reached through a [`UnitOfWork`]) and a
//! [`PasswordHasher`]; they know nothing of HTTP or DynamoDB, so the same code runs against
//! the in-memory store in tests and DynamoDB in production. Each returns its own error enum whose
//! variants are the outcomes a caller must tell apart.

mod access_token;
mod activate;
mod authenticate;
mod bearer;
mod change_email;
mod change_password;
mod clock;
mod create_user;
mod current_account;
mod deactivate;
mod delete_account;
mod hash_cost;
mod hash_memory;
mod hasher;
mod pepper;
mod ports;
mod refresh;
mod retry;
mod sign_in;
mod sign_out;
mod signing_keys;
mod status_change;
mod tokens;
mod unit_of_work;

pub use access_token::{
    AccessToken, AccessTokens, Bearer, InvalidAccessToken, SCOPE, TokenSettings,
};
pub use bearer::PasswordRefused;
pub use change_email::{ChangeEmail, ChangeEmailError, change_email};
pub use change_password::{ChangePassword, ChangePasswordError, change_password};
pub use clock::Clock;
pub use current_account::{CurrentAccountError, current_account};
pub use refresh::{RefreshError, refresh};
pub use sign_out::{SignOutError, sign_out};
pub use signing_keys::{ALGORITHM, SigningKeys};
pub use tokens::{SessionPolicy, TokenPair, Tokens};

pub use activate::activate;
pub use authenticate::{AuthenticationError, Credentials};
pub use create_user::{CreateUser, CreateUserError, create_user};
pub use deactivate::deactivate;
pub use delete_account::{DeleteAccountError, delete_account};
pub use hash_cost::{HashCost, HashMemoryLimit};
pub use hasher::PasswordHasher;
pub use pepper::{Pepper, PepperAge, PepperId, Peppers};
pub use ports::{AccountStore, Change, CommitError, Record, StoreError, each_record_once};
pub(crate) use retry::unix_now;
pub use sign_in::{SignInError, SignedIn, sign_in};
pub use unit_of_work::UnitOfWork;
