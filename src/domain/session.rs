//! The `Session` aggregate: one sign-in and the chain of refresh tokens that continues it.
//!
//! Every refresh replaces the session's current token with the next generation's. Presenting a
//! token of an older generation is how token theft shows itself (the thief and the owner each
//! hold a copy, and whoever refreshes second presents a spent one), so after a short grace
//! window, which absorbs a client's own retries of its last refresh, it ends the session for
//! both; however old the spent token is, since every generation's token can be recognised. A
//! session also ends when its account leaves the epoch it was started in
//! ([`User::end_sessions`]), when its current token expires, and at the latest its maximum age
//! after it started, however often it is refreshed. [`Session::is_live`] is that rule as
//! one answer (the list of an account's sessions shows only those it holds for), and
//! [`Session::recognise`] answers with it for a token of the current generation.

use super::{Email, RefreshToken, SessionId, SessionOrigin, User, UserId};

/// How long a session's tokens live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    /// Each refresh token's lifetime, in seconds from when it is issued.
    pub token: u64,
    /// The session's, in seconds from its start: no refresh extends it.
    pub session: u64,
}

/// A session as stored. Only this crate builds one from parts; elsewhere sessions are
/// [`started`](Session::start) and changed through their methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub(crate) id: SessionId,
    pub(crate) user: UserId,
    /// The address the account was stored under when the session started.
    pub(crate) account: Email,
    pub(crate) epoch: u64,
    /// The generation of the current token: 0 at sign-in, one more at each refresh.
    pub(crate) generation: u64,
    /// Unix seconds: when the current token was issued.
    pub(crate) rotated_at: u64,
    /// Unix seconds: when the current token stops working.
    pub(crate) expires_at: u64,
    pub(crate) revoked: bool,
    pub(crate) created_at: u64,
    /// How its sign-in was proven; kept through every refresh.
    pub(crate) amr: Amr,
    /// Where its sign-in came from; kept through every refresh.
    pub(crate) origin: SessionOrigin,
}

/// How a session's sign-in was proven: the access token's `amr` claim (RFC 8176).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Amr {
    /// A password alone.
    #[default]
    Password,
    /// A password and a second factor (a TOTP code or a recovery code: both are `otp`).
    PasswordAndOtp,
}

impl Amr {
    /// The claim's values.
    pub fn methods(self) -> &'static [&'static str] {
        match self {
            Self::Password => &["pwd"],
            Self::PasswordAndOtp => &["pwd", "otp"],
        }
    }
}

/// What a presented refresh token is to its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// The current token, unexpired, of a live session: it may be exchanged.
    Current,
    /// The token the current one replaced, within the grace window: refuse, change nothing.
    RecentlySpent,
    /// A token of an earlier generation, past the grace window: a sign of theft.
    Reused,
    /// The current token, past its expiry (or the session past its maximum age).
    Expired,
    /// A token of a session that has been signed out or revoked.
    Revoked,
    /// No token this session issued: another session's, a forgery, a generation not yet issued.
    Unknown,
}

impl Session {
    /// Starts a session for `user` at `now`; its first token (generation 0) expires after
    /// `lifetimes.token`, or sooner at the session's end.
    pub fn start(user: &User, now: u64, lifetimes: Lifetimes) -> Self {
        let session_end = now.saturating_add(lifetimes.session);
        Self {
            id: SessionId::generate(),
            user: user.id(),
            account: user.revision().key().clone(),
            epoch: user.session_epoch(),
            generation: 0,
            rotated_at: now,
            expires_at: now.saturating_add(lifetimes.token).min(session_end),
            revoked: false,
            created_at: now,
            amr: Amr::Password,
            origin: SessionOrigin::default(),
        }
    }

    /// The same session, started from `origin`.
    pub fn started_from(self, origin: SessionOrigin) -> Self {
        Self { origin, ..self }
    }

    /// Where its sign-in came from.
    pub fn origin(&self) -> &SessionOrigin {
        &self.origin
    }

    /// Unix seconds: when it started.
    pub fn created_at(&self) -> u64 {
        self.created_at
    }

    /// Unix seconds: when it was last refreshed (its current token issued), or started.
    pub fn last_used_at(&self) -> u64 {
        self.rotated_at
    }

    /// The same session, its sign-in proven by `amr`.
    pub fn proven_by(self, amr: Amr) -> Self {
        Self { amr, ..self }
    }

    /// How its sign-in was proven.
    pub fn amr(&self) -> Amr {
        self.amr
    }

    /// What `token` is to this session at `now`, spent tokens being forgiven for `grace`
    /// seconds after they were replaced. `genuine` says whether the token's secret is the one
    /// its session and generation derive (the session keys know; the session does not).
    pub fn recognise(
        &self,
        token: &RefreshToken,
        genuine: bool,
        now: u64,
        grace: u64,
    ) -> Presented {
        let generation = token.generation();
        if token.session() != self.id || !genuine || generation > self.generation {
            return Presented::Unknown;
        }
        if self.revoked {
            return Presented::Revoked;
        }
        if generation == self.generation {
            return match self.may_refresh_at(now) {
                true => Presented::Current,
                false => Presented::Expired,
            };
        }
        let just_replaced = generation + 1 == self.generation;
        if just_replaced && now <= self.rotated_at.saturating_add(grace) {
            Presented::RecentlySpent
        } else {
            Presented::Reused
        }
    }

    /// Whether `user` is the account this session belongs to, still in the session's epoch.
    pub fn is_of(&self, user: &User) -> bool {
        user.id() == self.user && user.session_epoch() == self.epoch
    }

    /// Whether the session's current token may refresh at `now`, as far as the session alone
    /// can tell: it is not revoked, and the token has not expired (nor, since no token
    /// outlives it, the session its maximum age).
    fn may_refresh_at(&self, now: u64) -> bool {
        !self.revoked && now < self.expires_at
    }

    /// Whether the session is live for `user` at `now`: `user`'s, in its current epoch, and
    /// able to refresh (the rule [`recognise`](Self::recognise) and a refresh apply).
    pub fn is_live(&self, user: &User, now: u64) -> bool {
        self.is_of(user) && self.may_refresh_at(now)
    }

    /// Moves the session to its next generation, issued at `now` and valid for
    /// `lifetimes.token`, but never past the session's maximum age.
    pub fn rotate(&mut self, now: u64, lifetimes: Lifetimes) {
        let session_end = self.created_at.saturating_add(lifetimes.session);
        self.generation += 1;
        self.rotated_at = now;
        self.expires_at = now.saturating_add(lifetimes.token).min(session_end);
    }

    pub fn id(&self) -> SessionId {
        self.id
    }

    pub fn user(&self) -> UserId {
        self.user
    }

    /// The address the account was stored under when the session started.
    pub fn account(&self) -> &Email {
        &self.account
    }

    /// The generation of the current token, which the store must still hold for a rotation to
    /// apply.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The account's session epoch when the session started.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    pub fn is_revoked(&self) -> bool {
        self.revoked
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
