//! The unit of work: reads pass through, writes wait for `commit`.

use super::ports::{AccountStore, Change, CommitError, StoreError};
use crate::domain::{Email, User};

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

    /// Buffers the registration of a new account.
    pub fn create(&mut self, user: User) {
        self.changes.push(Change::Create(user));
    }

    /// Buffers the account's current status (after `activate` or `deactivate`).
    pub fn save_status(&mut self, user: &User) {
        self.changes.push(Change::SetStatus {
            account: user.revision().clone(),
            active: user.is_active(),
        });
    }

    /// Buffers the account's current password hash.
    pub fn save_password_hash(&mut self, user: &User) {
        self.changes.push(Change::ReplaceHash {
            account: user.revision().clone(),
            hash: user.password_hash().clone(),
        });
    }

    /// Buffers the move of the account to its current address (after `change_email`).
    pub fn save_email(&mut self, user: &User) {
        self.changes.push(Change::MoveEmail {
            account: user.revision().clone(),
            to: user.email().clone(),
        });
    }

    /// Buffers the removal of the account.
    pub fn delete(&mut self, user: &User) {
        self.changes.push(Change::Delete {
            account: user.revision().clone(),
        });
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
