//! An [`AccountStore`] in a `HashMap`, with the same semantics as the DynamoDB adapter
//! (`tests/contract` runs one suite against both).
//!
//! It keeps the same three kinds of record as the table: accounts by the address they are
//! stored under, id reservations, and sessions. A commit is checked against a copy of the state and swapped in
//! only if every change passes, which gives the all-or-nothing behaviour of
//! `TransactWriteItems`; like DynamoDB, every condition of the set is evaluated and a stale
//! version outranks a taken address. Tests can queue faults to make the next read or the next
//! commit fail, and count the commits that wrote something.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::anyhow;

use crate::domain::{
    Email, Failures, MAX_LOCK_SECONDS, Revision, Session, SessionId, StoredUser, User, UserId,
};
use crate::service::{AccountStore, Change, CommitError, StoreError, each_record_once};

/// A failure to inject into a call to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Fails like a throttled or unreachable database.
    Unavailable,
    /// Fails like a bug or a misconfiguration.
    Unexpected,
    /// A commit fails like a DynamoDB transaction cancelled by a concurrent one
    /// (`TransactionConflict`); a read fails as `Unavailable`.
    Contended,
}

impl Fault {
    fn store_error(self) -> StoreError {
        match self {
            Self::Unavailable | Self::Contended => {
                StoreError::Unavailable(anyhow!("injected: store unavailable"))
            }
            Self::Unexpected => StoreError::Unexpected(anyhow!("injected: store failure")),
        }
    }

    fn commit_error(self) -> CommitError {
        match self {
            Self::Contended => CommitError::Contended,
            other => other.store_error().into(),
        }
    }
}

/// Cheap to clone; clones share the same data, like clients of one table.
#[derive(Debug, Clone, Default)]
pub struct InMemoryStore {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Clone, Default)]
struct Data {
    /// Accounts by the address they are stored under (DynamoDB's e-mail items).
    accounts: HashMap<Email, StoredUser>,
    /// Id reservations, pointing at the account's address (DynamoDB's id items).
    owners: HashMap<UserId, Email>,
    /// Sessions by id (DynamoDB's session items).
    sessions: HashMap<SessionId, Session>,
}

#[derive(Debug, Default)]
struct State {
    data: Data,
    commits: usize,
    read_faults: VecDeque<Fault>,
    commit_faults: VecDeque<Fault>,
}

impl InMemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the next read fail with `fault`. Queued faults are used up in order.
    pub fn fail_next_read(&self, fault: Fault) {
        self.lock().read_faults.push_back(fault);
    }

    /// Makes the next commit fail with `fault`, writing nothing.
    pub fn fail_next_commit(&self, fault: Fault) {
        self.lock().commit_faults.push_back(fault);
    }

    /// How many commits have written something.
    pub fn commits(&self) -> usize {
        self.lock().commits
    }

    /// Every stored account, in no particular order.
    pub fn accounts(&self) -> Vec<User> {
        let data = &self.lock().data;
        data.accounts.values().cloned().map(User::restore).collect()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take every later assertion down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How much a failure outranks another when several changes of one set fail.
fn rank(error: &CommitError) -> u8 {
    match error {
        CommitError::Conflict => 3,
        CommitError::EmailTaken => 2,
        CommitError::Store(_) | CommitError::Contended => 1,
    }
}

impl Data {
    /// The stored account `account` was read from, if it is still there at that version.
    fn current(&mut self, account: &Revision) -> Result<&mut StoredUser, CommitError> {
        self.accounts
            .get_mut(account.key())
            .filter(|stored| stored.id == account.id() && stored.version == account.version())
            .ok_or(CommitError::Conflict)
    }

    fn apply(&mut self, change: Change) -> Result<(), CommitError> {
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
                stored.version += 1;
            }
            Change::ReplaceHash {
                account,
                hash,
                session_epoch,
            } => {
                let stored = self.current(&account)?;
                stored.password_hash = hash;
                stored.session_epoch = session_epoch;
                stored.version += 1;
            }
            Change::MoveEmail {
                account,
                to,
                session_epoch,
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
                moved.version += 1;
                moved.session_epoch = session_epoch;
                self.owners.insert(moved.id, to.clone());
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
            Change::EndSessions { key, id } => {
                let stored = self
                    .accounts
                    .get_mut(&key)
                    .filter(|stored| stored.id == id)
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
                    .filter(|stored| stored.current == from && !stored.revoked)
                    .ok_or(CommitError::Conflict)?;
                stored.current = session.current;
                stored.previous = session.previous;
                stored.rotated_at = session.rotated_at;
                stored.expires_at = session.expires_at;
            }
            Change::RecordFailure {
                key,
                id,
                at,
                restart,
            } => {
                let stored = self
                    .accounts
                    .get_mut(&key)
                    .filter(|stored| stored.id == id)
                    .ok_or(CommitError::Conflict)?;
                let cutoff = at.saturating_sub(MAX_LOCK_SECONDS);
                let stale = stored.failures.count == 0 || stored.failures.last_at <= cutoff;
                if stale != restart {
                    return Err(CommitError::Conflict);
                }
                stored.failures.count = if restart {
                    1
                } else {
                    stored.failures.count + 1
                };
                stored.failures.last_at = at;
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
            Change::RevokeSession { session } => {
                self.sessions
                    .get_mut(&session)
                    .ok_or(CommitError::Conflict)?
                    .revoked = true;
            }
        }
        Ok(())
    }
}

impl AccountStore for InMemoryStore {
    async fn find_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        Ok(state.data.accounts.get(email).cloned().map(User::restore))
    }

    async fn find_session(&self, id: SessionId) -> Result<Option<Session>, StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        Ok(state.data.sessions.get(&id).cloned())
    }

    async fn sessions_of(&self, user: UserId) -> Result<Vec<SessionId>, StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        Ok(state
            .data
            .sessions
            .values()
            .filter(|session| session.user() == user)
            .map(Session::id)
            .collect())
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        let mut state = self.lock();
        if let Some(fault) = state.commit_faults.pop_front() {
            return Err(fault.commit_error());
        }
        each_record_once(&changes)?;
        let mut next = state.data.clone();
        let mut failure: Option<CommitError> = None;
        for change in changes {
            if let Err(error) = next.apply(change)
                && failure
                    .as_ref()
                    .is_none_or(|worst| rank(&error) > rank(worst))
            {
                failure = Some(error);
            }
        }
        if let Some(error) = failure {
            return Err(error);
        }
        state.data = next;
        state.commits += 1;
        Ok(())
    }
}
