//! Password guessing: an account's recent failed password checks, and the lock they impose.
//!
//! Cognito's schedule: the first five consecutive failures cost nothing; after them the account
//! is locked for 1 s, doubling with each further failure up to 15 minutes. A success clears the
//! count, and so do 15 minutes without a failure. While locked, no password is checked at all.
//!
//! A check is counted when it starts, not when it fails ([`Failures::reserved`]): counted
//! after Argon2, every request of a burst that read the account before the first failure was
//! written would be checked. So the count holds the checks begun in the current run, and a
//! success clears it.

/// Failures allowed before the account locks.
pub const FREE_FAILURES: u32 = 5;
/// The longest lock, and how long without a failure clears the count (seconds).
pub const MAX_LOCK_SECONDS: u64 = 15 * 60;

/// The failed password checks an account has seen, and when the last one was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    pub(crate) count: u32,
    /// Unix seconds.
    pub(crate) last_at: u64,
}

impl Failures {
    /// The failures that still count at `now`.
    pub fn current(&self, now: u64) -> u32 {
        if self.count > 0 && now < self.last_at.saturating_add(MAX_LOCK_SECONDS) {
            self.count
        } else {
            0
        }
    }

    /// The count once one more check, begun at `now`, is counted: the first of a new run if
    /// none stands at `now`, else one more of the current one.
    pub fn reserved(&self, now: u64) -> Self {
        Self {
            count: self.current(now) + 1,
            last_at: now,
        }
    }

    /// Until when (Unix seconds) the account is locked, if it is at `now`.
    pub fn locked_until(&self, now: u64) -> Option<u64> {
        self.locked_for(now).map(|left| now + left)
    }

    /// How many seconds the account stays locked after `now`, if it is.
    pub fn locked_for(&self, now: u64) -> Option<u64> {
        let count = self.current(now);
        if count < FREE_FAILURES {
            return None;
        }
        let lock = 1u64
            .checked_shl(count - FREE_FAILURES)
            .unwrap_or(MAX_LOCK_SECONDS)
            .min(MAX_LOCK_SECONDS);
        let until = self.last_at.saturating_add(lock);
        (now < until).then(|| until - now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_800_000_000;

    fn after(count: u32) -> Failures {
        Failures { count, last_at: T }
    }

    #[test]
    fn five_failures_are_free_then_the_lock_doubles_from_one_second_to_fifteen_minutes() {
        let cases = [
            (4, None),
            (5, Some(1)),
            (6, Some(2)),
            (7, Some(4)),
            (14, Some(512)),
            (15, Some(900)),
            (60, Some(900)),
        ];
        for (count, lock) in cases {
            assert_eq!(after(count).locked_for(T), lock, "{count} failures");
        }
    }

    #[test]
    fn a_lock_ends_at_the_last_failure_plus_its_length() {
        assert_eq!(after(4).locked_until(T), None);
        assert_eq!(after(7).locked_until(T + 1), Some(T + 4));
        assert_eq!(after(7).locked_until(T + 4), None);
    }

    #[test]
    fn a_check_begins_a_run_or_counts_one_more_of_it() {
        assert_eq!(Failures::default().reserved(T), after(1));
        assert_eq!(after(3).reserved(T + 10).count, 4);
        assert_eq!(after(3).reserved(T + 10).last_at, T + 10);
        assert_eq!(
            after(3).reserved(T + MAX_LOCK_SECONDS),
            Failures {
                count: 1,
                last_at: T + MAX_LOCK_SECONDS
            }
        );
    }

    #[test]
    fn a_lock_runs_out() {
        assert_eq!(after(7).locked_for(T + 3), Some(1));
        assert_eq!(after(7).locked_for(T + 4), None);
    }

    #[test]
    fn fifteen_minutes_without_a_failure_clear_the_count() {
        assert_eq!(after(3).current(T + MAX_LOCK_SECONDS - 1), 3);
        assert_eq!(after(3).current(T + MAX_LOCK_SECONDS), 0);
        assert_eq!(after(20).locked_for(T + MAX_LOCK_SECONDS), None);
        assert_eq!(Failures::default().current(T), 0);
    }
}
