//! The unit of work: reads pass through, writes wait for `commit`, and each write of an account
//! takes the events of what happened to it along (the outbox: `domain/event.rs`).

use super::ports::{AccountPage, AccountRecord, AccountStore, AtAddress, CommitError, StoreError};
use super::{Change, Clock, Lockout, origin};
use crate::domain::{
    AccountCursor, AccountEvent, Actor, ChallengeId, CodePurpose, CodeRecord, Email, EmailPrefix,
    EventKind, Failures, MfaChallenge, Revision, Session, SessionId, User, UserId,
};

/// How long event items are kept by default (`EVENT_RETENTION_DAYS`), in days.
pub const DEFAULT_EVENT_RETENTION_DAYS: u64 = 90;
const DAY: u64 = 24 * 60 * 60;

/// One business transaction against an [`AccountStore`].
///
/// Writes are only buffered; [`commit`](Self::commit) hands them to the store as one atomic
/// change set. Dropping a unit of work without committing (an early `?` return, a panic) is a
/// rollback: nothing was sent, so nothing needs undoing. Each buffering method turns what the
/// aggregate decided into the one [`Change`] that writes exactly that.
pub struct UnitOfWork<'s, S> {
    store: &'s S,
    changes: Vec<Change>,
    /// The events of the changes buffered, committed after them (so a transaction lists the
    /// account's writes first, its events last).
    events: Vec<Change>,
    /// When the events it buffers happen (Unix seconds).
    now: u64,
    /// How long their items are kept, in seconds.
    retention: u64,
    /// Who causes them.
    actor: Actor,
}

impl<'s, S: AccountStore> UnitOfWork<'s, S> {
    /// A unit of work on `store` whose events happen now (the system's clock), caused by the
    /// account's owner and kept for the default retention.
    pub fn begin(store: &'s S) -> Self {
        Self::stamped(store, Clock::system().now(), DEFAULT_EVENT_RETENTION_DAYS)
    }

    /// A unit of work on `store` whose events happen at `now`, kept `retention_days`.
    pub fn stamped(store: &'s S, now: u64, retention_days: u64) -> Self {
        Self {
            store,
            changes: Vec::new(),
            events: Vec::new(),
            now,
            retention: retention_days.saturating_mul(DAY),
            actor: Actor::User,
        }
    }

    /// The same unit of work, its events caused by `actor`.
    pub fn acting_as(self, actor: Actor) -> Self {
        Self { actor, ..self }
    }

    /// Buffers the events `kinds` of the account read as `account`, numbered on from `after`,
    /// and returns the revision its write carries (which counts them as published).
    fn publish(
        &mut self,
        account: &Revision,
        after: u64,
        kinds: impl IntoIterator<Item = EventKind>,
    ) -> Revision {
        let mut steps = 0;
        for kind in kinds {
            steps += 1;
            self.events.push(Change::RecordEvent(AccountEvent {
                kind,
                user: account.id(),
                sequence: after + steps,
                at: self.now,
                expires_at: self.now.saturating_add(self.retention),
                request_id: origin::request_id(),
                actor: self.actor.clone(),
            }));
        }
        account.publishing(steps)
    }

    /// The revision `user`'s write carries, with the events of what happened to it buffered.
    fn written(&mut self, user: &User) -> Revision {
        let account = user.revision();
        self.publish(account, account.events(), user.events().iter().copied())
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        self.store.find_by_email(email).await
    }

    /// Up to `limit` events of account `user`, newest first, before sequence `before`.
    pub async fn events_of(
        &self,
        user: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AccountEvent>, StoreError> {
        self.store.events_of(user, before, limit).await
    }

    pub async fn session(&self, id: SessionId) -> Result<Option<Session>, StoreError> {
        self.store.find_session(id).await
    }

    /// The account with id `id`, with when it was last written.
    pub async fn account_by_id(&self, id: UserId) -> Result<Option<AccountRecord>, StoreError> {
        self.store.find_by_id(id).await
    }

    /// A page of accounts (see [`AccountStore::accounts`]).
    pub async fn accounts(
        &self,
        prefix: &EmailPrefix,
        after: Option<&AccountCursor>,
        limit: usize,
    ) -> Result<AccountPage, StoreError> {
        self.store.accounts(prefix, after, limit).await
    }

    pub async fn sessions_of(&self, user: UserId) -> Result<Vec<SessionId>, StoreError> {
        self.store.sessions_of(user).await
    }

    /// The sessions of account `user`, whole; eventually consistent.
    pub async fn find_sessions_of(&self, user: UserId) -> Result<Vec<Session>, StoreError> {
        self.store.find_sessions_of(user).await
    }

    /// Buffers the registration of a new account.
    pub fn create(&mut self, user: User) {
        // It is stored counting the events its creation publishes already.
        let after = (user.revision().events()).saturating_sub(user.events().len() as u64);
        self.publish(user.revision(), after, user.events().iter().copied());
        self.changes.push(Change::Create(user));
    }

    /// Buffers the account's current status (after `activate` or `deactivate`).
    pub fn save_status(&mut self, user: &User) {
        let account = self.written(user);
        self.changes.push(Change::SetStatus {
            account,
            active: user.is_active(),
            session_epoch: user.session_epoch(),
        });
    }

    /// Buffers whether the account is disabled, and its session epoch (after `disable` or
    /// `enable`).
    pub fn save_disabled(&mut self, user: &User) {
        let account = self.written(user);
        self.changes.push(Change::SetDisabled {
            account,
            disabled: user.is_disabled(),
            session_epoch: user.session_epoch(),
        });
    }

    /// Buffers the account's current password hash (and session epoch: a new password may
    /// end the sessions started with the old one).
    pub fn save_password_hash(&mut self, user: &User) {
        let account = self.written(user);
        self.changes.push(Change::ReplaceHash {
            account,
            hash: user.password_hash().clone(),
            session_epoch: user.session_epoch(),
        });
    }

    /// Buffers the move of the account to its current address (after `change_email`).
    pub fn save_email(&mut self, user: &User) {
        let account = self.written(user);
        self.changes.push(Change::MoveEmail {
            account,
            to: user.email().clone(),
            session_epoch: user.session_epoch(),
            email_verified: user.is_email_verified(),
        });
    }

    /// What the store holds under `email`, and its code record of `purpose`, read together.
    pub async fn codes_at(
        &self,
        email: &Email,
        purpose: CodePurpose,
    ) -> Result<(AtAddress, CodeRecord), StoreError> {
        self.store.find_codes(email, purpose).await
    }

    /// Buffers the code record as decided (conditional on the version it was read at).
    pub fn save_codes(&mut self, record: CodeRecord) {
        self.changes.push(Change::SaveCodes(record));
    }

    /// Buffers the account's address as verified (after `verify_email`).
    pub fn save_verified(&mut self, user: &User) {
        let account = self.written(user);
        self.changes.push(Change::VerifyEmail { account });
    }

    /// Buffers what a password reset changed (after `reset_password`).
    pub fn save_reset(&mut self, user: &User) {
        let account = self.written(user);
        self.changes.push(Change::ResetPassword {
            account,
            hash: user.password_hash().clone(),
            session_epoch: user.session_epoch(),
            clear_failures: !user.has_totp(),
        });
    }

    /// Buffers the account's names (after `rename`).
    pub fn save_names(&mut self, user: &User) {
        let account = self.written(user);
        self.changes.push(Change::Rename {
            account,
            name: user.name().clone(),
            surname: user.surname().clone(),
        });
    }

    /// Buffers the removal of the account, and its `user.deleted` event (which outlives it).
    pub fn delete(&mut self, user: &User) {
        let read = user.revision();
        let happened = user.events().iter().copied().chain([EventKind::Deleted]);
        let account = self.publish(read, read.events(), happened);
        self.changes.push(Change::Delete { account });
    }

    /// Buffers a check that the account is still as read, writing nothing.
    pub fn require_unchanged(&mut self, user: &User) {
        self.changes.push(Change::Require {
            account: user.revision().clone(),
        });
    }

    /// Buffers the end of every session of account `id`, stored under `key`, provided the
    /// account is still in session epoch `epoch`.
    pub fn end_sessions(&mut self, key: &Email, id: UserId, epoch: u64) {
        self.changes.push(Change::EndSessions {
            key: key.clone(),
            id,
            epoch,
        });
    }

    /// Buffers the count of one more password check of `user`, begun at `at`, conditional on
    /// the count read (see [`Change::ReserveAttempt`]).
    pub fn reserve_attempt(&mut self, user: &User, at: u64) {
        let account = user.revision();
        self.reserve_attempt_at(account.key(), Some(account), at, user.failures());
    }

    /// Buffers the count of one more password check against `address`, of the account read as
    /// `owner` or (`None`) of no account, begun at `at`, conditional on the count `read` there.
    /// A count that locks an account writes its `user.locked` event too.
    pub fn reserve_attempt_at(
        &mut self,
        address: &Email,
        owner: Option<&Revision>,
        at: u64,
        read: Failures,
    ) {
        let locks = match owner {
            Some(account) if read.reserved(at).locked_for(at).is_some() => {
                Some(self.publish(account, account.events(), [EventKind::Locked]))
            }
            _ => None,
        };
        self.changes.push(Change::ReserveAttempt {
            key: address.clone(),
            owner: owner.map(Revision::id),
            at,
            read,
            locks,
        });
    }

    /// What the store holds under `email`.
    pub async fn at(&self, email: &Email) -> Result<AtAddress, StoreError> {
        self.store.find_at(email).await
    }

    /// Buffers the clearing of `user`'s failed password checks.
    pub fn clear_failures(&mut self, user: &User) {
        self.changes.push(Change::ClearFailures {
            key: user.revision().key().clone(),
            id: user.id(),
        });
    }

    /// Buffers the account's second factor, status and session epoch as they are now, and
    /// what `lockout` says of its failed checks.
    pub fn save_second_factor(&mut self, user: &User, lockout: Lockout) {
        let account = self.written(user);
        self.changes.push(Change::SetSecondFactor {
            account,
            factor: user.second_factor().clone(),
            active: user.is_active(),
            session_epoch: user.session_epoch(),
            lockout,
        });
    }

    /// What the store holds under `email`, and the MFA challenge `id`, read together.
    pub async fn challenge_at(
        &self,
        email: &Email,
        id: ChallengeId,
    ) -> Result<(AtAddress, Option<MfaChallenge>), StoreError> {
        self.store.find_challenge(email, id).await
    }

    /// Buffers a new MFA challenge.
    pub fn start_challenge(&mut self, challenge: MfaChallenge) {
        self.changes.push(Change::StartChallenge(challenge));
    }

    /// Buffers one more wrong code against `challenge`, as read.
    pub fn count_challenge_try(&mut self, challenge: &MfaChallenge) {
        self.changes.push(Change::CountChallengeTry {
            id: challenge.id(),
            tries: challenge.tries(),
        });
    }

    /// Buffers the removal of `challenge`, as read: a right code spent it.
    pub fn end_challenge(&mut self, challenge: &MfaChallenge) {
        self.changes.push(Change::EndChallenge {
            id: challenge.id(),
            tries: challenge.tries(),
        });
    }

    /// Buffers a new session.
    pub fn start_session(&mut self, session: Session) {
        self.changes.push(Change::StartSession(session));
    }

    /// Buffers a session as rotated, provided it is still at generation `from`.
    pub fn save_rotation(&mut self, session: Session, from: u64) {
        self.changes.push(Change::RotateSession { session, from });
    }

    /// Buffers the removal of a session's record.
    pub fn delete_session(&mut self, session: SessionId) {
        self.changes.push(Change::DeleteSession { session });
    }

    /// Buffers the revocation of a session, provided it is account `owner`'s.
    pub fn revoke_session(&mut self, session: SessionId, owner: UserId) {
        self.changes.push(Change::RevokeSession { session, owner });
    }

    /// Writes everything buffered, atomically. Whatever the outcome, the buffer is empty
    /// afterwards, so a retry starts from a clean slate.
    pub async fn commit(&mut self) -> Result<(), CommitError> {
        let mut changes = std::mem::take(&mut self.changes);
        changes.append(&mut self.events);
        if changes.is_empty() {
            return Ok(());
        }
        self.store.commit(changes).await
    }
}
