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

/// A user account.
///
/// Fields are private: the state changes the business allows are the methods below, and a use
/// case never flips a field by hand. `version` counts the writes the account has seen; stores
/// use it as an optimistic-concurrency token so that a write based on a stale read fails
/// instead of overwriting a concurrent change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    id: UserId,
    name: PersonName,
    surname: PersonName,
    email: Email,
    password_hash: PasswordHash,
    active: bool,
    version: u64,
}

/// Everything a store keeps of a [`User`]: what adapters persist and rebuild one from.
#[derive(Debug)]
pub struct StoredUser {
    pub id: UserId,
    pub name: PersonName,
    pub surname: PersonName,
    pub email: Email,
    pub password_hash: PasswordHash,
    pub active: bool,
    pub version: u64,
}

impl User {
    /// A new account: a fresh id, inactive until its owner activates it, at version 1 (the
    /// write that creates it).
    pub fn register(
        name: PersonName,
        surname: PersonName,
        email: Email,
        password_hash: PasswordHash,
    ) -> Self {
        Self {
            id: UserId::generate(),
            name,
            surname,
            email,
            password_hash,
            active: false,
            version: 1,
        }
    }

    /// Rebuilds an account read from a store.
    pub fn restore(stored: StoredUser) -> Self {
        let StoredUser {
            id,
            name,
            surname,
            email,
            password_hash,
            active,
            version,
        } = stored;
        Self {
            id,
            name,
            surname,
            email,
            password_hash,
            active,
            version,
        }
    }

    /// Takes the account apart for a store to persist; the inverse of [`User::restore`].
    pub fn into_stored(self) -> StoredUser {
        StoredUser {
            id: self.id,
            name: self.name,
            surname: self.surname,
            email: self.email,
            password_hash: self.password_hash,
            active: self.active,
            version: self.version,
        }
    }

    /// Activates the account; returns whether anything changed (an active account stays as is,
    /// so there is nothing to write).
    pub fn activate(&mut self) -> bool {
        !std::mem::replace(&mut self.active, true)
    }

    /// Deactivates the account; returns whether anything changed.
    pub fn deactivate(&mut self) -> bool {
        std::mem::replace(&mut self.active, false)
    }

    pub fn id(&self) -> UserId {
        self.id
    }

    pub fn name(&self) -> &PersonName {
        &self.name
    }

    pub fn surname(&self) -> &PersonName {
        &self.surname
    }

    pub fn email(&self) -> &Email {
        &self.email
    }

    pub fn password_hash(&self) -> &PasswordHash {
        &self.password_hash
    }

    pub fn is_active(&self) -> bool {
        self.active
    }

    /// The version this copy was read at (see the type's documentation).
    pub fn version(&self) -> u64 {
        self.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada() -> User {
        User::register(
            PersonName::parse("Ada").expect("valid"),
            PersonName::parse("Lovelace").expect("valid"),
            Email::parse("ada@example.com").expect("valid"),
            PasswordHash::parse("$argon2id$stub".to_owned()).expect("valid"),
        )
    }

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
