//! The `User` aggregate: one account and the rules for changing it.

use std::fmt;

use uuid::Uuid;

use super::{Email, Invalid, PasswordHash, PersonName};

/// An account's permanent identifier, a random (v4) UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(Uuid);

impl UserId {
    pub fn generate() -> Self {
        Self(Uuid::new_v4())
    }

    /// Parses the hyphenated form written by [`fmt::Display`].
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Uuid::try_parse(raw)
            .map(Self)
            .map_err(|_| Invalid::new("must be a UUID"))
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.as_hyphenated().fmt(f)
    }
}

/// Everything a store keeps of a [`User`]: what adapters persist and rebuild one from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUser {
    pub id: UserId,
    pub name: PersonName,
    pub surname: PersonName,
    pub email: Email,
    pub password_hash: PasswordHash,
    pub active: bool,
    /// How many writes the account has seen (see [`User::version`]).
    pub version: u64,
}

/// A user account.
///
/// Its state is private: the state changes the business allows are the methods below, and a
/// use case never flips a field by hand. Only adapters take an account apart
/// ([`User::into_stored`]) or rebuild one ([`User::restore`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User(StoredUser);

impl User {
    /// A new account: a fresh id, inactive until its owner activates it, at version 1 (the
    /// write that creates it).
    pub fn register(
        name: PersonName,
        surname: PersonName,
        email: Email,
        password_hash: PasswordHash,
    ) -> Self {
        Self(StoredUser {
            id: UserId::generate(),
            name,
            surname,
            email,
            password_hash,
            active: false,
            version: 1,
        })
    }

    /// Rebuilds an account read from a store.
    pub fn restore(stored: StoredUser) -> Self {
        Self(stored)
    }

    /// Takes the account apart for a store to persist; the inverse of [`User::restore`].
    pub fn into_stored(self) -> StoredUser {
        self.0
    }

    /// Activates the account; returns whether anything changed (an active account stays as is,
    /// so there is nothing to write).
    pub fn activate(&mut self) -> bool {
        !std::mem::replace(&mut self.0.active, true)
    }

    /// Deactivates the account; returns whether anything changed.
    pub fn deactivate(&mut self) -> bool {
        std::mem::replace(&mut self.0.active, false)
    }

    pub fn id(&self) -> UserId {
        self.0.id
    }

    pub fn name(&self) -> &PersonName {
        &self.0.name
    }

    pub fn surname(&self) -> &PersonName {
        &self.0.surname
    }

    pub fn email(&self) -> &Email {
        &self.0.email
    }

    pub fn password_hash(&self) -> &PasswordHash {
        &self.0.password_hash
    }

    pub fn is_active(&self) -> bool {
        self.0.active
    }

    /// How many writes the account had seen when this copy was read. Stores use it as an
    /// optimistic-concurrency token: a write based on a stale read fails instead of overwriting
    /// a concurrent change.
    pub fn version(&self) -> u64 {
        self.0.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::ada;

    #[test]
    fn a_registered_user_is_inactive_at_version_one_with_a_fresh_id() {
        let (first, second) = (ada(), ada());
        assert!(!first.is_active());
        assert_eq!(first.version(), 1);
        assert_ne!(first.id(), second.id());
    }

    #[test]
    fn activation_changes_an_inactive_user_only() {
        let mut user = ada();
        assert!(user.activate(), "inactive -> active is a change");
        assert!(user.is_active());
        assert!(!user.activate(), "active -> active is not");
        assert!(user.is_active());
    }

    #[test]
    fn deactivation_changes_an_active_user_only() {
        let mut user = ada();
        assert!(!user.deactivate(), "inactive -> inactive is not a change");
        user.activate();
        assert!(user.deactivate(), "active -> inactive is");
        assert!(!user.is_active());
    }

    #[test]
    fn a_user_survives_being_stored_and_restored() {
        let mut user = ada();
        user.activate();
        assert_eq!(User::restore(user.clone().into_stored()), user);
    }

    #[test]
    fn a_user_id_survives_its_text_form() {
        let id = UserId::generate();
        assert_eq!(UserId::parse(&id.to_string()), Ok(id));
        assert!(UserId::parse("not-a-uuid").is_err());
    }
}
