//! The `Session` aggregate: one sign-in and the chain of refresh tokens that continues it.
//!
//! Every refresh replaces the session's current token with a new one; the one it replaced is
//! remembered as spent. Presenting a spent token again is how token theft shows itself (the
//! thief and the owner each hold a copy, and whoever refreshes second presents a spent one),
//! so after a short grace window, which absorbs a client's own retries, it ends the session
//! for both. A session also ends when its account leaves the epoch it was started in
//! ([`User::end_sessions`]), and its current token expires `ttl` after it was issued.

use super::{Email, RefreshToken, SessionId, TokenDigest, User, UserId};

/// A session as stored. Only this crate builds one from parts; elsewhere sessions are
/// [`started`](Session::start) and changed through their methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub(crate) id: SessionId,
    pub(crate) user: UserId,
    /// The address the account was stored under when the session started.
    pub(crate) account: Email,
    pub(crate) epoch: u64,
    pub(crate) current: TokenDigest,
    pub(crate) previous: Option<TokenDigest>,
    /// Unix seconds: when the current token was issued.
    pub(crate) rotated_at: u64,
    /// Unix seconds: when the current token stops working.
    pub(crate) expires_at: u64,
    pub(crate) revoked: bool,
    pub(crate) created_at: u64,
}

/// What a presented refresh token is to its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// The current token, unexpired, of a live session: it may be exchanged.
    Current,
    /// The token the current one replaced, within the grace window: refuse, change nothing.
    RecentlySpent,
    /// The token the current one replaced, after the grace window: a sign of theft.
    Reused,
    /// The current token, past its expiry.
    Expired,
    /// A token of a session that has been signed out or revoked.
    Revoked,
    /// No token this session issued (or one spent longer ago than the last refresh).
    Unknown,
}

impl Session {
    /// Starts a session for `user` at `now`; its first token expires at `now + ttl`.
    pub fn start(
        user: &User,
        now: u64,
        ttl: u64,
    ) -> Result<(Self, RefreshToken), getrandom::Error> {
        let id = SessionId::generate();
        let token = RefreshToken::issue(id)?;
        let session = Self {
            id,
            user: user.id(),
            account: user.revision().key().clone(),
            epoch: user.session_epoch(),
            current: token.digest(),
            previous: None,
            rotated_at: now,
            expires_at: now.saturating_add(ttl),
            revoked: false,
            created_at: now,
        };
        Ok((session, token))
    }

    /// What `token` is to this session at `now`, spent tokens being forgiven for `grace`
    /// seconds after they were replaced.
    pub fn recognise(&self, token: &RefreshToken, now: u64, grace: u64) -> Presented {
        let digest = token.digest();
        let is_current = token.session() == self.id && digest == self.current;
        let is_previous = token.session() == self.id && Some(digest) == self.previous;
        match (is_current, is_previous) {
            (false, false) => Presented::Unknown,
            _ if self.revoked => Presented::Revoked,
            (true, _) if now >= self.expires_at => Presented::Expired,
            (true, _) => Presented::Current,
            (false, true) if now <= self.rotated_at.saturating_add(grace) => {
                Presented::RecentlySpent
            }
            (false, true) => Presented::Reused,
        }
    }

    /// Whether `user` is the account this session belongs to, still in the session's epoch.
    pub fn is_of(&self, user: &User) -> bool {
        user.id() == self.user && user.session_epoch() == self.epoch
    }

    /// Replaces the current token with a new one, issued at `now` and valid for `ttl`; the
    /// replaced one becomes the spent token. Returns the new token.
    pub fn rotate(&mut self, now: u64, ttl: u64) -> Result<RefreshToken, getrandom::Error> {
        let token = RefreshToken::issue(self.id)?;
        self.previous = Some(std::mem::replace(&mut self.current, token.digest()));
        self.rotated_at = now;
        self.expires_at = now.saturating_add(ttl);
        Ok(token)
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

    /// The digest the store must still hold as current for a rotation to apply.
    pub fn current(&self) -> TokenDigest {
        self.current
    }

    pub fn is_revoked(&self) -> bool {
        self.revoked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::ada;

    const TTL: u64 = 100;
    const GRACE: u64 = 10;
    const T0: u64 = 1_700_000_000;

    fn started() -> (Session, RefreshToken) {
        let mut user = ada();
        user.activate();
        Session::start(&user, T0, TTL).expect("random")
    }

    #[test]
    fn a_new_token_is_current_until_it_expires() {
        let (session, token) = started();
        assert_eq!(session.recognise(&token, T0, GRACE), Presented::Current);
        assert_eq!(
            session.recognise(&token, T0 + TTL - 1, GRACE),
            Presented::Current
        );
        assert_eq!(
            session.recognise(&token, T0 + TTL, GRACE),
            Presented::Expired
        );
    }

    #[test]
    fn a_replaced_token_is_forgiven_within_the_grace_window_and_reused_after_it() {
        let (mut session, first) = started();
        let second = session.rotate(T0 + 50, TTL).expect("random");
        assert_eq!(
            session.recognise(&second, T0 + 50, GRACE),
            Presented::Current
        );
        let cases = [
            (T0 + 50, Presented::RecentlySpent),
            (T0 + 50 + GRACE, Presented::RecentlySpent),
            (T0 + 50 + GRACE + 1, Presented::Reused),
        ];
        for (now, expected) in cases {
            assert_eq!(session.recognise(&first, now, GRACE), expected, "at {now}");
        }
    }

    #[test]
    fn rotation_moves_the_expiry_on() {
        let (mut session, _) = started();
        let next = session.rotate(T0 + 90, TTL).expect("random");
        assert_eq!(
            session.recognise(&next, T0 + 150, GRACE),
            Presented::Current
        );
    }

    #[test]
    fn tokens_spent_two_rotations_ago_or_of_other_sessions_are_unknown() {
        let (mut session, first) = started();
        session.rotate(T0 + 1, TTL).expect("random");
        session.rotate(T0 + 2, TTL).expect("random");
        assert_eq!(session.recognise(&first, T0 + 2, GRACE), Presented::Unknown);
        let (_, stranger) = started();
        assert_eq!(
            session.recognise(&stranger, T0 + 2, GRACE),
            Presented::Unknown
        );
    }

    #[test]
    fn a_revoked_session_recognises_its_tokens_as_revoked_only() {
        let (mut session, token) = started();
        session.revoked = true;
        assert_eq!(session.recognise(&token, T0, GRACE), Presented::Revoked);
        let (_, stranger) = started();
        assert_eq!(session.recognise(&stranger, T0, GRACE), Presented::Unknown);
    }

    #[test]
    fn a_session_belongs_to_its_account_only_while_the_epoch_lasts() {
        let mut user = ada();
        user.activate();
        let (session, _) = Session::start(&user, T0, TTL).expect("random");
        assert!(session.is_of(&user));
        assert!(!session.is_of(&ada()), "another account");
        user.end_sessions();
        assert!(!session.is_of(&user));
    }
}
