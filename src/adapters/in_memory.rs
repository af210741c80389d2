//! An [`AccountStore`] in a `HashMap`, with the same semantics as the DynamoDB adapter.
//!
//! A commit is checked against a copy of the state and swapped in only if every change passes,
//! which gives the all-or-nothing behaviour of `TransactWriteItems`. Tests can queue faults to
//! make the next read or the next commit fail, and count the commits that wrote something.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::anyhow;

use crate::domain::{Email, StoredUser, User, UserId};
use crate::service::{AccountStore, Change, CommitError, StoreError};

/// A failure to inject into a call to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Fails like a throttled or unreachable database.
    Unavailable,
    /// Fails like a bug or a misconfiguration.
    Unexpected,
}

impl Fault {
    fn into_error(self) -> StoreError {
        match self {
            Self::Unavailable => StoreError::Unavailable(anyhow!("injected: store unavailable")),
            Self::Unexpected => StoreError::Unexpected(anyhow!("injected: store failure")),
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
    accounts: HashMap<Email, User>,
    owners: HashMap<UserId, Email>,
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
        self.lock().data.accounts.values().cloned().collect()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take every later assertion down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn fail_if_queued(faults: &mut VecDeque<Fault>) -> Result<(), StoreError> {
    faults
        .pop_front()
        .map_or(Ok(()), |fault| Err(fault.into_error()))
}

impl Data {
    fn apply(&mut self, change: Change) -> Result<(), CommitError> {
        match change {
            Change::Insert(user) => {
                if self.accounts.contains_key(user.email()) {
                    return Err(CommitError::EmailTaken);
                }
                if self.owners.contains_key(&user.id()) {
                    return Err(
                        StoreError::Unexpected(anyhow!("user id {} exists", user.id())).into(),
                    );
                }
                self.owners.insert(user.id(), user.email().clone());
                self.accounts.insert(user.email().clone(), user);
            }
            Change::Update(user) => {
                let current = self.accounts.get(user.email());
                if current.is_none_or(|c| c.id() != user.id() || c.version() != user.version()) {
                    return Err(CommitError::Conflict);
                }
                let stored = user.into_stored();
                let next = User::restore(StoredUser {
                    version: stored.version + 1,
                    ..stored
                });
                self.accounts.insert(next.email().clone(), next);
            }
        }
        Ok(())
    }
}

impl AccountStore for InMemoryStore {
    async fn find_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        let mut state = self.lock();
        fail_if_queued(&mut state.read_faults)?;
        Ok(state.data.accounts.get(email).cloned())
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        let mut state = self.lock();
        fail_if_queued(&mut state.commit_faults)?;
        let mut next = state.data.clone();
        for change in changes {
            next.apply(change)?;
        }
        state.data = next;
        state.commits += 1;
        Ok(())
    }
}
