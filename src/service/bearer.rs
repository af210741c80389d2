//! What the use cases acting for a bearer token share: who a verified access token speaks for,
//! and that account as stored now.

use super::{AccountStore, Accounts, Bearer, Refusal, ServiceError, UnitOfWork};
use crate::domain::User;

impl<S: AccountStore> Accounts<S> {
    /// Who `token` speaks for, if it is one of our access tokens and valid now. Why a token is
    /// refused goes to the log; the client hears one answer.
    pub fn authenticate_bearer(&self, token: &str) -> Result<Bearer, Refusal> {
        self.tokens
            .access
            .verify(token, self.clock.now())
            .map_err(|why| {
                tracing::info!(reason = %why, "bearer token refused");
                Refusal::InvalidAccessToken
            })
    }

    /// The account `bearer` speaks for, provided it is still stored under the token's address,
    /// with the token's id, active, not disabled, and in the session epoch the token was issued in (no
    /// session of it has ended everywhere since): otherwise the token is refused.
    pub(super) async fn bearer_account(
        &self,
        uow: &UnitOfWork<'_, S>,
        bearer: &Bearer,
    ) -> Result<User, ServiceError> {
        let found = uow.user_by_email(&bearer.email).await?;
        Self::spoken_for(bearer, found)
    }

    /// `found` (what the token's address holds), if it is the account `bearer` speaks for.
    pub(super) fn spoken_for(bearer: &Bearer, found: Option<User>) -> Result<User, ServiceError> {
        found
            .filter(|user| {
                user.id() == bearer.id
                    && user.is_active()
                    && !user.is_disabled()
                    && user.session_epoch() == bearer.epoch
            })
            .ok_or_else(|| {
                tracing::info!(user_id = %bearer.id, "bearer token refused: its account is gone, inactive, disabled or signed out everywhere");
                Refusal::InvalidAccessToken.into()
            })
    }
}
