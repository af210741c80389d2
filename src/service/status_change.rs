//! What activation and deactivation share: authenticate, let the aggregate decide, write only a
//! real change, and never overwrite a concurrent one.

use anyhow::anyhow;

use super::authenticate::authenticate;
use super::retry;
use super::{
    AccountStore, AuthenticationError, CommitError, Credentials, PasswordHasher, StoreError,
    UnitOfWork,
};
use crate::domain::User;

/// How often a status change is attempted when the account changes between our read and our
/// write (or a concurrent transaction holds it). Only another write to the same account can
/// cause that, so a second attempt almost always settles.
const MAX_ATTEMPTS: u32 = 3;

/// Applies `change` (`User::activate` or `User::deactivate`) to the account behind
/// `credentials` and returns the account as stored afterwards. It fails exactly the ways
/// authentication can, so it shares [`AuthenticationError`].
///
/// The write is conditional on the version read, so a concurrent change makes it fail instead of
/// being overwritten; the whole read-verify-decide step then runs again on fresh data.
pub(super) async fn change_status<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    credentials: Credentials,
    change: fn(&mut User) -> bool,
) -> Result<User, AuthenticationError> {
    for attempt in 1..=MAX_ATTEMPTS {
        let mut uow = UnitOfWork::begin(store);
        let mut user = authenticate(&uow, hasher, &credentials).await?;
        if !change(&mut user) {
            return Ok(user);
        }
        uow.save_status(&user);
        match uow.commit().await {
            Ok(()) => {
                tracing::info!(user_id = %user.id(), active = user.is_active(), "status changed");
                return Ok(user);
            }
            Err(CommitError::Conflict) => {
                tracing::info!(user_id = %user.id(), attempt, "account changed concurrently; retrying");
            }
            Err(CommitError::Contended) => {
                tracing::info!(user_id = %user.id(), attempt, "account is being written; retrying");
                if attempt < MAX_ATTEMPTS {
                    retry::wait(attempt).await;
                }
            }
            Err(CommitError::Store(e)) => return Err(e.into()),
            Err(CommitError::EmailTaken) => {
                return Err(
                    StoreError::Unexpected(anyhow!("an update reported a taken e-mail")).into(),
                );
            }
        }
    }
    Err(StoreError::Unavailable(anyhow!(
        "the account kept changing concurrently ({MAX_ATTEMPTS} attempts)"
    ))
    .into())
}
