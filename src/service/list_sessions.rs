//! Use case: the live sessions of the account a bearer token speaks for, its own marked.
//!
//! The sessions come from the account's index in one read, whole, and are judged by the
//! session's own rule ([`Session::is_live`]): not revoked, not expired, not past its
//! maximum age, in the account's current epoch. The index is eventually consistent, so the
//! caller's own session, started a moment ago, may not be in it yet: then it is read by id
//! (strongly consistent), so that the answer always holds it, marked current.

use std::cmp::Reverse;

use super::{AccountStore, Accounts, Bearer, Refusal, ServiceError};
use crate::domain::{Session, SessionId};

/// The live sessions of an account, newest first, and which of them the caller's is.
#[derive(Debug, Clone)]
pub struct OwnSessions {
    pub sessions: Vec<Session>,
    pub current: SessionId,
}

impl<S: AccountStore> Accounts<S> {
    /// The live sessions of the account `bearer` speaks for: one read of the account, one of
    /// the index, and one of the caller's session only when the index has not caught up with
    /// it. A token whose own session has ended (signed out, revoked, expired) is refused: no
    /// session could be marked as the caller's.
    pub async fn list_sessions(&self, bearer: &Bearer) -> Result<OwnSessions, ServiceError> {
        let uow = self.begin();
        let user = self.bearer_account(&uow, bearer).await?;
        let mut sessions = uow.find_sessions_of(user.id()).await?;
        if !sessions
            .iter()
            .any(|session| session.id() == bearer.session)
        {
            sessions.extend(uow.session(bearer.session).await?);
        }
        let now = self.clock.now();
        sessions.retain(|session| session.is_live(&user, now));
        if !sessions
            .iter()
            .any(|session| session.id() == bearer.session)
        {
            tracing::info!(user_id = %user.id(), session_id = %bearer.session,
                "sessions refused: the token's own session has ended");
            return Err(Refusal::InvalidAccessToken.into());
        }
        sessions.sort_by_cached_key(|session| {
            Reverse((session.created_at(), session.id().to_string()))
        });
        Ok(OwnSessions {
            sessions,
            current: bearer.session,
        })
    }
}
