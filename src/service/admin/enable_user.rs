//! Use case (admin): enable a disabled account. Its sessions stay ended: its owner signs in
//! again.

use super::AdminAccount;
use crate::domain::{IamCaller, User, UserId};
use crate::service::{AccountStore, Accounts, ServiceError};

impl<S: AccountStore> Accounts<S> {
    /// Enables account `id` (not disabled: nothing is written) and returns it.
    pub async fn enable_user(
        &self,
        caller: &IamCaller,
        id: UserId,
    ) -> Result<AdminAccount, ServiceError> {
        self.set_disabled(caller, id, User::enable).await
    }
}
