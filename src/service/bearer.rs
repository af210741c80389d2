//! What the use cases acting for a bearer token share: the account the token speaks for, as
//! stored now, and for sensitive changes the password, checked again.

use anyhow::{Context, anyhow};

use super::retry::unix_now;
use super::{AccountStore, Bearer, CommitError, PasswordHasher, StoreError, UnitOfWork};
use crate::domain::{Password, User};

/// The account `bearer` speaks for, if it is still stored under the token's address, with the
/// token's id, and active.
pub(super) async fn bearer_account<S: AccountStore>(
    uow: &UnitOfWork<'_, S>,
    bearer: &Bearer,
) -> Result<Option<User>, StoreError> {
    Ok(uow
        .user_by_email(&bearer.email)
        .await?
        .filter(|user| user.id() == bearer.id && user.is_active()))
}

/// Whether `password` is `user`'s.
pub(super) async fn password_matches(
    hasher: &PasswordHasher,
    user: &User,
    password: &Password,
) -> anyhow::Result<bool> {
    hasher
        .verify(password, user.password_hash())
        .await
        .with_context(|| format!("verifying the password of account {}", user.id()))
}

/// Why a password check refused.
#[derive(Debug, thiserror::Error)]
pub enum PasswordRefused {
    /// Too many recent failures: nothing was checked; try again after this many seconds.
    #[error("too many failed password checks: locked for {0} s")]
    Locked(u64),
    #[error("the password does not match")]
    Wrong,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Checks `password` against `user`'s, as a guard against guessing: a locked account is
/// refused without running Argon2; a failure is counted (an atomic increment, exact under
/// concurrency); a success clears a count that still stands (the only write a success makes).
pub(super) async fn check_password<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    user: &User,
    password: &Password,
) -> Result<(), PasswordRefused> {
    let now = unix_now();
    if let Some(wait) = user.failures().locked_for(now) {
        return Err(PasswordRefused::Locked(wait));
    }
    if password_matches(hasher, user, password).await? {
        if user.failures().current(now) > 0 {
            let mut uow = UnitOfWork::begin(store);
            uow.clear_failures(user);
            if let Err(error) = uow.commit().await {
                tracing::warn!(user_id = %user.id(), %error, "clearing failed attempts failed");
            }
        }
        return Ok(());
    }
    // Whether this failure starts a new run; if another request's failure got in first, the
    // condition fails and the other kind applies.
    let mut restart = user.failures().current(now) == 0;
    for _ in 0..MAX_COUNT_ATTEMPTS {
        let mut uow = UnitOfWork::begin(store);
        uow.record_failure(user, now, restart);
        match uow.commit().await {
            Ok(()) => return Err(PasswordRefused::Wrong),
            Err(CommitError::Conflict) => restart = !restart,
            Err(CommitError::Contended) => {}
            Err(CommitError::Store(e)) => return Err(e.into()),
            Err(CommitError::EmailTaken) => {
                return Err(anyhow!("counting a failure reported a taken e-mail").into());
            }
        }
    }
    Err(StoreError::Unavailable(anyhow!("the failure count kept changing")).into())
}

/// Writes of one failure count before giving up (a conflict flips the kind of write once).
const MAX_COUNT_ATTEMPTS: u32 = 4;

/// Implements `From<PasswordRefused>` for a use case's error enum, which names the outcomes
/// `Locked(seconds)`, `WrongPassword`, `Store` and `Unexpected` the same way.
macro_rules! from_password_refused {
    ($error:ty) => {
        impl From<$crate::service::PasswordRefused> for $error {
            fn from(refused: $crate::service::PasswordRefused) -> Self {
                use $crate::service::PasswordRefused;
                match refused {
                    PasswordRefused::Locked(wait) => Self::Locked(wait),
                    PasswordRefused::Wrong => Self::WrongPassword,
                    PasswordRefused::Store(e) => Self::Store(e),
                    PasswordRefused::Unexpected(e) => Self::Unexpected(e),
                }
            }
        }
    };
}

pub(super) use from_password_refused;
