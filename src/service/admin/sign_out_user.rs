//! Use case (admin): end every session of an account, as its owner's sign-out everywhere
//! does: one increment of its session epoch, whatever else changed meanwhile.

use super::refused;
use crate::domain::{IamCaller, UserId};
use crate::service::{AccountStore, Accounts, Refusal, ServiceError};

impl<S: AccountStore> Accounts<S> {
    /// Ends every session of account `id`.
    pub async fn sign_out_user(&self, caller: &IamCaller, id: UserId) -> Result<(), ServiceError> {
        self.retrying(
            "ending an account's sessions (admin)",
            move |mut uow| async move {
                let record = (uow.account_by_id(id).await?).ok_or(Refusal::UserNotFound)?;
                let user = record.user;
                uow.end_sessions(user.revision().key(), id, user.session_epoch());
                uow.commit().await?;
                tracing::info!(caller_arn = %caller, user_id = %id, "admin: every session ended");
                Ok(())
            },
        )
        .await
        .inspect_err(|error| refused(caller, id, "ending sessions", error))
    }
}
