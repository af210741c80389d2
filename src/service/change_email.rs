//! Use case: move the account an access token speaks for to another e-mail address.
//!
//! It needs the token and the password. The move is one transaction: the account's item moves
//! to the new address (conditioned on nobody holding it), the old one is deleted (conditioned
//! on the version read) and the id reservation is re-pointed; so of two accounts racing for one
//! address exactly one wins and nothing is left half-moved. The address is the sign-in
//! identity, so a move ends every session: the owner signs in again with the new address.

use anyhow::anyhow;

use super::bearer::{bearer_account, check_password, from_password_refused};

use super::{
    AccountStore, CommitError, InvalidAccessToken, PasswordHasher, StoreError, Tokens, UnitOfWork,
};
use crate::domain::{Email, Password, User};

/// How often the move is attempted when the account changes between our read and our write.
const MAX_ATTEMPTS: u32 = 3;

/// The password, to re-authenticate, and the address to move to.
#[derive(Debug, Clone)]
pub struct ChangeEmail {
    pub password: Password,
    pub new_email: Email,
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeEmailError {
    #[error(transparent)]
    InvalidToken(#[from] InvalidAccessToken),
    #[error("the token's account is gone or inactive")]
    AccountGone,
    #[error("the password does not match")]
    WrongPassword,
    /// Too many recent failures; try again after this many seconds.
    #[error("too many failed attempts: locked for {0} s")]
    Locked(u64),
    #[error("the new address is already registered")]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Moves the bearer of `token` to `command.new_email` and returns the account as stored after.
/// Moving to the address it already has changes nothing.
pub async fn change_email<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    tokens: &Tokens,
    token: &str,
    command: ChangeEmail,
) -> Result<User, ChangeEmailError> {
    let bearer = tokens.access.verify(token)?;
    for attempt in 1..=MAX_ATTEMPTS {
        let mut uow = UnitOfWork::begin(store);
        let mut user = bearer_account(&uow, &bearer)
            .await?
            .ok_or(ChangeEmailError::AccountGone)?;
        check_password(store, hasher, &user, &command.password).await?;
        if !user.change_email(command.new_email.clone()) {
            return Ok(user);
        }
        user.end_sessions();
        uow.save_email(&user);
        match uow.commit().await {
            Ok(()) => {
                tracing::info!(user_id = %user.id(), "e-mail address changed; sessions ended");
                return Ok(user);
            }
            Err(CommitError::EmailTaken) => return Err(ChangeEmailError::EmailTaken),
            Err(CommitError::Conflict | CommitError::Contended) => {
                tracing::info!(user_id = %user.id(), attempt, "account changed concurrently; retrying");
            }
            Err(CommitError::Store(e)) => return Err(e.into()),
        }
    }
    Err(StoreError::Unavailable(anyhow!(
        "the account kept changing concurrently ({MAX_ATTEMPTS} attempts)"
    ))
    .into())
}

from_password_refused!(ChangeEmailError);
