//! Use case: the account an access token speaks for, as stored now.

use super::bearer::bearer_account;
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
    bearer_account(&UnitOfWork::begin(store), &bearer)
        .await?
        .ok_or(CurrentAccountError::AccountGone)
}
