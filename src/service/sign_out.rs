//! Use case: sign out one session, or every session of the account.

use super::{AccountStore, Accounts, Bearer, CommitError, Refusal, ServiceError};
use crate::domain::{Presented, RefreshToken};

/// What names the session to sign out of.
#[derive(Debug, Clone)]
pub enum SignOut {
    /// A refresh token of it.
    Session(RefreshToken),
    /// An access token issued to it.
    Bearer(Bearer),
}

impl<S: AccountStore> Accounts<S> {
    /// Ends the session `named` (its tokens no longer refresh) or, with `everywhere`, every
    /// session of its account: at most one read and one write.
    ///
    /// Plain sign-out is idempotent: a token that names no live session changes nothing and
    /// succeeds. Signing out everywhere needs a live session's token, else it is refused: a
    /// sign-out that ends nothing must not pass for one that ended everything.
    pub async fn sign_out(&self, named: SignOut, everywhere: bool) -> Result<(), ServiceError> {
        match named {
            SignOut::Session(presented) => self.sign_out_session(presented, everywhere).await,
            SignOut::Bearer(bearer) => self.sign_out_bearer(bearer, everywhere).await,
        }
    }

    async fn sign_out_session(
        &self,
        presented: RefreshToken,
        everywhere: bool,
    ) -> Result<(), ServiceError> {
        let dead = || match everywhere {
            true => Err(Refusal::InvalidRefreshToken.into()),
            false => Ok(()),
        };
        let mut uow = self.begin();
        let Some(session) = uow.session(presented.session()).await? else {
            return dead();
        };
        let genuine = self.tokens.refresh.is_genuine(&session, &presented);
        let now = self.clock.now();
        let recognised =
            session.recognise(&presented, genuine, now, self.tokens.policy.reuse_grace);
        match recognised {
            Presented::Current | Presented::RecentlySpent if everywhere => {
                uow.end_sessions(session.account(), session.user(), session.epoch());
            }
            // A spent token past its grace is a sign of theft: its session ends either way.
            Presented::Current | Presented::RecentlySpent | Presented::Reused => {
                uow.revoke_session(session.id(), session.user());
            }
            Presented::Expired | Presented::Revoked | Presented::Unknown => return dead(),
        }
        match uow.commit().await {
            // The account left the session's epoch (or went): its sessions had ended already,
            // which `everywhere` must not pass off as done. A session gone is signed out.
            Err(CommitError::Conflict) if everywhere => return dead(),
            Ok(()) | Err(CommitError::Conflict) => {}
            Err(other) => return Err(other.into()),
        }
        tracing::info!(session_id = %session.id(), user_id = %session.user(), everywhere, "signed out");
        match recognised {
            Presented::Reused => dead(),
            _ => Ok(()),
        }
    }

    async fn sign_out_bearer(&self, bearer: Bearer, everywhere: bool) -> Result<(), ServiceError> {
        let mut uow = self.begin();
        if everywhere {
            uow.end_sessions(&bearer.email, bearer.id, bearer.epoch);
        } else {
            uow.revoke_session(bearer.session, bearer.id);
        }
        match uow.commit().await {
            Err(CommitError::Conflict) if everywhere => {
                tracing::info!(user_id = %bearer.id, "bearer token refused: its sessions have ended");
                return Err(Refusal::InvalidAccessToken.into());
            }
            Ok(()) | Err(CommitError::Conflict) => {}
            Err(other) => return Err(other.into()),
        }
        tracing::info!(session_id = %bearer.session, user_id = %bearer.id, everywhere, "signed out");
        Ok(())
    }
}
