//! The unit of work: reads pass through, writes wait for `commit`.

use super::ports::{AccountStore, Change, CommitError, StoreError};
use crate::domain::{Email, User};

/// One business transaction against an [`AccountStore`].
///
/// Writes are only buffered; [`commit`](Self::commit) hands them to the store as one atomic
/// change set. Dropping a unit of work without committing (an early `?` return, a panic) is a
/// rollback: nothing was sent, so nothing needs undoing.
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

    /// Buffers the registration of a new account.
    pub fn add(&mut self, user: User) {
        self.changes.push(Change::Insert(user));
    }

    /// Buffers the changed state of an account read through this unit of work.
    pub fn update(&mut self, user: User) {
        self.changes.push(Change::Update(user));
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
