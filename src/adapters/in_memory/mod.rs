//! An [`AccountStore`] in a `HashMap`, with the same semantics as the DynamoDB adapter
//! (`tests/contract` runs one suite against both).
//!
//! It keeps the same three kinds of record as the table: accounts by the address they are
//! stored under, id reservations, and sessions. A commit is checked against a copy of the state and swapped in
//! only if every change passes, which gives the all-or-nothing behaviour of
//! `TransactWriteItems`; like DynamoDB, every condition of the set is evaluated and a stale
//! version outranks a taken address. Tests can queue faults to make the next read or the next
//! commit fail, and count the commits that wrote something. [`Mailbox`] is the e-mail
//! channel's twin: it keeps every mail, and fails sends on demand.

mod data;
mod events;
mod mailbox;
mod second_factor;

pub use self::mailbox::Mailbox;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::anyhow;

use self::data::{Data, rank};
use crate::domain::{
    AccountCursor, AccountEvent, ChallengeId, CodePurpose, CodeRecord, Email, EmailPrefix,
    MfaChallenge, Session, SessionId, User, UserId,
};
use crate::service::{
    AccountPage, AccountRecord, AccountStore, AtAddress, Change, Clock, CommitError, StoreError,
    writable_at_once,
};

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
#[derive(Debug, Clone)]
pub struct InMemoryStore {
    state: Arc<Mutex<State>>,
    /// What `updated_at` records, like the DynamoDB store's: the system's unless told.
    clock: Clock,
}

impl Default for InMemoryStore {
    fn default() -> Self {
        Self {
            state: Arc::default(),
            clock: Clock::system(),
        }
    }
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

    /// The same store, stamping its writes with `clock` (the one the use cases read).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
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

    /// A read: fails if a fault is queued, else hands over the state.
    fn read(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        let mut state = self.lock();
        match state.read_faults.pop_front() {
            Some(fault) => Err(fault.store_error()),
            None => Ok(state),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take every later assertion down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl AccountStore for InMemoryStore {
    async fn find_at(&self, email: &Email) -> Result<AtAddress, StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        Ok(state.data.at(email))
    }

    async fn find_codes(
        &self,
        email: &Email,
        purpose: CodePurpose,
    ) -> Result<(AtAddress, CodeRecord), StoreError> {
        // One lock for both: DynamoDB reads the two items as one snapshot too.
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        let data = &state.data;
        let record = data.codes.get(&(purpose, email.clone())).cloned();
        Ok((
            data.at(email),
            record.unwrap_or_else(|| CodeRecord::empty(purpose, email.clone())),
        ))
    }

    async fn find_challenge(
        &self,
        email: &Email,
        id: ChallengeId,
    ) -> Result<(AtAddress, Option<MfaChallenge>), StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        let data = &state.data;
        Ok((data.at(email), data.challenges.get(&id).cloned()))
    }

    async fn find_session(&self, id: SessionId) -> Result<Option<Session>, StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        Ok(state.data.sessions.get(&id).cloned())
    }

    async fn events_of(
        &self,
        user: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AccountEvent>, StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        Ok(state.data.events_of(user, before, limit))
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

    async fn find_by_id(&self, id: UserId) -> Result<Option<AccountRecord>, StoreError> {
        let state = self.read()?;
        let data = &state.data;
        Ok(data.owners.get(&id).and_then(|key| data.record(key)))
    }

    async fn accounts(
        &self,
        prefix: &EmailPrefix,
        after: Option<&AccountCursor>,
        limit: usize,
    ) -> Result<AccountPage, StoreError> {
        let state = self.read()?;
        let data = &state.data;
        // In address order: stable, and a cursor (an address) says where to go on from, even
        // if its account is gone since.
        let mut keys: Vec<&Email> = (data.accounts.keys())
            .filter(|key| prefix.matches(key))
            .filter(|key| after.is_none_or(|cursor| key.as_ref() > cursor.key().as_ref()))
            .collect();
        keys.sort_by(|a, b| a.as_ref().cmp(b.as_ref()));
        let more = keys.len() > limit;
        let accounts: Vec<AccountRecord> = (keys.into_iter().take(limit))
            .filter_map(|key| data.record(key))
            .collect();
        let next = (more)
            .then(|| accounts.last().map(|last| AccountCursor::after(&last.user)))
            .flatten();
        Ok(AccountPage { accounts, next })
    }

    async fn find_sessions_of(&self, user: UserId) -> Result<Vec<Session>, StoreError> {
        let mut state = self.lock();
        if let Some(fault) = state.read_faults.pop_front() {
            return Err(fault.store_error());
        }
        Ok(state
            .data
            .sessions
            .values()
            .filter(|session| session.user() == user)
            .cloned()
            .collect())
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        let mut state = self.lock();
        if let Some(fault) = state.commit_faults.pop_front() {
            return Err(fault.commit_error());
        }
        writable_at_once(&changes)?;
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
        next.stamp(&state.data, self.clock.now());
        state.data = next;
        state.commits += 1;
        Ok(())
    }
}
