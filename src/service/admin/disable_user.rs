//! Use case (admin): disable an account. Every session ends (the epoch moves on), and until
//! an administrator enables it, every route that checks its password answers
//! `AccountDisabled` after a right one, and no token of it is accepted.

use super::AdminAccount;
use crate::domain::{IamCaller, User, UserId};
use crate::service::{AccountStore, Accounts, ServiceError};

impl<S: AccountStore> Accounts<S> {
    /// Disables account `id` (already disabled: nothing is written) and returns it.
    pub async fn disable_user(
        &self,
        caller: &IamCaller,
        id: UserId,
    ) -> Result<AdminAccount, ServiceError> {
        self.set_disabled(caller, id, User::disable).await
    }
}
