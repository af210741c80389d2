//! What the use cases acting for a bearer token share: the account the token speaks for, as
//! stored now, and for sensitive changes the password, checked again.

use anyhow::Context;

use super::{AccountStore, Bearer, PasswordHasher, StoreError, UnitOfWork};
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
