//! Checking an e-mail and password pair: the first step of sign-in, activation and deactivation.

use super::bearer::{check_password, from_password_refused};
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
    /// Too many recent failures; try again after this many seconds.
    #[error("too many failed attempts: locked for {0} s")]
    Locked(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

from_password_refused!(AuthenticationError);

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
    check_password(uow.store(), hasher, &user, &credentials.password).await?;
    if hasher.is_weaker(user.password_hash()) {
        return Ok(rehashed(uow, hasher, user, &credentials.password).await);
    }
    Ok(user)
}

/// `user` with its hash re-made at the hasher's current settings and written back (one
/// conditional write), as read again; or, should that fail, `user` as it was: the next
/// sign-in tries again, and the weaker hash still works meanwhile.
async fn rehashed<S: AccountStore>(
    uow: &UnitOfWork<'_, S>,
    hasher: &PasswordHasher,
    mut user: User,
    password: &Password,
) -> User {
    let before = user.clone();
    let written = async {
        user.replace_password_hash(hasher.hash(password).await?);
        let mut rehash = UnitOfWork::begin(uow.store());
        rehash.save_password_hash(&user);
        rehash.commit().await?;
        anyhow::Ok(uow.user_by_email(user.revision().key()).await?)
    };
    match written.await {
        Ok(Some(stored)) => {
            tracing::info!(user_id = %stored.id(), "password re-hashed at the current cost");
            stored
        }
        Ok(None) => before,
        Err(error) => {
            tracing::warn!(user_id = %before.id(), error = %format!("{error:#}"), "re-hashing failed");
            before
        }
    }
}
