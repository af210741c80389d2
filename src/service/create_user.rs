//! Use case: register a new, inactive account.

use anyhow::{Context, anyhow};

use super::retry::{self, unix_now};
use super::{AccountStore, CommitError, PasswordHasher, StoreError, UnitOfWork};
use crate::domain::{Email, NewPassword, PersonName, User};

/// How often the write is attempted when the store cancels it for a concurrent write to the
/// same items (two sign-ups with one address at the same instant, in DynamoDB).
const MAX_ATTEMPTS: u32 = 4;

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
/// race gets [`CreateUserError::EmailTaken`] with the winner's account untouched. DynamoDB
/// may instead cancel the loser's transaction without deciding (`TransactionConflict`, while
/// the winner's is in flight); it is then tried again after a jittered pause, and the retry
/// meets the winner's account and answers `EmailTaken`.
pub async fn create_user<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    command: CreateUser,
) -> Result<User, CreateUserError> {
    let hash = hasher
        .hash(command.password.as_ref())
        .await
        .context("hashing the new account's password")?;
    let user = User::register(
        command.name,
        command.surname,
        command.email,
        hash,
        unix_now(),
    );

    for attempt in 1..=MAX_ATTEMPTS {
        let mut uow = UnitOfWork::begin(store);
        uow.create(user.clone());
        match uow.commit().await {
            Ok(()) => {
                tracing::info!(user_id = %user.id(), "account created");
                return Ok(user);
            }
            Err(CommitError::Contended) => {
                tracing::info!(attempt, "sign-up met a concurrent write; retrying");
                if attempt < MAX_ATTEMPTS {
                    retry::wait(attempt).await;
                }
            }
            Err(CommitError::EmailTaken) => return Err(CreateUserError::EmailTaken),
            Err(CommitError::Store(e)) => return Err(e.into()),
            Err(CommitError::Conflict) => {
                return Err(anyhow!("a brand-new account conflicted with a stored one").into());
            }
        }
    }
    Err(StoreError::Unavailable(anyhow!(
        "sign-up kept meeting concurrent writes ({MAX_ATTEMPTS} attempts)"
    ))
    .into())
}
