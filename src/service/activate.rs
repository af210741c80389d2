//! Use case: activate an account (idempotent).

use super::status_change::change_status;
use super::{AccountStore, AuthenticationError, Credentials, PasswordHasher};
use crate::domain::User;

/// Activates the account behind `credentials`. An already active account is returned as is,
/// without a write.
pub async fn activate<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    credentials: Credentials,
) -> Result<User, AuthenticationError> {
    change_status(store, hasher, credentials, User::activate).await
}
