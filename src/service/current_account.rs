//! Use case: the account an access token speaks for, as stored now.

use super::{AccountStore, Accounts, Bearer, ServiceError};
use crate::domain::User;

impl<S: AccountStore> Accounts<S> {
    /// The account `bearer` speaks for: one read.
    pub async fn current_account(&self, bearer: &Bearer) -> Result<User, ServiceError> {
        self.bearer_account(&self.begin(), bearer).await
    }
}
