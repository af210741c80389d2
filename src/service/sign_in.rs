//! Use case: sign in to an active account, starting a session.

use anyhow::Context;

use super::authenticate::authenticate;
use super::{
    AccountStore, AuthenticationError, CommitError, Credentials, PasswordHasher, StoreError,
    TokenPair, Tokens, UnitOfWork,
};
use crate::domain::{Session, User};

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error(transparent)]
    Authentication(#[from] AuthenticationError),
    #[error("the account has not been activated")]
    Inactive,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// The account signed in to and its first pair of tokens.
#[derive(Debug)]
pub struct SignedIn {
    pub user: User,
    pub tokens: TokenPair,
}

/// Checks the credentials and that the account is active, then starts a session: one read,
/// one write (the session's item).
pub async fn sign_in<S: AccountStore>(
    store: &S,
    hasher: &PasswordHasher,
    tokens: &Tokens,
    credentials: Credentials,
) -> Result<SignedIn, SignInError> {
    let mut uow = UnitOfWork::begin(store);
    let user = authenticate(&uow, hasher, &credentials).await?;
    if !user.is_active() {
        return Err(SignInError::Inactive);
    }
    let now = tokens.clock.now();
    let (session, refresh) = Session::start(&user, now, tokens.policy.refresh_ttl)
        .context("drawing a refresh token from the OS random source")?;
    let access = tokens.access.issue(&user, now)?;
    let session_id = session.id();
    uow.start_session(session);
    uow.commit().await.map_err(|error| match error {
        CommitError::Store(e) => SignInError::Store(e),
        other => SignInError::Unexpected(anyhow::Error::new(other).context("starting a session")),
    })?;
    tracing::info!(user_id = %user.id(), %session_id, "signed in");
    Ok(SignedIn {
        user,
        tokens: TokenPair { access, refresh },
    })
}
