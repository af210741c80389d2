//! Use case: revoke one session of the account a bearer token speaks for, by its id.
//!
//! The session is read by id (strongly consistent) and must be the caller's account's; a
//! session id that names nothing, or another account's session, is one answer
//! ([`Refusal::SessionNotFound`]), so the answer reveals nothing of other accounts. The write
//! is conditioned on the session's owner as well, so no race can make it revoke another
//! account's session. Revoking is idempotent: an own session that has ended already (revoked,
//! signed out, expired) is answered as revoked. The caller may revoke its own session: its
//! access tokens then run to their `exp`, as after a plain sign-out, and it no longer
//! refreshes. And since they do run on, the caller's own session must still be live: a thief
//! whose session the owner revoked keeps an access token for minutes, which must not revoke
//! the owner's sessions in return.

use super::{AccountStore, Accounts, Bearer, CommitError, Refusal, ServiceError};
use crate::domain::SessionId;

impl<S: AccountStore> Accounts<S> {
    /// Revokes session `named` (`None`: an id that is no session id at all) of the account
    /// `bearer` speaks for: one read of the account, one of the caller's session, one of the
    /// session named (none more when it is the caller's), and one write unless it was revoked
    /// already.
    pub async fn revoke_session(
        &self,
        bearer: &Bearer,
        named: Option<SessionId>,
    ) -> Result<(), ServiceError> {
        let mut uow = self.begin();
        let user = self.bearer_account(&uow, bearer).await?;
        let own = (uow.session(bearer.session).await?)
            .filter(|session| session.is_live(&user, self.clock.now()))
            .ok_or_else(|| {
                tracing::info!(user_id = %user.id(), session_id = %bearer.session,
                    "session revocation refused: the token's own session has ended");
                Refusal::InvalidAccessToken
            })?;
        let Some(id) = named else {
            return Err(Refusal::SessionNotFound.into());
        };
        let session = match id == own.id() {
            true => own,
            false => (uow.session(id).await?)
                .filter(|session| session.user() == user.id())
                .ok_or(Refusal::SessionNotFound)?,
        };
        if session.is_revoked() {
            return Ok(());
        }
        uow.revoke_session(session.id(), user.id());
        match uow.commit().await {
            Ok(()) => {}
            // Gone since it was read (deleted with its account, or by its TTL), or, could ids
            // ever be reused, not the caller's: nothing of the caller's to revoke.
            Err(CommitError::Conflict) => return Err(Refusal::SessionNotFound.into()),
            Err(other) => return Err(other.into()),
        }
        tracing::info!(user_id = %user.id(), session_id = %session.id(), "session revoked");
        Ok(())
    }
}
