//! The `User` aggregate: one account and the rules for changing it.

use super::{Email, EventKind, Failures, PasswordHash, PersonName, Revision, SecondFactor};

super::id::uuid_id!(
    /// An account's permanent identifier, a random (v4) UUID.
    UserId
);

/// Everything a store keeps of a [`User`]: what adapters persist and rebuild one from. Only
/// this crate can build one, so no code outside it can make up an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredUser {
    pub(crate) id: UserId,
    pub(crate) name: PersonName,
    pub(crate) surname: PersonName,
    pub(crate) email: Email,
    pub(crate) password_hash: PasswordHash,
    pub(crate) active: bool,
    /// Unix seconds.
    pub(crate) created_at: u64,
    /// How many writes the account has seen (see [`User::version`]).
    pub(crate) version: u64,
    /// Which generation of sessions is valid (see [`User::end_sessions`]).
    pub(crate) session_epoch: u64,
    /// Recent failed password checks (see [`Failures`]).
    pub(crate) failures: Failures,
    /// Whether a code mailed to the address came back (see [`User::verify_email`]).
    pub(crate) email_verified: bool,
    /// The account's second factor, if it has one (see [`SecondFactor`]).
    pub(crate) second_factor: SecondFactor,
    /// How many events the account has published: the sequence of its last (see
    /// [`AccountEvent`](super::AccountEvent)).
    pub(crate) event_count: u64,
    /// Whether an administrator disabled the account (see [`User::disable`]).
    pub(crate) disabled: bool,
}

/// A user account.
///
/// Its state is private: the state changes the business allows are the methods below, and a
/// use case never flips a field by hand. Only adapters (this crate) take an account apart
/// ([`User::stored`]) or rebuild one ([`User::restore`]); code outside the crate can only
/// [`register`](User::register) a new one, which starts inactive at version 1:
///
/// ```compile_fail
/// # use user_service::domain::User;
/// // Outside this crate, an account with made-up state cannot be built:
/// let restore = User::restore;
/// ```
///
/// ```compile_fail
/// # use user_service::domain::User;
/// // … nor changed except through its methods:
/// fn activate_by_hand(user: &mut User) { user.state.active = true; }
/// ```
#[derive(Debug, Clone)]
pub struct User {
    /// The domain's own modules (`user_second_factor`) change it too.
    pub(super) state: StoredUser,
    /// The account as read (or as it will be first written), whatever changed since.
    revision: Revision,
    /// What happened to it since it was read, in order: the events its write publishes.
    pub(super) events: Vec<EventKind>,
}

/// Two accounts are equal when they are the same account in the same state, read at the same
/// version; what happened to one since it was read is not part of its state.
impl PartialEq for User {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && self.revision == other.revision
    }
}

impl Eq for User {}

impl User {
    /// A new account: a fresh id, inactive until its owner activates it, at version 1 (the
    /// write that creates it), created at `now` (Unix seconds).
    pub fn register(
        name: PersonName,
        surname: PersonName,
        email: Email,
        password_hash: PasswordHash,
        now: u64,
    ) -> Self {
        let mut user = Self::restore(StoredUser {
            id: UserId::generate(),
            name,
            surname,
            email,
            password_hash,
            active: false,
            created_at: now,
            version: 1,
            session_epoch: 0,
            failures: Failures::default(),
            email_verified: false,
            second_factor: SecondFactor::default(),
            disabled: false,
            // Its creation publishes the first: `user.created`.
            event_count: 1,
        });
        user.happened(EventKind::Created);
        user
    }

    /// Rebuilds an account read from a store, under the key it was stored with.
    pub(crate) fn restore(state: StoredUser) -> Self {
        let revision = Revision::new(
            state.id,
            state.email.clone(),
            state.version,
            state.event_count,
        );
        Self {
            state,
            revision,
            events: Vec::new(),
        }
    }

    /// Records that `kind` happened to the account, for its write to publish.
    pub(super) fn happened(&mut self, kind: EventKind) {
        self.events.push(kind);
    }

    /// What happened to the account since it was read (or registered), in order.
    pub fn events(&self) -> &[EventKind] {
        &self.events
    }

    /// The account's current state, for a store to persist.
    pub(crate) fn stored(&self) -> &StoredUser {
        &self.state
    }

    /// Activates the account; returns whether anything changed (an active account stays as is,
    /// so there is nothing to write).
    pub fn activate(&mut self) -> bool {
        let changed = !std::mem::replace(&mut self.state.active, true);
        if changed {
            self.happened(EventKind::Activated);
        }
        changed
    }

    /// Deactivates the account and ends its sessions; returns whether anything changed.
    pub fn deactivate(&mut self) -> bool {
        let changed = std::mem::replace(&mut self.state.active, false);
        if changed {
            self.end_sessions();
            self.happened(EventKind::Deactivated);
        }
        changed
    }

    /// Disables the account, as an administrator does, and ends its sessions: no password, code
    /// or token gets anyone in until an administrator enables it again (its owner cannot).
    /// Returns whether anything changed.
    pub fn disable(&mut self) -> bool {
        let changed = !std::mem::replace(&mut self.state.disabled, true);
        if changed {
            self.end_sessions();
            self.happened(EventKind::Disabled);
        }
        changed
    }

    /// Enables a disabled account (its sessions stay ended); returns whether anything changed.
    pub fn enable(&mut self) -> bool {
        let changed = std::mem::replace(&mut self.state.disabled, false);
        if changed {
            self.happened(EventKind::Enabled);
        }
        changed
    }

    /// Whether an administrator disabled the account.
    pub fn is_disabled(&self) -> bool {
        self.state.disabled
    }

    /// Ends every session started so far: a session records the epoch it was started in and
    /// is valid only while the account is still in it.
    pub fn end_sessions(&mut self) {
        self.state.session_epoch += 1;
    }

    /// The failed password checks the account has seen recently.
    pub fn failures(&self) -> Failures {
        self.state.failures
    }

    /// The generation of sessions that is valid now.
    pub fn session_epoch(&self) -> u64 {
        self.state.session_epoch
    }

    /// Replaces the password hash with the same password's, hashed anew (a new cost or
    /// pepper): nothing happened to the account that anyone needs to hear of.
    pub fn replace_password_hash(&mut self, hash: PasswordHash) {
        self.state.password_hash = hash;
    }

    /// Gives the account a new password's hash (the caller ends its sessions if it should).
    pub fn change_password(&mut self, hash: PasswordHash) {
        self.state.password_hash = hash;
        self.happened(EventKind::PasswordChanged);
    }

    /// Moves the account to another address; returns whether anything changed.
    pub fn change_email(&mut self, email: Email) -> bool {
        let changed = self.state.email != email;
        self.state.email = email;
        if changed {
            self.happened(EventKind::EmailChanged);
        }
        changed
    }

    /// Records that the address is its owner's (a code mailed to it came back); returns
    /// whether anything changed.
    pub fn verify_email(&mut self) -> bool {
        let changed = !std::mem::replace(&mut self.state.email_verified, true);
        if changed {
            self.happened(EventKind::EmailVerified);
        }
        changed
    }

    /// Hands the account to whoever read a reset code from its mailbox: the new hash, every
    /// session ended (a squatter's too), the address verified, and the lockout's count cleared,
    /// unless the account has TOTP: a mailbox is no second factor, and only a passed one clears
    /// that count (else each reset would buy a fresh run of guesses at the code).
    pub fn reset_password(&mut self, hash: PasswordHash) {
        self.replace_password_hash(hash);
        self.happened(EventKind::PasswordReset);
        self.end_sessions();
        if !self.has_totp() {
            self.state.failures = Failures::default();
        }
        self.verify_email();
    }

    /// Gives the account new names (either or both); returns whether anything changed.
    pub fn rename(&mut self, name: Option<PersonName>, surname: Option<PersonName>) -> bool {
        let before = (self.state.name.clone(), self.state.surname.clone());
        if let Some(name) = name {
            self.state.name = name;
        }
        if let Some(surname) = surname {
            self.state.surname = surname;
        }
        before != (self.state.name.clone(), self.state.surname.clone())
    }

    pub fn id(&self) -> UserId {
        self.state.id
    }

    pub fn name(&self) -> &PersonName {
        &self.state.name
    }

    pub fn surname(&self) -> &PersonName {
        &self.state.surname
    }

    pub fn email(&self) -> &Email {
        &self.state.email
    }

    pub fn password_hash(&self) -> &PasswordHash {
        &self.state.password_hash
    }

    pub fn is_active(&self) -> bool {
        self.state.active
    }

    /// Whether the address is known to be the owner's.
    pub fn is_email_verified(&self) -> bool {
        self.state.email_verified
    }

    /// When the account was created, in Unix seconds.
    pub fn created_at(&self) -> u64 {
        self.state.created_at
    }

    /// How many writes the account had seen when this copy was read. Stores use it as an
    /// optimistic-concurrency token: a write based on a stale read fails instead of overwriting
    /// a concurrent change.
    pub fn version(&self) -> u64 {
        self.revision.version()
    }

    /// Where and at which version this copy was read.
    pub fn revision(&self) -> &Revision {
        &self.revision
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
    fn deactivation_ends_the_sessions_and_activation_does_not_revive_them() {
        let mut user = ada();
        user.activate();
        let started_in = user.session_epoch();
        user.deactivate();
        user.activate();
        assert_ne!(user.session_epoch(), started_in);
        let now = user.session_epoch();
        user.deactivate();
        assert!(!user.deactivate(), "no change, no new epoch");
        assert_eq!(user.session_epoch(), now + 1);
    }

    #[test]
    fn disabling_ends_the_sessions_once_and_enabling_revives_none() {
        let mut user = ada();
        user.activate();
        let started_in = user.session_epoch();
        assert!(!user.is_disabled());
        assert!(user.disable());
        assert!(user.is_disabled());
        assert!(user.is_active(), "disabling is not deactivating");
        assert_eq!(user.session_epoch(), started_in + 1);
        assert!(!user.disable(), "disabled already: no change, no new epoch");
        assert_eq!(user.session_epoch(), started_in + 1);
        assert!(user.enable());
        assert!(!user.enable());
        assert!(!user.is_disabled());
        assert_eq!(user.session_epoch(), started_in + 1);
    }

    #[test]
    fn a_new_account_is_unverified_until_a_code_comes_back() {
        let mut user = ada();
        assert!(!user.is_email_verified());
        assert!(user.verify_email());
        assert!(!user.verify_email(), "once is enough");
    }

    #[test]
    fn a_reset_hands_the_account_over_verified_with_every_session_ended() {
        let mut user = ada();
        let epoch = user.session_epoch();
        let hash = PasswordHash::parse("$argon2id$v=19$m=8,t=1,p=1$bmV3c2FsdA$bmV3".to_owned())
            .expect("valid");

        user.reset_password(hash.clone());

        assert_eq!(user.password_hash(), &hash);
        assert_eq!(user.session_epoch(), epoch + 1);
        assert!(user.is_email_verified());
        assert_eq!(user.failures(), Failures::default());
    }

    #[test]
    fn renaming_changes_only_the_names_given() {
        let mut user = ada();
        let grace = PersonName::parse("Grace").expect("valid");
        assert!(user.rename(Some(grace.clone()), None));
        assert_eq!((user.name(), user.surname().as_ref()), (&grace, "Lovelace"));
        assert!(!user.rename(None, None));
        assert!(
            !user.rename(Some(grace), None),
            "the same name is no change"
        );
    }

    #[test]
    fn a_user_survives_being_stored_and_restored() {
        let user = ada();
        assert_eq!(User::restore(user.stored().clone()), user);
    }

    #[test]
    fn changes_keep_the_revision_they_were_read_at() {
        let mut user = ada();
        let read = user.revision().clone();
        user.activate();
        assert!(user.change_email(Email::parse("grace@example.com").expect("valid")));
        assert_eq!(
            user.revision(),
            &read,
            "the write is still checked against the read"
        );
        assert_eq!(read.key().as_ref(), "ada@example.com");
        assert_eq!(user.email().as_ref(), "grace@example.com");
        assert!(!user.change_email(Email::parse("grace@example.com").expect("valid")));
    }

    #[test]
    fn a_user_id_survives_its_text_form() {
        let id = UserId::generate();
        assert_eq!(UserId::parse(&id.to_string()), Ok(id));
        assert!(UserId::parse("not-a-uuid").is_err());
    }
}
