//! What time it is, for every rule that reads time: the lockout's windows, token and session
//! expiry, when an account was created and last written. The system clock in production; a
//! hand-set one in tests, so that a rule's windows are tested by moving the clock, never by
//! sleeping.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of Unix seconds. Cheap to clone.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> u64 + Send + Sync>);

impl Clock {
    /// The system clock (0 before 1970, which no Lambda host is).
    pub fn system() -> Self {
        Self(Arc::new(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs())
        }))
    }

    /// A clock that reads `now`, for tests.
    pub fn from_fn(now: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> u64 {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_reads_the_present_and_a_set_one_what_it_is_given() {
        let now = Clock::system().now();
        assert!(now > 1_700_000_000, "{now}");
        assert_eq!(Clock::from_fn(|| 42).now(), 42);
    }
}
