//! Use case: exchange a refresh token for a new pair, spending it.
//!
//! Two reads (the session, then its account) and one transaction: the session's rotation,
//! conditioned on the presented token still being current, with a check that the account is
//! as read. Of two refreshes with one token, exactly one rotation applies; the other sees its
//! token spent when it reads again, and is refused.

use anyhow::{Context, anyhow};

use super::retry;
use super::{AccountStore, CommitError, StoreError, TokenPair, Tokens, UnitOfWork};
use crate::domain::{Presented, RefreshToken};

/// Rotations lost to a concurrent write are retried from the read this often; the retry of a
/// lost race usually ends at once, refused.
const MAX_ATTEMPTS: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// Unknown, expired, revoked or spent; or its account is gone, inactive or signed out.
    #[error("refresh token refused: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// A new pair for the session of `presented`, which is spent from now on.
pub async fn refresh<S: AccountStore>(
    store: &S,
    tokens: &Tokens,
    presented: RefreshToken,
) -> Result<TokenPair, RefreshError> {
    for attempt in 1..=MAX_ATTEMPTS {
        let now = tokens.clock.now();
        let mut uow = UnitOfWork::begin(store);
        let mut session = uow
            .session(presented.session())
            .await?
            .ok_or(RefreshError::Invalid("no such session"))?;
        match session.recognise(&presented, now, tokens.policy.reuse_grace) {
            Presented::Current => {}
            Presented::RecentlySpent => return Err(RefreshError::Invalid("spent (within grace)")),
            Presented::Reused => {
                tracing::warn!(session_id = %session.id(), user_id = %session.user(),
                    "a spent refresh token was presented again: revoking its session");
                uow.revoke_session(session.id());
                match uow.commit().await {
                    // Conflict: the session is gone already; nothing left to revoke.
                    Ok(()) | Err(CommitError::Conflict) => {}
                    Err(CommitError::Store(e)) => return Err(e.into()),
                    Err(CommitError::Contended) => {
                        return Err(StoreError::Unavailable(anyhow!(
                            "revoking a session met a concurrent write"
                        ))
                        .into());
                    }
                    Err(CommitError::EmailTaken) => {
                        return Err(anyhow!("a session revocation reported a taken e-mail").into());
                    }
                }
                return Err(RefreshError::Invalid("spent (reused): session revoked"));
            }
            Presented::Expired => return Err(RefreshError::Invalid("expired")),
            Presented::Revoked => return Err(RefreshError::Invalid("session revoked")),
            Presented::Unknown => return Err(RefreshError::Invalid("not issued by this session")),
        }
        let user = uow
            .user_by_email(session.account())
            .await?
            .filter(|user| session.is_of(user) && user.is_active())
            .ok_or(RefreshError::Invalid(
                "account gone, inactive or signed out",
            ))?;
        let from = session.current();
        let refresh = session
            .rotate(now, tokens.policy.refresh_ttl)
            .context("drawing a refresh token from the OS random source")?;
        let access = tokens.access.issue(&user, now)?;
        let session_id = session.id();
        uow.save_rotation(session, from);
        uow.require_unchanged(&user);
        match uow.commit().await {
            Ok(()) => {
                tracing::info!(user_id = %user.id(), %session_id, "session refreshed");
                return Ok(TokenPair { access, refresh });
            }
            Err(CommitError::Conflict) => {
                tracing::info!(%session_id, attempt, "session or account changed; reading again");
            }
            Err(CommitError::Contended) => {
                tracing::info!(%session_id, attempt, "session is being written; retrying");
                retry::wait(attempt).await;
            }
            Err(CommitError::Store(e)) => return Err(e.into()),
            Err(CommitError::EmailTaken) => {
                return Err(anyhow!("a session rotation reported a taken e-mail").into());
            }
        }
    }
    Err(StoreError::Unavailable(anyhow!(
        "the session kept changing concurrently ({MAX_ATTEMPTS} attempts)"
    ))
    .into())
}
