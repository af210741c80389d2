//! How often mails of one purpose may go to one address: at most one per minute and five per
//! hour, so that nobody can fill a mailbox through us (or make SES refuse our sender).
//!
//! Sends are counted for addresses no account has as well, so that a `429 TooManyRequests`
//! says nothing about whether an address is registered. The count is part of the address's
//! code record, written with the code by the one conditional write that issues it: of two
//! requests that read the same count, one lands and the other reads again and is refused.

/// The shortest time between two mails (seconds).
pub const SEND_INTERVAL_SECONDS: u64 = 60;
/// Mails per window of [`SEND_WINDOW_SECONDS`].
pub const SENDS_PER_WINDOW: u32 = 5;
/// The window the mails are counted in: an hour from the first of them.
pub const SEND_WINDOW_SECONDS: u64 = 3600;

/// The mails sent lately: how many in the current window, since when, and the last one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sends {
    pub(crate) count: u32,
    /// Unix seconds: when the current window began.
    pub(crate) since: u64,
    /// Unix seconds: when the last mail went.
    pub(crate) last_at: u64,
}

impl Sends {
    /// The mails that still count at `now`.
    fn current(&self, now: u64) -> u32 {
        if self.count > 0 && now < self.since.saturating_add(SEND_WINDOW_SECONDS) {
            self.count
        } else {
            0
        }
    }

    /// How many seconds after `now` the next mail may go, if it may not go now.
    pub fn retry_after(&self, now: u64) -> Option<u64> {
        let mut until = 0;
        if self.count > 0 {
            until = self.last_at.saturating_add(SEND_INTERVAL_SECONDS);
        }
        if self.current(now) >= SENDS_PER_WINDOW {
            until = until.max(self.since.saturating_add(SEND_WINDOW_SECONDS));
        }
        (now < until).then(|| until - now)
    }

    /// The count once one more mail, sent at `now`, is counted.
    pub fn counted(&self, now: u64) -> Self {
        match self.current(now) {
            0 => Self {
                count: 1,
                since: now,
                last_at: now,
            },
            count => Self {
                count: count + 1,
                since: self.since,
                last_at: now,
            },
        }
    }

    /// The last moment this count matters: when its window and interval are over.
    pub fn matters_until(&self) -> u64 {
        (self.since.saturating_add(SEND_WINDOW_SECONDS))
            .max(self.last_at.saturating_add(SEND_INTERVAL_SECONDS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_800_000_000;

    fn after(sends: &[u64]) -> Sends {
        sends
            .iter()
            .fold(Sends::default(), |count, at| count.counted(*at))
    }

    #[test]
    fn one_mail_a_minute() {
        let once = after(&[T]);
        assert_eq!(Sends::default().retry_after(T), None);
        assert_eq!(once.retry_after(T), Some(60));
        assert_eq!(once.retry_after(T + 59), Some(1));
        assert_eq!(once.retry_after(T + 60), None);
    }

    #[test]
    fn five_mails_an_hour_counted_from_the_first() {
        let five = after(&[T, T + 60, T + 120, T + 180, T + 240]);
        assert_eq!(
            five.retry_after(T + 300),
            Some(3300),
            "until the hour is over"
        );
        assert_eq!(five.retry_after(T + 3600), None);
        let next = five.counted(T + 3600);
        assert_eq!((next.count, next.since), (1, T + 3600), "a new window");
        assert_eq!(
            after(&[T, T + 60, T + 120, T + 180]).retry_after(T + 240),
            None
        );
    }
}
