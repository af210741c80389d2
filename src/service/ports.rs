//! What the use cases need from storage, stated as a trait the adapters implement.
//!
//! The port has exactly one way to write: [`AccountStore::commit`] applies a whole change set
//! atomically or not at all. Use cases reach it only through the
//! [`UnitOfWork`](super::UnitOfWork), which buffers changes until they are committed.

use std::future::Future;

use crate::domain::{Email, User};

/// One buffered change to the store.
#[derive(Debug, Clone)]
pub enum Change {
    /// Register a new account. Fails the commit with [`CommitError::EmailTaken`] if its e-mail
    /// address already belongs to an account.
    Insert(User),
    /// Write a changed account, provided the stored copy is still at `user.version()`;
    /// otherwise the commit fails with [`CommitError::Conflict`]. The stored version moves on by
    /// one.
    Update(User),
}

/// A failure of the store itself, as opposed to a rule it enforced.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store is throttling, briefly contended or unreachable (after the client's own
    /// retries); the same request may well succeed shortly.
    #[error("the account store is temporarily unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: a bug, a misconfiguration, a corrupt item.
    #[error("the account store failed")]
    Unexpected(#[source] anyhow::Error),
}

/// Why a commit wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("the e-mail address is already registered")]
    EmailTaken,
    #[error("the account changed after it was read")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where accounts live. Implementations must be linearizable per account: reads are strongly
/// consistent and a commit either applies every change or none.
pub trait AccountStore: Send + Sync {
    /// The account registered under `email`, if any.
    fn find_by_email(
        &self,
        email: &Email,
    ) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;

    /// Applies `changes` atomically: all of them, or none and an error.
    fn commit(&self, changes: Vec<Change>) -> impl Future<Output = Result<(), CommitError>> + Send;
}
