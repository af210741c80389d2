//! Use case: sign in to an active account, starting a session.

use super::{AccountStore, Accounts, Credentials, Refusal, ServiceError, TokenPair};
use crate::domain::{Session, User};

/// The account signed in to and its first pair of tokens.
#[derive(Debug)]
pub struct SignedIn {
    pub user: User,
    pub tokens: TokenPair,
}

impl<S: AccountStore> Accounts<S> {
    /// Checks the credentials and that the account is active, then starts a session: one
    /// read, one write (the session's item).
    pub async fn sign_in(&self, credentials: Credentials) -> Result<SignedIn, ServiceError> {
        let mut uow = self.begin();
        let user = self.authenticate(&uow, &credentials).await?;
        if !user.is_active() {
            return Err(Refusal::NotActivated.into());
        }
        self.require_verified(&user)?;
        let (session, tokens) = self.new_session(&user)?;
        uow.start_session(session);
        uow.commit().await?;
        tracing::info!(user_id = %user.id(), session_id = %tokens.refresh.session(), "signed in");
        Ok(SignedIn { user, tokens })
    }

    /// Refuses `user` if its address must be verified and is not (`REQUIRE_VERIFIED_EMAIL`):
    /// the last of the checks after the request is parsed (locked, password, inactive, this).
    pub(super) fn require_verified(&self, user: &User) -> Result<(), Refusal> {
        match self.require_verified_email && !user.is_email_verified() {
            true => Err(Refusal::EmailNotVerified),
            false => Ok(()),
        }
    }

    /// A new session of `user`, started now, and the pair that continues it (sign-in, and a
    /// password change for its caller).
    pub(super) fn new_session(&self, user: &User) -> anyhow::Result<(Session, TokenPair)> {
        let now = self.clock.now();
        let session = Session::start(user, now, self.tokens.policy.lifetimes());
        Ok((session.clone(), self.pair(user, &session, now)?))
    }

    /// The pair that continues `session` of `user` from `now`: its current refresh token and
    /// an access token bound to it.
    pub(super) fn pair(
        &self,
        user: &User,
        session: &Session,
        now: u64,
    ) -> anyhow::Result<TokenPair> {
        Ok(TokenPair {
            access: self.tokens.access.issue(user, session, now)?,
            refresh: self.tokens.refresh.token(session),
        })
    }
}
