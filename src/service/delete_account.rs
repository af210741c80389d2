//! Use case: delete the account an access token speaks for, and everything of it.
//!
//! It needs the token and the password. The account's two items and its sessions' items go in
//! one transaction, conditioned on the version read (an account with more sessions than a
//! transaction holds loses the surplus first, each deletion harmless on its own). A retry after
//! a success finds nothing and answers the same, so deletion is idempotent.

use anyhow::anyhow;

use super::bearer::{check_password, from_password_refused};
use super::{
    AccountStore, CommitError, InvalidAccessToken, PasswordHasher, StoreError, Tokens, UnitOfWork,
};
use crate::domain::{Password, SessionId};

/// How often the deletion is attempted when the account changes between our read and write.
const MAX_ATTEMPTS: u32 = 3;
/// Session deletions that fit beside the account's two in one `TransactWriteItems` (100 items).
const SESSIONS_PER_COMMIT: usize = 98;

#[derive(Debug, thiserror::Error)]
pub enum DeleteAccountError {
    #[error(transparent)]
    InvalidToken(#[from] InvalidAccessToken),
    #[error("the token's account is inactive")]
    Inactive,
    #[error("the password does not match")]
    WrongPassword,
    /// Too many recent failures; try again after this many seconds.
    #[error("too many failed attempts: locked for {0} s")]
    Locked(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Deletes the bearer of `token`: its account, its e-mail and id reservations, its sessions.
/// An account already gone (this deletion retried) is a success.
pub async fn delete_account<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    tokens: &Tokens,
    token: &str,
    password: Password,
) -> Result<(), DeleteAccountError> {
    let bearer = tokens.access.verify(token)?;
    for attempt in 1..=MAX_ATTEMPTS {
        let mut uow = UnitOfWork::begin(store);
        let user = match uow.user_by_email(&bearer.email).await? {
            Some(user) if user.id() == bearer.id => user,
            // Gone, or the address belongs to a newer account: nothing of ours is left.
            _ => return Ok(()),
        };
        if !user.is_active() {
            return Err(DeleteAccountError::Inactive);
        }
        check_password(store, hasher, &user, &password).await?;
        let sessions = uow.sessions_of(user.id()).await?;
        let (surplus, last) = sessions.split_at(sessions.len().saturating_sub(SESSIONS_PER_COMMIT));
        for chunk in surplus.chunks(SESSIONS_PER_COMMIT) {
            delete_sessions(store, chunk).await?;
        }
        uow.delete(&user);
        for session in last {
            uow.delete_session(*session);
        }
        match uow.commit().await {
            Ok(()) => {
                tracing::info!(user_id = %user.id(), sessions = sessions.len(), "account deleted");
                return Ok(());
            }
            Err(CommitError::Conflict | CommitError::Contended) => {
                tracing::info!(user_id = %user.id(), attempt, "account changed concurrently; retrying");
            }
            Err(CommitError::Store(e)) => return Err(e.into()),
            Err(CommitError::EmailTaken) => {
                return Err(anyhow!("a deletion reported a taken e-mail").into());
            }
        }
    }
    Err(StoreError::Unavailable(anyhow!(
        "the account kept changing concurrently ({MAX_ATTEMPTS} attempts)"
    ))
    .into())
}

async fn delete_sessions<S: AccountStore>(
    store: &S,
    sessions: &[SessionId],
) -> Result<(), DeleteAccountError> {
    let mut uow = UnitOfWork::begin(store);
    for session in sessions {
        uow.delete_session(*session);
    }
    uow.commit().await.map_err(|error| match error {
        CommitError::Store(e) => DeleteAccountError::Store(e),
        other => anyhow::Error::new(other)
            .context("deleting an account's sessions")
            .into(),
    })
}

from_password_refused!(DeleteAccountError);
