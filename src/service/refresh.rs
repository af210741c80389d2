//! Use case: exchange a refresh token for a new pair, spending it.
//!
//! Two reads (the session, then its account) and one transaction: the session's rotation,
//! conditioned on the presented token still being current, with a check that the account is
//! as read. Of two refreshes with one token, exactly one rotation applies; the other sees its
//! token spent when it reads again, and is refused.

use anyhow::anyhow;

use super::outcome::Attempt;
use super::{AccountStore, Accounts, CommitError, Refusal, ServiceError, TokenPair};
use crate::domain::{Presented, RefreshToken};

impl<S: AccountStore> Accounts<S> {
    /// A new pair for the session of `presented`, which is spent from now on.
    pub async fn refresh(&self, presented: RefreshToken) -> Result<TokenPair, ServiceError> {
        let refused = |reason: &'static str| {
            tracing::info!(reason, "refresh refused");
            Attempt::from(Refusal::InvalidRefreshToken)
        };
        let presented = &presented;
        self.retrying("refresh", move |mut uow| async move {
            let now = self.clock.now();
            let mut session = uow
                .session(presented.session())
                .await?
                .ok_or_else(|| refused("no such session"))?;
            let genuine = self.tokens.refresh.is_genuine(&session, presented);
            match session.recognise(presented, genuine, now, self.tokens.policy.reuse_grace) {
                Presented::Current => {}
                Presented::RecentlySpent => return Err(refused("spent (within grace)")),
                Presented::Reused => {
                    tracing::warn!(session_id = %session.id(), user_id = %session.user(),
                        "a spent refresh token was presented again: revoking its session");
                    uow.revoke_session(session.id(), session.user());
                    match uow.commit().await {
                        // Conflict: the session is gone already; nothing left to revoke.
                        Ok(()) | Err(CommitError::Conflict) => {}
                        // Answered at once, not retried: the client's retry revokes.
                        Err(CommitError::Contended) => {
                            return Err(ServiceError::Unavailable(anyhow!(
                                "revoking a session met a concurrent write"
                            ))
                            .into());
                        }
                        Err(other) => return Err(other.into()),
                    }
                    return Err(refused("spent (reused): session revoked"));
                }
                Presented::Expired => return Err(refused("expired")),
                Presented::Revoked => return Err(refused("session revoked")),
                Presented::Unknown => return Err(refused("not issued by this session")),
            }
            let user = uow
                .user_by_email(session.account())
                .await?
                .filter(|user| session.is_of(user) && user.is_active() && !user.is_disabled())
                .ok_or_else(|| refused("account gone, inactive, disabled or signed out"))?;
            let from = session.generation();
            session.rotate(now, self.tokens.policy.lifetimes());
            let pair = self.pair(&user, &session, now)?;
            let session_id = session.id();
            uow.save_rotation(session, from);
            uow.require_unchanged(&user);
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), %session_id, "session refreshed");
            Ok(pair)
        })
        .await
    }
}
