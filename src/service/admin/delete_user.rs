//! Use case (admin): delete an account and everything of it, with the same writes as its
//! owner's deletion (`delete_account.rs`). Idempotent: an id no account has (deleted already,
//! or never) is a success.

use super::refused;
use crate::domain::{Actor, IamCaller, UserId};
use crate::service::{AccountStore, Accounts, ServiceError};

impl<S: AccountStore> Accounts<S> {
    /// Deletes account `id`, if there is one.
    pub async fn delete_user(&self, caller: &IamCaller, id: UserId) -> Result<(), ServiceError> {
        self.retrying("deleting an account (admin)", move |uow| async move {
            let mut uow = uow.acting_as(Actor::Admin(caller.clone()));
            let Some(record) = uow.account_by_id(id).await? else {
                tracing::info!(caller_arn = %caller, user_id = %id, "admin: no account to delete");
                return Ok(());
            };
            let sessions = self.erase(&mut uow, &record.user).await?;
            tracing::info!(caller_arn = %caller, user_id = %id, sessions, "admin: account deleted");
            Ok(())
        })
        .await
        .inspect_err(|error| refused(caller, id, "deleting", error))
    }
}
