//! The unit of work: reads pass through, writes wait for `commit`.

use super::ports::{AccountStore, AtAddress, CommitError, StoreError};
use super::{Change, Lockout};
use crate::domain::{
    ChallengeId, CodePurpose, CodeRecord, Email, Failures, MfaChallenge, Session, SessionId, User,
    UserId,
};

/// One business transaction against an [`AccountStore`].
///
/// Writes are only buffered; [`commit`](Self::commit) hands them to the store as one atomic
/// change set. Dropping a unit of work without committing (an early `?` return, a panic) is a
/// rollback: nothing was sent, so nothing needs undoing. Each buffering method turns what the
/// aggregate decided into the one [`Change`] that writes exactly that.
pub struct UnitOfWork<'s, S> {
    store: &'s S,
    changes: Vec<Change>,
}

impl<'s, S: AccountStore> UnitOfWork<'s, S> {
    pub fn begin(store: &'s S) -> Self {
        Self {
            store,
            changes: Vec::new(),
        }
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        self.store.find_by_email(email).await
    }

    pub async fn session(&self, id: SessionId) -> Result<Option<Session>, StoreError> {
        self.store.find_session(id).await
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
        self.changes.push(Change::Create(user));
    }

    /// Buffers the account's current status (after `activate` or `deactivate`).
    pub fn save_status(&mut self, user: &User) {
        self.changes.push(Change::SetStatus {
            account: user.revision().clone(),
            active: user.is_active(),
            session_epoch: user.session_epoch(),
        });
    }

    /// Buffers the account's current password hash (and session epoch: a new password may
    /// end the sessions started with the old one).
    pub fn save_password_hash(&mut self, user: &User) {
        self.changes.push(Change::ReplaceHash {
            account: user.revision().clone(),
            hash: user.password_hash().clone(),
            session_epoch: user.session_epoch(),
        });
    }

    /// Buffers the move of the account to its current address (after `change_email`).
    pub fn save_email(&mut self, user: &User) {
        self.changes.push(Change::MoveEmail {
            account: user.revision().clone(),
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
        self.changes.push(Change::VerifyEmail {
            account: user.revision().clone(),
        });
    }

    /// Buffers what a password reset changed (after `reset_password`).
    pub fn save_reset(&mut self, user: &User) {
        self.changes.push(Change::ResetPassword {
            account: user.revision().clone(),
            hash: user.password_hash().clone(),
            session_epoch: user.session_epoch(),
            clear_failures: !user.has_totp(),
        });
    }

    /// Buffers the account's names (after `rename`).
    pub fn save_names(&mut self, user: &User) {
        self.changes.push(Change::Rename {
            account: user.revision().clone(),
            name: user.name().clone(),
            surname: user.surname().clone(),
        });
    }

    /// Buffers the removal of the account.
    pub fn delete(&mut self, user: &User) {
        self.changes.push(Change::Delete {
            account: user.revision().clone(),
        });
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
        self.reserve_attempt_at(user.revision().key(), Some(user.id()), at, user.failures());
    }

    /// Buffers the count of one more password check against `address`, of account `owner` or
    /// (`None`) of no account, begun at `at`, conditional on the count `read` there.
    pub fn reserve_attempt_at(
        &mut self,
        address: &Email,
        owner: Option<UserId>,
        at: u64,
        read: Failures,
    ) {
        self.changes.push(Change::ReserveAttempt {
            key: address.clone(),
            owner,
            at,
            read,
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
        self.changes.push(Change::SetSecondFactor {
            account: user.revision().clone(),
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
        let changes = std::mem::take(&mut self.changes);
        if changes.is_empty() {
            return Ok(());
        }
        self.store.commit(changes).await
    }
}
