//! How passwords are kept: Argon2id over a pepper that lives outside the table.
//!
//! [`PasswordHasher`] hashes and verifies; [`HashCost`] and [`HashMemoryLimit`] bound what one
//! hash may cost (new and stored alike); `hash_memory` keeps Argon2's working memory, one block
//! per CPU; [`Peppers`] are the versioned secret mixed into every password. [`TotpKeys`] seal
//! the second factor's secrets at rest, versioned the same way. None of it does I/O: the
//! secrets arrive from Secrets Manager at cold start (`adapters::secrets_manager`).

mod hash_cost;
mod hash_memory;
mod hasher;
mod key_document;
mod pepper;
mod totp_keys;

pub use hash_cost::{HashCost, HashMemoryLimit};
pub use hasher::PasswordHasher;
pub use pepper::{Pepper, PepperAge, PepperId, Peppers};
pub use totp_keys::TotpKeys;
