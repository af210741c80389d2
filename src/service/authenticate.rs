//! Checking an e-mail and password pair: the first step of sign-in, activation and deactivation.

use super::bearer::password_matches;
use super::{AccountStore, PasswordHasher, StoreError, UnitOfWork};
use crate::domain::{Email, Password, User};

/// An e-mail address and the password claimed for it.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub email: Email,
    pub password: Password,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthenticationError {
    #[error("no account is registered under this e-mail address")]
    UnknownEmail,
    #[error("the password does not match")]
    WrongPassword,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Loads the account registered under `credentials.email` and checks the password against it.
pub(super) async fn authenticate<S: AccountStore>(
    uow: &UnitOfWork<'_, S>,
    hasher: &PasswordHasher,
    credentials: &Credentials,
) -> Result<User, AuthenticationError> {
    let user = uow
        .user_by_email(&credentials.email)
        .await?
        .ok_or(AuthenticationError::UnknownEmail)?;
    if password_matches(hasher, &user, &credentials.password).await? {
        Ok(user)
    } else {
        Err(AuthenticationError::WrongPassword)
    }
}
