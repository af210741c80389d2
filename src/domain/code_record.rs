//! The code record: everything about the mails of one purpose to one address, in one record
//! the store writes whole and only if it is still as read.
//!
//! It holds the mails sent lately ([`Sends`]), the wrong codes presented lately
//! ([`WrongCodes`], the daily cap), and the live code of the account stored under the address,
//! if there is one ([`LiveCode`]: a digest, never the digits). One record per address and
//! purpose means one live code per account and purpose: issuing a code replaces the previous.
//!
//! A presented code's try is counted before it is compared (the lockout's lesson): the record
//! as [`CodeRecord::present`] leaves it for a wrong code is written first, conditioned on the
//! version read: one try (five void the code) and one wrong code of the day (ten lock the
//! purpose for the rest of the day). Only then is the code compared with the live code as
//! read; a right one is used by writing [`CodeRecord::used_over_the_reservation`] over the
//! count. Of a burst of guesses that read one version, one count lands and the others read
//! again, so at most five are ever compared with a code.

use super::{CodeDigest, CodePurpose, Email, Sends, UserId};

/// Wrong tries that void a code.
pub const TRIES_PER_CODE: u32 = 5;
/// Wrong codes per purpose and address in a day, after which the purpose is locked.
pub const WRONG_CODES_PER_DAY: u32 = 10;
/// The day the wrong codes are counted in: from the first of them.
pub const DAY_SECONDS: u64 = 86_400;

/// The wrong codes presented lately.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WrongCodes {
    pub(crate) count: u32,
    /// Unix seconds: when the current day began.
    pub(crate) since: u64,
}

impl WrongCodes {
    fn current(&self, now: u64) -> u32 {
        if self.count > 0 && now < self.since.saturating_add(DAY_SECONDS) {
            self.count
        } else {
            0
        }
    }

    /// How many seconds after `now` the purpose stays locked, if it is.
    pub fn locked_for(&self, now: u64) -> Option<u64> {
        let until = self.since.saturating_add(DAY_SECONDS);
        (self.current(now) >= WRONG_CODES_PER_DAY).then(|| until - now)
    }

    fn counted(&self, now: u64) -> Self {
        match self.current(now) {
            0 => Self {
                count: 1,
                since: now,
            },
            count => Self {
                count: count + 1,
                since: self.since,
            },
        }
    }
}

/// The one code an account may use for a purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveCode {
    /// Whose code it is: the account stored under the record's address when it was issued.
    pub account: UserId,
    pub digest: CodeDigest,
    /// Unix seconds.
    pub expires_at: u64,
    /// Wrong tries so far.
    pub tries: u32,
    /// For an e-mail change, the address the code went to (where the account may move).
    pub to: Option<Email>,
}

/// What a presented code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    /// The right code, now used up: what it was issued as.
    Accepted(LiveCode),
    /// Wrong, expired, used, voided or never issued: counted.
    Refused,
    /// The purpose is locked until the day is over: nothing was counted or compared.
    Locked { retry_after: u64 },
}

/// The mails and the live code of one purpose at one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRecord {
    pub(crate) purpose: CodePurpose,
    pub(crate) address: Email,
    /// How many writes the record has seen (0: it is not stored).
    pub(crate) version: u64,
    pub(crate) sends: Sends,
    pub(crate) wrong: WrongCodes,
    pub(crate) live: Option<LiveCode>,
}

impl CodeRecord {
    /// The record of an address and purpose that nothing was ever written for.
    pub fn empty(purpose: CodePurpose, address: Email) -> Self {
        Self {
            purpose,
            address,
            version: 0,
            sends: Sends::default(),
            wrong: WrongCodes::default(),
            live: None,
        }
    }

    pub fn purpose(&self) -> CodePurpose {
        self.purpose
    }

    pub fn address(&self) -> &Email {
        &self.address
    }

    /// The version read: what the write of a decision is conditioned on.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn sends(&self) -> Sends {
        self.sends
    }

    pub fn wrong_codes(&self) -> WrongCodes {
        self.wrong
    }

    pub fn live(&self) -> Option<&LiveCode> {
        self.live.as_ref()
    }

    /// The code `account` may still use at `now`: its own, not expired, not voided by tries.
    pub fn usable_by(&self, account: UserId, now: u64) -> Option<&LiveCode> {
        self.live.as_ref().filter(|live| {
            live.account == account && now < live.expires_at && live.tries < TRIES_PER_CODE
        })
    }

    /// Counts a mail sent at `now`.
    pub fn count_send(&mut self, now: u64) {
        self.sends = self.sends.counted(now);
    }

    /// Replaces the live code (voiding any previous one) with `code`.
    pub fn issue(&mut self, code: LiveCode) {
        self.live = Some(code);
    }

    /// Decides a code presented at `now` for `account` (`None`: no account is stored under
    /// the address, so no code can be right). `matches` compares it with a usable live code.
    pub fn present(
        &mut self,
        account: Option<UserId>,
        now: u64,
        matches: impl FnOnce(&LiveCode) -> bool,
    ) -> CodeCheck {
        if let Some(retry_after) = self.wrong.locked_for(now) {
            return CodeCheck::Locked { retry_after };
        }
        let usable = account.and_then(|id| self.usable_by(id, now));
        if usable.is_some_and(matches)
            && let Some(live) = self.live.take()
        {
            return CodeCheck::Accepted(live);
        }
        self.wrong = self.wrong.counted(now);
        if let Some(live) = &mut self.live {
            live.tries += 1;
            if live.tries >= TRIES_PER_CODE || now >= live.expires_at {
                self.live = None;
            }
        }
        CodeCheck::Refused
    }

    /// This record as read, its live code used up: written over the reservation of a try made
    /// from it (conditioned on that write's version), it also takes the try back.
    pub fn used_over_the_reservation(mut self) -> Self {
        self.live = None;
        self.version += 1;
        self
    }

    /// This record as it was read, to write back over the write made from it (a failed mail
    /// is not counted): conditioned on that write's version.
    pub fn reverting_the_next_write(mut self) -> Self {
        self.version += 1;
        self
    }

    /// The last moment anything in the record matters: the store may forget it after (DynamoDB
    /// deletes it by TTL some time later).
    pub fn matters_until(&self) -> u64 {
        let live = self.live.as_ref().map_or(0, |live| live.expires_at);
        let wrong = match self.wrong.count {
            0 => 0,
            _ => self.wrong.since.saturating_add(DAY_SECONDS),
        };
        self.sends.matters_until().max(live).max(wrong)
    }
}

#[cfg(test)]
#[path = "code_record_tests.rs"]
mod tests;
