//! Use case: sign out one session, or every session of the account.

use super::{AccountStore, Accounts, CommitError, ServiceError};
use crate::domain::{Presented, RefreshToken};

impl<S: AccountStore> Accounts<S> {
    /// Ends the session of `presented` (its tokens no longer refresh) or, with `everywhere`,
    /// every session of its account. At most one read and one write. A token the session does
    /// not recognise as its current or spent one, or of a session already ended, changes
    /// nothing: signing out is idempotent and answers the same either way.
    pub async fn sign_out(
        &self,
        presented: RefreshToken,
        everywhere: bool,
    ) -> Result<(), ServiceError> {
        let mut uow = self.begin();
        let Some(session) = uow.session(presented.session()).await? else {
            return Ok(());
        };
        let now = self.clock.now();
        let genuine = self.tokens.refresh.is_genuine(&session, &presented);
        match session.recognise(&presented, genuine, now, self.tokens.policy.reuse_grace) {
            Presented::Current | Presented::RecentlySpent | Presented::Reused => {}
            Presented::Expired | Presented::Revoked | Presented::Unknown => return Ok(()),
        }
        if everywhere {
            uow.end_sessions(session.account(), session.user());
        } else {
            uow.revoke_session(session.id());
        }
        match uow.commit().await {
            // The session or the account is gone: there is nothing left to sign out of.
            Ok(()) | Err(CommitError::Conflict) => {}
            Err(other) => return Err(other.into()),
        }
        tracing::info!(session_id = %session.id(), user_id = %session.user(), everywhere, "signed out");
        Ok(())
    }
}
