//! Use case: change the password of the account an access token speaks for.
//!
//! A sensitive change needs both the token and the current password. The new hash and the end
//! of every session started before (the account's session epoch moves on) are one write, in
//! one transaction with the caller's new session: after it, the old password fails at once,
//! every other refresh token is refused, and the caller holds a fresh pair.

use anyhow::{Context, anyhow};

use super::bearer::{bearer_account, check_password, from_password_refused};

use super::{
    AccountStore, CommitError, InvalidAccessToken, PasswordHasher, StoreError, TokenPair, Tokens,
    UnitOfWork,
};
use crate::domain::{NewPassword, Password, Session};

/// How often the change is attempted when the account changes between our read and our write.
const MAX_ATTEMPTS: u32 = 3;

/// The current password, to re-authenticate, and the one to replace it with.
#[derive(Debug, Clone)]
pub struct ChangePassword {
    pub current: Password,
    pub new: NewPassword,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    #[error(transparent)]
    InvalidToken(#[from] InvalidAccessToken),
    #[error("the token's account is gone or inactive")]
    AccountGone,
    #[error("the current password does not match")]
    WrongPassword,
    /// Too many recent failures; try again after this many seconds.
    #[error("too many failed attempts: locked for {0} s")]
    Locked(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Replaces the password of the bearer of `token` and returns a new token pair for the caller.
/// One read and one transaction (the account's update and the new session's item).
pub async fn change_password<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    tokens: &Tokens,
    token: &str,
    command: ChangePassword,
) -> Result<TokenPair, ChangePasswordError> {
    let bearer = tokens.access.verify(token)?;
    for attempt in 1..=MAX_ATTEMPTS {
        let mut uow = UnitOfWork::begin(store);
        let mut user = bearer_account(&uow, &bearer)
            .await?
            .ok_or(ChangePasswordError::AccountGone)?;
        check_password(store, hasher, &user, &command.current).await?;
        let hash = hasher
            .hash(command.new.as_ref())
            .await
            .context("hashing the new password")?;
        user.replace_password_hash(hash);
        user.end_sessions();
        let now = tokens.clock.now();
        let (session, refresh) = Session::start(&user, now, tokens.policy.refresh_ttl)
            .context("drawing a refresh token from the OS random source")?;
        let access = tokens.access.issue(&user, now)?;
        uow.save_password_hash(&user);
        uow.start_session(session);
        match uow.commit().await {
            Ok(()) => {
                tracing::info!(user_id = %user.id(), "password changed; other sessions ended");
                return Ok(TokenPair { access, refresh });
            }
            Err(CommitError::Conflict | CommitError::Contended) => {
                tracing::info!(user_id = %user.id(), attempt, "account changed concurrently; retrying");
            }
            Err(CommitError::Store(e)) => return Err(e.into()),
            Err(CommitError::EmailTaken) => {
                return Err(anyhow!("a password change reported a taken e-mail").into());
            }
        }
    }
    Err(StoreError::Unavailable(anyhow!(
        "the account kept changing concurrently ({MAX_ATTEMPTS} attempts)"
    ))
    .into())
}

from_password_refused!(ChangePasswordError);
