//! Use case: register a new, inactive account.

use anyhow::{Context, anyhow};

use super::{AccountStore, CommitError, PasswordHasher, StoreError, UnitOfWork};
use crate::domain::{Email, NewPassword, PersonName, User};

/// Everything needed to register an account, already parsed.
#[derive(Debug, Clone)]
pub struct CreateUser {
    pub name: PersonName,
    pub surname: PersonName,
    pub email: Email,
    pub password: NewPassword,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("the e-mail address is already registered")]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Hashes the password and registers the account in one atomic write.
///
/// There is deliberately no "is this e-mail taken?" read first: it would cost a call and still
/// race with a concurrent sign-up. The store's uniqueness guarantee decides, and the loser of a
/// race gets [`CreateUserError::EmailTaken`] with the winner's account untouched.
pub async fn create_user<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    command: CreateUser,
) -> Result<User, CreateUserError> {
    let hash = hasher
        .hash(command.password.as_ref())
        .await
        .context("hashing the new account's password")?;
    let user = User::register(command.name, command.surname, command.email, hash);

    let mut uow = UnitOfWork::begin(store);
    uow.add(user.clone());
    uow.commit().await.map_err(|e| match e {
        CommitError::EmailTaken => CreateUserError::EmailTaken,
        CommitError::Store(e) => CreateUserError::Store(e),
        CommitError::Conflict => anyhow!("a brand-new account conflicted with a stored one").into(),
    })?;
    tracing::info!(user_id = %user.id(), "account created");
    Ok(user)
}
