//! Account events: what happened to an account, written in the same transaction as the change
//! itself (a transactional outbox), so that no change is ever published without its event and
//! no event without its change.
//!
//! The [`User`](super::User) aggregate records the events its own methods cause; the unit of
//! work turns them into [`AccountEvent`]s beside the change that writes the account. An event's
//! `sequence` is the account's event count once it happened (`event_count` on the account,
//! moved in the same transaction; a change with two events moves it on by two), so an
//! account's events are numbered 1, 2, 3, … without gaps, and the event's id (account id and
//! sequence) is the same however often a delivery is retried.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{IamCaller, Invalid, UserId};

/// How many events a page of an account's audit trail holds.
pub const EVENTS_PER_PAGE: usize = 50;

/// What happened to an account: the event's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Created,
    Activated,
    Deactivated,
    EmailVerified,
    EmailChanged,
    PasswordChanged,
    PasswordReset,
    Locked,
    MfaEnabled,
    MfaDisabled,
    Disabled,
    Enabled,
    Deleted,
}

impl EventKind {
    /// Every kind, in the order the API description lists them.
    pub const ALL: [Self; 13] = [
        Self::Created,
        Self::Activated,
        Self::Deactivated,
        Self::EmailVerified,
        Self::EmailChanged,
        Self::PasswordChanged,
        Self::PasswordReset,
        Self::Locked,
        Self::MfaEnabled,
        Self::MfaDisabled,
        Self::Disabled,
        Self::Enabled,
        Self::Deleted,
    ];

    /// The event's `type`, as published (EventBridge's `detail-type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "user.created",
            Self::Activated => "user.activated",
            Self::Deactivated => "user.deactivated",
            Self::EmailVerified => "user.email_verified",
            Self::EmailChanged => "user.email_changed",
            Self::PasswordChanged => "user.password_changed",
            Self::PasswordReset => "user.password_reset",
            Self::Locked => "user.locked",
            Self::MfaEnabled => "user.mfa_enabled",
            Self::MfaDisabled => "user.mfa_disabled",
            Self::Disabled => "user.disabled",
            Self::Enabled => "user.enabled",
            Self::Deleted => "user.deleted",
        }
    }

    /// The kind whose `type` is `name`, if any (what a store reads back).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who caused an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The account's owner, or whoever presented its credentials (a wrong password that
    /// locks the account is the caller's too).
    User,
    /// An administrator, through the IAM-only admin API.
    Admin(IamCaller),
}

impl Actor {
    /// The event's `actor`: `user`, or an administrator's IAM ARN.
    pub fn as_str(&self) -> &str {
        match self {
            Self::User => "user",
            Self::Admin(caller) => caller.arn(),
        }
    }

    /// The actor written as `name`, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "user" => Some(Self::User),
            arn => IamCaller::parse(arn).ok().map(Self::Admin),
        }
    }
}

/// One event of one account, as stored and published. It carries no secret, no hash and no
/// address: the account id says whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEvent {
    pub kind: EventKind,
    pub user: UserId,
    /// The account's event count once the event happened: 1, 2, 3, … without gaps.
    pub sequence: u64,
    /// Unix seconds.
    pub at: u64,
    /// Unix seconds: when the store may forget it (`EVENT_RETENTION_DAYS` after `at`).
    pub expires_at: u64,
    /// The API Gateway (or Lambda) request that caused it, where there was one.
    pub request_id: Option<String>,
    pub actor: Actor,
}

impl AccountEvent {
    /// The event's id: its account's id and its sequence, so a redelivery has the same one.
    pub fn id(&self) -> String {
        format!("{}.{}", self.user, self.sequence)
    }
}

/// Where a page of an account's events goes on: before the sequence of the last one shown.
/// Opaque to clients (base64url), so that its form may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventCursor(u64);

impl EventCursor {
    /// The cursor of a page whose last (oldest) event is `last`.
    pub fn after(last: &AccountEvent) -> Self {
        Self(last.sequence)
    }

    /// Decodes a cursor a page answered with.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("is not a cursor a page of events answered with");
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let text = std::str::from_utf8(&bytes).map_err(|_| invalid())?;
        let sequence = text
            .strip_prefix("seq:")
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse().ok())
            .ok_or_else(invalid)?;
        Ok(Self(sequence))
    }

    /// The events the next page holds come before this sequence.
    pub fn before(self) -> u64 {
        self.0
    }
}

impl fmt::Display for EventCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(format!("seq:{}", self.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_type_and_the_types_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            assert!(seen.insert(kind.as_str()), "{kind} twice");
            assert!(kind.as_str().starts_with("user."));
        }
        assert_eq!(EventKind::parse("user.renamed"), None);
    }

    #[test]
    fn an_events_id_is_its_accounts_id_and_its_sequence() {
        let user = UserId::generate();
        let event = AccountEvent {
            kind: EventKind::Created,
            user,
            sequence: 7,
            at: 1,
            expires_at: 2,
            request_id: None,
            actor: Actor::User,
        };
        assert_eq!(event.id(), format!("{user}.7"));
        let cursor = EventCursor::after(&event);
        assert_eq!(EventCursor::parse(&cursor.to_string()), Ok(cursor));
        assert_eq!(cursor.before(), 7);
    }

    #[test]
    fn a_cursor_no_page_answered_with_is_refused() {
        let encode = |text: &str| URL_SAFE_NO_PAD.encode(text);
        for raw in [
            "".to_owned(),
            "not base64!".to_owned(),
            encode("7"),
            encode("seq:"),
            encode("seq:-1"),
            encode("seq:+1"),
            encode("seq:99999999999999999999999"),
        ] {
            assert!(EventCursor::parse(&raw).is_err(), "{raw:?}");
        }
    }
}
