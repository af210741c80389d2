//! Waiting before another attempt, when the store said "not now" (a concurrent transaction).
//!
//! "Full jitter" (AWS Architecture Blog, *Exponential Backoff and Jitter*): a random wait
//! between zero and an exponentially growing cap, so that writers who collided once do not
//! collide again in lock-step.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The cap of the first wait; each later attempt doubles it.
const BASE: Duration = Duration::from_millis(20);
/// No single wait is longer than this.
const MAX_WAIT: Duration = Duration::from_millis(200);

/// The wait before attempt `attempt + 1`, after `attempt` (≥ 1) failed attempts.
pub(super) fn backoff(attempt: u32) -> Duration {
    let cap = BASE
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_WAIT);
    // A fresh `RandomState` hashes with new random keys: randomness enough for jitter, from
    // the standard library alone.
    let random = RandomState::new().hash_one(attempt);
    cap.mul_f64(random as f64 / u64::MAX as f64)
}

/// Sleeps for [`backoff`]`(attempt)`.
pub(super) async fn wait(attempt: u32) {
    tokio::time::sleep(backoff(attempt)).await;
}

/// Now, in Unix seconds (0 if the clock is before 1970, which no Lambda host is).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
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
