//! Use case: sign out one session, or every session of the account.

use anyhow::anyhow;

use super::{AccountStore, CommitError, StoreError, Tokens, UnitOfWork};
use crate::domain::{Presented, RefreshToken};

#[derive(Debug, thiserror::Error)]
pub enum SignOutError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Ends the session of `presented` (its tokens no longer refresh) or, with `everywhere`, every
/// session of its account. At most one read and one write. A token the session does not
/// recognise as its current or spent one, or of a session already ended, changes nothing:
/// signing out is idempotent and answers the same either way.
pub async fn sign_out<S: AccountStore>(
    store: &S,
    tokens: &Tokens,
    presented: RefreshToken,
    everywhere: bool,
) -> Result<(), SignOutError> {
    let mut uow = UnitOfWork::begin(store);
    let Some(session) = uow.session(presented.session()).await? else {
        return Ok(());
    };
    let now = tokens.clock.now();
    match session.recognise(&presented, now, tokens.policy.reuse_grace) {
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
        Err(CommitError::Store(e)) => return Err(e.into()),
        Err(CommitError::Contended) => {
            return Err(
                StoreError::Unavailable(anyhow!("signing out met a concurrent write")).into(),
            );
        }
        Err(CommitError::EmailTaken) => {
            return Err(
                StoreError::Unexpected(anyhow!("a sign-out reported a taken e-mail")).into(),
            );
        }
    }
    tracing::info!(session_id = %session.id(), user_id = %session.user(), everywhere, "signed out");
    Ok(())
}
