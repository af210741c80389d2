//! Use case: activate an account (idempotent).

use super::{AccountStore, Accounts, Credentials, ServiceError};
use crate::domain::User;

impl<S: AccountStore> Accounts<S> {
    /// Activates the account behind `credentials`. An already active account is returned as
    /// is, without a write.
    pub async fn activate(&self, credentials: Credentials) -> Result<User, ServiceError> {
        self.change_status(credentials, User::activate).await
    }
}
