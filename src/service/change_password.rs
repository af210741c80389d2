//! Use case: change the password of the account an access token speaks for.
//!
//! A sensitive change needs both the token and the current password. The new hash and the end
//! of every session started before (the account's session epoch moves on) are one write, in
//! one transaction with the caller's new session: after it, the old password fails at once,
//! every other refresh token is refused, and the caller holds a fresh pair.

use anyhow::Context;

use super::{AccountStore, Accounts, Bearer, ServiceError, TokenPair};
use crate::domain::{NewPassword, Password};

/// The current password, to re-authenticate, and the one to replace it with.
#[derive(Debug, Clone)]
pub struct ChangePassword {
    pub current: Password,
    pub new: NewPassword,
}

impl<S: AccountStore> Accounts<S> {
    /// Replaces the password of `bearer`'s account and returns a new token pair for the
    /// caller. One read and one transaction (the account's update and the new session's item).
    pub async fn change_password(
        &self,
        bearer: &Bearer,
        command: ChangePassword,
    ) -> Result<TokenPair, ServiceError> {
        let command = &command;
        self.retrying("password change", move |mut uow| async move {
            let mut user = self.bearer_account(&uow, bearer).await?;
            self.check_password(&user, &command.current).await?;
            let hash = self
                .hasher
                .hash(command.new.as_ref())
                .await
                .context("hashing the new password")?;
            user.change_password(hash);
            user.end_sessions();
            let (session, tokens) = self.new_session(&user, bearer.amr)?;
            uow.save_password_hash(&user);
            uow.start_session(session);
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), "password changed; other sessions ended");
            Ok(tokens)
        })
        .await
    }
}
