//! Use case: sign in to an active account, starting a session, or (for an account with TOTP)
//! the challenge its second factor answers.

use anyhow::Context;

use super::{AccountStore, Accounts, Credentials, Refusal, ServiceError, TokenPair};
use crate::domain::{Amr, MFA_TOKEN_SECONDS, MfaChallenge, MfaToken, Session, SessionOrigin, User};

/// The account signed in to and its first pair of tokens.
#[derive(Debug)]
pub struct SignedIn {
    pub user: User,
    pub tokens: TokenPair,
}

/// Where a right password leads.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per sign-in, answered at once
pub enum SignIn {
    /// Signed in.
    Complete(SignedIn),
    /// The account has TOTP: `mfa_token` and a second factor finish the sign-in
    /// (`sign_in_mfa`) within `expires_in` seconds.
    SecondFactor {
        mfa_token: MfaToken,
        expires_in: u64,
    },
}

impl SignIn {
    /// The session, if the sign-in is complete (no second factor was needed).
    pub fn complete(self) -> Option<SignedIn> {
        match self {
            Self::Complete(signed_in) => Some(signed_in),
            Self::SecondFactor { .. } => None,
        }
    }
}

impl<S: AccountStore> Accounts<S> {
    /// Checks the credentials and that the account is active, then starts a session: one
    /// read, one write (the session's item). For an account with TOTP, the one write is the
    /// challenge instead, and the answer says nothing of the account.
    pub async fn sign_in(&self, credentials: Credentials) -> Result<SignIn, ServiceError> {
        self.sign_in_from(credentials, SessionOrigin::default())
            .await
    }

    /// [`sign_in`](Self::sign_in), the session (if one starts) recording `origin`: where the
    /// request came from.
    pub async fn sign_in_from(
        &self,
        credentials: Credentials,
        origin: SessionOrigin,
    ) -> Result<SignIn, ServiceError> {
        let mut uow = self.begin();
        let user = self.authenticate(&uow, &credentials).await?;
        if !user.is_active() {
            return Err(Refusal::NotActivated.into());
        }
        self.require_verified(&user)?;
        if user.has_totp() {
            let token =
                MfaToken::generate(user.revision().key()).context("drawing an mfa_token")?;
            uow.start_challenge(MfaChallenge::issue(&token, &user, self.clock.now()));
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), "password accepted; second factor required");
            return Ok(SignIn::SecondFactor {
                mfa_token: token,
                expires_in: MFA_TOKEN_SECONDS,
            });
        }
        let (session, tokens) = self.new_session(&user, Amr::Password)?;
        uow.start_session(session.started_from(origin));
        uow.commit().await?;
        tracing::info!(user_id = %user.id(), session_id = %tokens.refresh.session(), "signed in");
        Ok(SignIn::Complete(SignedIn { user, tokens }))
    }

    /// Refuses `user` if its address must be verified and is not (`REQUIRE_VERIFIED_EMAIL`):
    /// the last of the checks after the request is parsed (locked, password, inactive, this)
    /// but the second factor.
    pub(super) fn require_verified(&self, user: &User) -> Result<(), Refusal> {
        match self.require_verified_email && !user.is_email_verified() {
            true => Err(Refusal::EmailNotVerified),
            false => Ok(()),
        }
    }

    /// A new session of `user`, started now and proven by `amr`, and the pair that continues
    /// it (sign-in, and the changes that end every other session, for their caller).
    pub(super) fn new_session(
        &self,
        user: &User,
        amr: Amr,
    ) -> anyhow::Result<(Session, TokenPair)> {
        let now = self.clock.now();
        let session = Session::start(user, now, self.tokens.policy.lifetimes()).proven_by(amr);
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
