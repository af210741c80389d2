//! Use case: activate an account (idempotent).

use super::{AccountStore, Accounts, Credentials, ServiceError};
use crate::domain::User;

impl<S: AccountStore> Accounts<S> {
    /// Activates the account behind `credentials`. An already active account is returned as
    /// is, without a write. With `REQUIRE_VERIFIED_EMAIL`, an unverified one is refused.
    pub async fn activate(&self, credentials: Credentials) -> Result<User, ServiceError> {
        self.change_status(credentials, User::activate, true).await
    }
}
