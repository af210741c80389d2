//! The one retry loop: a use case states one attempt (read, decide, stage, commit) and
//! [`Accounts::retrying`] runs it again on a fresh unit of work when the store says "not like
//! this" or "not now".
//!
//! - A **conflict** (the account or session changed after it was read) is retried at once: the
//!   next attempt reads again and decides again on fresh data.
//! - **Contention** (DynamoDB cancelled the transaction for a concurrent one without evaluating
//!   it) is retried after "full jitter" (AWS Architecture Blog, *Exponential Backoff and
//!   Jitter*): a random wait between zero and an exponentially growing cap, so that writers who
//!   collided once do not collide again in lock-step.
//! - Anything else ends the loop. So does running out of attempts, or of the request's time
//!   budget ([`deadline`](super::deadline)), both as "unavailable": the same request may well
//!   succeed shortly.

use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use anyhow::anyhow;

use super::outcome::Attempt;
use super::{AccountStore, Accounts, ServiceError, UnitOfWork, deadline};

/// Attempts before giving up. Only another write to the same items causes a retry, so a
/// second attempt almost always settles.
pub(super) const MAX_ATTEMPTS: u32 = 3;
/// The cap of the first wait; each later attempt doubles it.
const BASE: Duration = Duration::from_millis(20);
/// No single wait is longer than this.
const MAX_WAIT: Duration = Duration::from_millis(200);

impl<S: AccountStore> Accounts<S> {
    /// Runs `attempt`, each time on a fresh unit of work, until it succeeds or fails for good;
    /// `what` names it in the log.
    ///
    /// (`attempt` takes its unit of work by value and returns a future, rather than being an
    /// async closure borrowing one: a future generic over that borrow is not provably `Send`
    /// to today's compiler, and the Lambda runtime needs `Send` handlers.)
    pub(super) async fn retrying<'s, T, Fut>(
        &'s self,
        what: &'static str,
        mut attempt: impl FnMut(UnitOfWork<'s, S>) -> Fut,
    ) -> Result<T, ServiceError>
    where
        Fut: Future<Output = Result<T, Attempt>>,
    {
        for n in 1..=MAX_ATTEMPTS {
            match attempt(self.begin()).await {
                Ok(done) => return Ok(done),
                Err(Attempt::Failed(error)) => return Err(error),
                Err(Attempt::Conflict) => {
                    tracing::info!(what, attempt = n, "changed concurrently; reading again");
                }
                Err(Attempt::Contended) if n < MAX_ATTEMPTS => {
                    tracing::info!(what, attempt = n, "met a concurrent write; retrying");
                    let wait = backoff(n);
                    if deadline::remaining().is_some_and(|left| left <= wait) {
                        return Err(ServiceError::Unavailable(anyhow!(
                            "{what}: no time left to retry a contended write"
                        )));
                    }
                    tokio::time::sleep(wait).await;
                }
                Err(Attempt::Contended) => {}
            }
        }
        Err(ServiceError::Unavailable(anyhow!(
            "{what}: the store kept changing concurrently ({MAX_ATTEMPTS} attempts)"
        )))
    }
}

/// The wait before attempt `attempt + 1`, after `attempt` (≥ 1) failed attempts.
fn backoff(attempt: u32) -> Duration {
    let cap = BASE
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_WAIT);
    // A fresh `RandomState` hashes with new random keys: randomness enough for jitter, from
    // the standard library alone.
    let random = RandomState::new().hash_one(attempt);
    cap.mul_f64(random as f64 / u64::MAX as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_random_below_a_doubling_cap_that_stops_growing() {
        for (attempt, cap) in [(1, 20), (2, 40), (3, 80), (4, 160), (5, 200), (40, 200)] {
            let waits: Vec<Duration> = (0..50).map(|_| backoff(attempt)).collect();
            let cap = Duration::from_millis(cap);
            assert!(
                waits.iter().all(|w| *w <= cap),
                "attempt {attempt}: {waits:?}"
            );
            let distinct: std::collections::HashSet<_> = waits.iter().collect();
            assert!(
                distinct.len() > 40,
                "attempt {attempt}: jittered, {waits:?}"
            );
        }
    }
}
