//! Use case: the account an access token speaks for, as stored now.

use super::{AccessTokens, AccountStore, InvalidAccessToken, StoreError, UnitOfWork};
use crate::domain::User;

#[derive(Debug, thiserror::Error)]
pub enum CurrentAccountError {
    #[error(transparent)]
    InvalidToken(#[from] InvalidAccessToken),
    #[error("the token's account is gone or inactive")]
    AccountGone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Verifies `token` (no store call if it is refused) and reads its account: one read.
pub async fn current_account<S: AccountStore>(
    store: &S,
    access: &AccessTokens,
    token: &str,
) -> Result<User, CurrentAccountError> {
    let bearer = access.verify(token)?;
    UnitOfWork::begin(store)
        .user_by_email(&bearer.email)
        .await?
        .filter(|user| user.id() == bearer.id && user.is_active())
        .ok_or(CurrentAccountError::AccountGone)
}
