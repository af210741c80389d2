//! Where and at which version an account was read: the optimistic-concurrency token every
//! write to it carries.

use super::{Email, UserId};

/// Where and at which version an account was read: what a write to it must still find.
///
/// `key` is the address the account is stored under, exactly as stored. Writes address the
/// account by it, never by re-parsing the e-mail, so an account stored before a change to the
/// canonical form of addresses stays writable.
#[derive(Debug, Clone)]
pub struct Revision {
    id: UserId,
    key: Email,
    version: u64,
    /// How many events the account had published when it was read.
    events: u64,
    /// How many more a write carrying this revision publishes (its event items are in the
    /// same commit; see [`AccountEvent::sequence`](super::AccountEvent)).
    publishes: u64,
}

impl Revision {
    pub(super) fn new(id: UserId, key: Email, version: u64, events: u64) -> Self {
        Self {
            id,
            key,
            version,
            events,
            publishes: 0,
        }
    }

    /// The same revision, for a write that publishes `events` more events.
    pub fn publishing(&self, events: u64) -> Self {
        Self {
            publishes: events,
            ..self.clone()
        }
    }

    /// How many events the account had published when it was read: the sequence of its
    /// last one (0: none yet).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Whether a write carrying this revision publishes events.
    pub fn publishes(&self) -> bool {
        self.publishes > 0
    }

    /// How many events the account has published once a write carrying this revision is done.
    pub fn events_after(&self) -> u64 {
        self.events + self.publishes
    }

    pub fn id(&self) -> UserId {
        self.id
    }

    pub fn key(&self) -> &Email {
        &self.key
    }

    pub fn version(&self) -> u64 {
        self.version
    }
}

/// Two revisions are equal when they name the same read of the same account, whatever a write
/// carrying one publishes.
impl PartialEq for Revision {
    fn eq(&self, other: &Self) -> bool {
        (self.id, &self.key, self.version) == (other.id, &other.key, other.version)
    }
}

impl Eq for Revision {}
