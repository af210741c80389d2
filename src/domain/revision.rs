//! Where and at which version an account was read: the optimistic-concurrency token every
//! write to it carries.

use super::{Email, UserId};

/// Where and at which version an account was read: what a write to it must still find.
///
/// `key` is the address the account is stored under, exactly as stored. Writes address the
/// account by it, never by re-parsing the e-mail, so an account stored before a change to the
/// canonical form of addresses stays writable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    id: UserId,
    key: Email,
    version: u64,
}

impl Revision {
    pub(super) fn new(id: UserId, key: Email, version: u64) -> Self {
        Self { id, key, version }
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
