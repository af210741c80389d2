//! Use case: delete the account an access token speaks for, and everything of it.
//!
//! It needs the token and the password. The account's two items and its sessions' items go in
//! one transaction, conditioned on the version read (an account with more sessions than a
//! transaction holds loses the surplus first, each deletion harmless on its own). A retry after
//! a success finds nothing and answers the same, so deletion is idempotent.

use anyhow::anyhow;

use super::outcome::Attempt;
use super::{AccountStore, Accounts, Bearer, CommitError, Refusal, ServiceError, UnitOfWork};
use crate::domain::{Password, SessionId, User};

/// Session deletions that fit in one commit beside the account's two items and its
/// `user.deleted` event.
const SESSIONS_PER_COMMIT: usize = super::RECORDS_PER_COMMIT - 3;

impl<S: AccountStore> Accounts<S> {
    /// Deletes `bearer`'s account: its e-mail and id reservations, its sessions. An account
    /// already gone (this deletion retried) is a success.
    pub async fn delete_account(
        &self,
        bearer: &Bearer,
        password: Password,
    ) -> Result<(), ServiceError> {
        let password = &password;
        self.retrying("deletion", move |mut uow| async move {
            let user = match uow.user_by_email(&bearer.email).await? {
                Some(user) if user.id() == bearer.id => user,
                // Gone, or the address belongs to a newer account: nothing of ours is left.
                _ => return Ok(()),
            };
            // Still ours: the token must be as good here as on every bearer route (active,
            // issued in the account's session epoch), whatever the password.
            if !user.is_active() || user.is_disabled() || user.session_epoch() != bearer.epoch {
                tracing::info!(user_id = %bearer.id, "bearer token refused: its account is inactive or signed out everywhere");
                return Err(Refusal::InvalidAccessToken.into());
            }
            self.check_password(&user, password).await?;
            let sessions = self.erase(&mut uow, &user).await?;
            tracing::info!(user_id = %user.id(), sessions, "account deleted");
            Ok(())
        })
        .await
    }

    /// Deletes `user` (as read) and its sessions, the account's deletion conditioned on the
    /// version read: what an owner's deletion and an administrator's write. Returns how many
    /// sessions went with it.
    pub(super) async fn erase(
        &self,
        uow: &mut UnitOfWork<'_, S>,
        user: &User,
    ) -> Result<usize, Attempt> {
        let sessions = uow.sessions_of(user.id()).await?;
        let (surplus, last) = sessions.split_at(sessions.len().saturating_sub(SESSIONS_PER_COMMIT));
        for chunk in surplus.chunks(SESSIONS_PER_COMMIT) {
            self.delete_sessions(chunk).await?;
        }
        uow.delete(user);
        for session in last {
            uow.delete_session(*session);
        }
        uow.commit().await?;
        Ok(sessions.len())
    }

    /// Deletes `sessions` in a transaction of their own.
    async fn delete_sessions(&self, sessions: &[SessionId]) -> Result<(), ServiceError> {
        let mut uow = self.begin();
        for session in sessions {
            uow.delete_session(*session);
        }
        uow.commit().await.map_err(|error| match error {
            CommitError::Store(e) => e.into(),
            other => {
                ServiceError::Unexpected(anyhow!(other).context("deleting an account's sessions"))
            }
        })
    }
}
