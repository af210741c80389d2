//! What each [`Change`] does to the in-memory state: the same rules, record for record, as the
//! DynamoDB adapter's writes (`dynamodb/writes.rs`), which `tests/contract` holds both to.

use std::collections::{BTreeMap, HashMap};

use anyhow::anyhow;

use crate::domain::User;
use crate::domain::{
    AccountEvent, ChallengeId, CodePurpose, CodeRecord, Email, Failures, MfaChallenge, Revision,
    Session, SessionId, StoredUser, UserId,
};
use crate::service::{AccountRecord, AtAddress, Change, CommitError, StoreError};

#[derive(Debug, Clone, Default)]
pub(super) struct Data {
    /// Accounts by the address they are stored under (DynamoDB's e-mail items).
    pub(super) accounts: HashMap<Email, StoredUser>,
    /// Id reservations, pointing at the account's address (DynamoDB's id items).
    pub(super) owners: HashMap<UserId, Email>,
    /// Password checks counted against addresses no account has (DynamoDB's attempts items).
    pub(super) attempts: HashMap<Email, Failures>,
    /// Sessions by id (DynamoDB's session items).
    pub(super) sessions: HashMap<SessionId, Session>,
    /// Code records by purpose and address (DynamoDB's code items), as stored.
    pub(super) codes: HashMap<(CodePurpose, Email), CodeRecord>,
    /// MFA challenges by id (DynamoDB's challenge items).
    pub(super) challenges: HashMap<ChallengeId, MfaChallenge>,
    /// When each account was last written (DynamoDB's `updated_at`), by id.
    pub(super) updated: HashMap<UserId, u64>,
    /// Account events by account and sequence (DynamoDB's event items and their index).
    pub(super) events: HashMap<UserId, BTreeMap<u64, AccountEvent>>,
}

/// What every write of an account does besides its own change: the version one more, and the
/// event count as the write's events leave it.
pub(super) fn written(stored: &mut StoredUser, account: &Revision) {
    stored.version += 1;
    stored.event_count = account.events_after();
}

/// How much a failure outranks another when several changes of one set fail.
pub(super) fn rank(error: &CommitError) -> u8 {
    match error {
        CommitError::Conflict => 3,
        CommitError::EmailTaken => 2,
        CommitError::Store(_) | CommitError::Contended => 1,
    }
}

impl Data {
    /// What the state holds under `email`.
    pub(super) fn at(&self, email: &Email) -> AtAddress {
        match self.accounts.get(email) {
            Some(stored) => AtAddress::Account(User::restore(stored.clone())),
            None => AtAddress::Nobody(self.attempts.get(email).copied().unwrap_or_default()),
        }
    }

    /// The account stored under `key`, with when it was last written.
    pub(super) fn record(&self, key: &Email) -> Option<AccountRecord> {
        let stored = self.accounts.get(key)?;
        Some(AccountRecord {
            updated_at: self
                .updated
                .get(&stored.id)
                .copied()
                .unwrap_or(stored.created_at),
            user: User::restore(stored.clone()),
        })
    }

    /// Stamps `now` on every account whose version `before` did not hold (created, or written
    /// since), as DynamoDB's writes stamp `updated_at` wherever they move the version, and
    /// forgets the stamps of accounts that are gone.
    pub(super) fn stamp(&mut self, before: &Self, now: u64) {
        let read: HashMap<UserId, u64> = (before.accounts.values())
            .map(|stored| (stored.id, stored.version))
            .collect();
        for stored in self.accounts.values() {
            if read.get(&stored.id) != Some(&stored.version) {
                self.updated.insert(stored.id, now);
            }
        }
        let owners = &self.owners;
        self.updated.retain(|id, _| owners.contains_key(id));
    }

    /// The stored account `account` was read from, if it is still there at that version.
    pub(super) fn current(&mut self, account: &Revision) -> Result<&mut StoredUser, CommitError> {
        self.accounts
            .get_mut(account.key())
            .filter(|stored| stored.id == account.id() && stored.version == account.version())
            .ok_or(CommitError::Conflict)
    }

    pub(super) fn apply(&mut self, change: Change) -> Result<(), CommitError> {
        match change {
            Change::Create(user) => {
                let new = user.stored();
                if self.accounts.contains_key(&new.email) {
                    return Err(CommitError::EmailTaken);
                }
                if self.owners.contains_key(&new.id) {
                    return Err(StoreError::Unexpected(anyhow!("user id {} exists", new.id)).into());
                }
                self.owners.insert(new.id, new.email.clone());
                self.attempts.remove(&new.email);
                self.accounts.insert(new.email.clone(), new.clone());
            }
            Change::SetStatus {
                account,
                active,
                session_epoch,
            } => {
                let stored = self.current(&account)?;
                stored.active = active;
                stored.session_epoch = session_epoch;
                written(stored, &account);
            }
            Change::SetDisabled {
                account,
                disabled,
                session_epoch,
            } => {
                let stored = self.current(&account)?;
                stored.disabled = disabled;
                stored.session_epoch = session_epoch;
                written(stored, &account);
            }
            Change::ReplaceHash {
                account,
                hash,
                session_epoch,
            } => {
                let stored = self.current(&account)?;
                stored.password_hash = hash;
                stored.session_epoch = session_epoch;
                written(stored, &account);
            }
            Change::VerifyEmail { account } => {
                let stored = self.current(&account)?;
                stored.email_verified = true;
                written(stored, &account);
            }
            Change::ResetPassword {
                account,
                hash,
                session_epoch,
                clear_failures,
            } => {
                let stored = self.current(&account)?;
                stored.password_hash = hash;
                stored.session_epoch = session_epoch;
                stored.email_verified = true;
                if clear_failures {
                    stored.failures = Failures::default();
                }
                written(stored, &account);
            }
            Change::Rename {
                account,
                name,
                surname,
            } => {
                let stored = self.current(&account)?;
                stored.name = name;
                stored.surname = surname;
                written(stored, &account);
            }
            Change::SaveCodes(mut record) => {
                let key = (record.purpose(), record.address().clone());
                let stored = self.codes.get(&key).map_or(0, CodeRecord::version);
                if stored != record.version() {
                    return Err(CommitError::Conflict);
                }
                record.version += 1;
                self.codes.insert(key, record);
            }
            Change::MoveEmail {
                account,
                to,
                session_epoch,
                email_verified,
            } => {
                self.current(&account)?;
                if self.accounts.contains_key(&to) {
                    return Err(CommitError::EmailTaken);
                }
                let mut moved = self
                    .accounts
                    .remove(account.key())
                    .ok_or(CommitError::Conflict)?;
                moved.email = to.clone();
                written(&mut moved, &account);
                moved.session_epoch = session_epoch;
                moved.email_verified = email_verified;
                self.owners.insert(moved.id, to.clone());
                self.attempts.remove(&to);
                self.accounts.insert(to, moved);
            }
            Change::Delete { account } => {
                self.current(&account)?;
                self.accounts.remove(account.key());
                self.owners.remove(&account.id());
            }
            Change::Require { account } => {
                self.current(&account)?;
            }
            Change::EndSessions { key, id, epoch } => {
                let stored = self
                    .accounts
                    .get_mut(&key)
                    .filter(|stored| stored.id == id && stored.session_epoch == epoch)
                    .ok_or(CommitError::Conflict)?;
                stored.session_epoch += 1;
                stored.version += 1;
            }
            Change::StartSession(session) => {
                if self.sessions.contains_key(&session.id()) {
                    return Err(
                        StoreError::Unexpected(anyhow!("session {} exists", session.id())).into(),
                    );
                }
                self.sessions.insert(session.id(), session);
            }
            Change::RotateSession { session, from } => {
                let stored = self
                    .sessions
                    .get_mut(&session.id())
                    .filter(|stored| stored.generation == from && !stored.revoked)
                    .ok_or(CommitError::Conflict)?;
                stored.generation = session.generation;
                stored.rotated_at = session.rotated_at;
                stored.expires_at = session.expires_at;
            }
            Change::ReserveAttempt {
                key,
                owner,
                at,
                read,
                locks,
            } => {
                let stored = match owner {
                    Some(id) => {
                        let account = self.accounts.get_mut(&key);
                        &mut account
                            .filter(|stored| stored.id == id)
                            .ok_or(CommitError::Conflict)?
                            .failures
                    }
                    None if self.accounts.contains_key(&key) => return Err(CommitError::Conflict),
                    None => self.attempts.entry(key).or_default(),
                };
                let as_read = match read.current(at) {
                    0 => stored.current(at) == 0,
                    _ => *stored == read,
                };
                if !as_read {
                    return Err(CommitError::Conflict);
                }
                *stored = read.reserved(at);
                if let Some(locks) = locks {
                    // Whatever its version: the `user.locked` event's item, numbered from the
                    // count read, conflicts if another event took its sequence meanwhile.
                    (self.accounts.get_mut(locks.key()))
                        .filter(|stored| stored.id == locks.id())
                        .ok_or(CommitError::Conflict)?
                        .event_count = locks.events_after();
                }
            }
            Change::ClearFailures { key, id } => {
                self.accounts
                    .get_mut(&key)
                    .filter(|stored| stored.id == id)
                    .ok_or(CommitError::Conflict)?
                    .failures = Failures::default();
            }
            Change::DeleteSession { session } => {
                self.sessions.remove(&session);
            }
            Change::RevokeSession { session, owner } => {
                self.sessions
                    .get_mut(&session)
                    .filter(|stored| stored.user == owner)
                    .ok_or(CommitError::Conflict)?
                    .revoked = true;
            }
            change @ (Change::SetSecondFactor { .. }
            | Change::StartChallenge(_)
            | Change::CountChallengeTry { .. }
            | Change::EndChallenge { .. }) => self.apply_second_factor(change)?,
            Change::RecordEvent(event) => self.record_event(event)?,
        }
        Ok(())
    }
}
