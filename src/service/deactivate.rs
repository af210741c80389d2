//! Use case: deactivate an account (idempotent); every session of it ends.

use super::{AccountStore, Accounts, Credentials, ServiceError};
use crate::domain::User;

impl<S: AccountStore> Accounts<S> {
    /// Deactivates the account behind `credentials`. An already inactive account is returned
    /// as is, without a write.
    pub async fn deactivate(&self, credentials: Credentials) -> Result<User, ServiceError> {
        self.change_status(credentials, User::deactivate, false)
            .await
    }
}
