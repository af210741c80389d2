//! The account model: the [`User`] aggregate and the value types it is built from.
//!
//! Every type here is *parsed* from raw input exactly once (at the HTTP edge) and cannot be
//! constructed in an invalid state, so the service layer never re-checks anything. Nothing in this
//! module knows about HTTP, DynamoDB or hashing algorithms.

mod email;
mod invalid;
mod name;
mod password;
mod user;

pub use email::Email;
pub use invalid::Invalid;
pub use name::PersonName;
pub use password::{NewPassword, Password, PasswordHash, PasswordPolicy};
pub use user::{StoredUser, User, UserId};
