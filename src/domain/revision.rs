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
    /// How far a write carrying this revision moves the version on: one, or one per event it
    /// publishes (see [`AccountEvent::sequence`](super::AccountEvent)).
    steps: u64,
}

impl Revision {
    pub(super) fn new(id: UserId, key: Email, version: u64) -> Self {
        Self {
            id,
            key,
            version,
            steps: 1,
        }
    }

    /// The same revision, for a write that moves the version on by `steps` (at least one).
    pub fn moving(&self, steps: u64) -> Self {
        Self {
            steps: steps.max(1),
            ..self.clone()
        }
    }

    /// The version a write carrying this revision leaves the account at.
    pub fn next_version(&self) -> u64 {
        self.version + self.steps
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

/// Two revisions are equal when they name the same read of the same account, however far a
/// write carrying one would move the version.
impl PartialEq for Revision {
    fn eq(&self, other: &Self) -> bool {
        (self.id, &self.key, self.version) == (other.id, &other.key, other.version)
    }
}

impl Eq for Revision {}
