//! Use case: sign in to an active account.

use super::authenticate::authenticate;
use super::{AccountStore, AuthenticationError, Credentials, PasswordHasher, UnitOfWork};
use crate::domain::User;

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error(transparent)]
    Authentication(#[from] AuthenticationError),
    #[error("the account has not been activated")]
    Inactive,
}

/// Checks the credentials and that the account is active. Reads one item and writes nothing.
pub async fn sign_in<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    credentials: Credentials,
) -> Result<User, SignInError> {
    let uow = UnitOfWork::begin(store);
    let user = authenticate(&uow, hasher, &credentials).await?;
    if !user.is_active() {
        return Err(SignInError::Inactive);
    }
    tracing::info!(user_id = %user.id(), "signed in");
    Ok(user)
}
