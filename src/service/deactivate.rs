//! Use case: deactivate an account (idempotent).

use super::status_change::change_status;
use super::{AccountStore, AuthenticationError, Credentials, PasswordHasher};
use crate::domain::User;

/// Deactivates the account behind `credentials`. An already inactive account is returned as is,
/// without a write.
pub async fn deactivate<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    credentials: Credentials,
) -> Result<User, AuthenticationError> {
    change_status(store, hasher, credentials, User::deactivate).await
}
