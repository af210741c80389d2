//! What the use cases need from storage, stated as a trait the adapters implement.
//!
//! The port has exactly one way to write: [`AccountStore::commit`] applies a whole change set
//! atomically or not at all. Each [`Change`] names exactly what it writes, so an adapter cannot
//! quietly write more or less than another: a new kind of change fails to compile until every
//! adapter handles it, and `tests/contract` holds every adapter to the same behaviour. Use
//! cases reach the port only through the [`UnitOfWork`](super::UnitOfWork), which buffers
//! changes until they are committed.

use std::collections::HashSet;
use std::future::Future;

use anyhow::anyhow;

use crate::domain::{Email, PasswordHash, Revision, User, UserId};

/// One buffered change to the store.
///
/// Every change but [`Change::Create`] is conditional on the account still being stored under
/// `account.key()` with `account.id()` at `account.version()`; otherwise the commit fails with
/// [`CommitError::Conflict`]. Each moves the stored version on by one.
#[derive(Debug, Clone)]
pub enum Change {
    /// Registers a new account, as it is. Fails the commit with [`CommitError::EmailTaken`] if
    /// its address already belongs to an account.
    Create(User),
    /// Sets whether the account is active, and nothing else.
    SetStatus { account: Revision, active: bool },
    /// Replaces the password hash, and nothing else.
    ReplaceHash {
        account: Revision,
        hash: PasswordHash,
    },
    /// Moves the account from `account.key()` to `to`: the old address is free afterwards, the
    /// account (id, names, hash, status, creation time) is unchanged. Fails with
    /// [`CommitError::EmailTaken`] if `to` belongs to an account.
    MoveEmail { account: Revision, to: Email },
    /// Removes the account and its id reservation.
    Delete { account: Revision },
}

/// A record a change writes: an account (by the address it is stored under), or an id
/// reservation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Record {
    Account(Email),
    Id(UserId),
}

impl Change {
    /// The records this change writes.
    pub fn records(&self) -> Vec<Record> {
        match self {
            Self::Create(user) => {
                vec![Record::Account(user.email().clone()), Record::Id(user.id())]
            }
            Self::SetStatus { account, .. } | Self::ReplaceHash { account, .. } => {
                vec![Record::Account(account.key().clone())]
            }
            Self::MoveEmail { account, to } => vec![
                Record::Account(account.key().clone()),
                Record::Account(to.clone()),
                Record::Id(account.id()),
            ],
            Self::Delete { account } => {
                vec![
                    Record::Account(account.key().clone()),
                    Record::Id(account.id()),
                ]
            }
        }
    }
}

/// Refuses a change set that writes one record twice, before an adapter sends anything: which
/// write would win is undefined (DynamoDB refuses such a transaction outright; DynamoDB Local
/// answers something else), so no adapter may accept one.
pub fn each_record_once(changes: &[Change]) -> Result<(), CommitError> {
    let mut seen = HashSet::new();
    if changes
        .iter()
        .flat_map(Change::records)
        .all(|record| seen.insert(record))
    {
        Ok(())
    } else {
        Err(StoreError::Unexpected(anyhow!("a change set writes one record twice")).into())
    }
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

/// Why a commit wrote nothing. When several reasons apply, `Conflict` wins over `EmailTaken`
/// (a decision based on a stale read must be re-taken before anything else counts).
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("the e-mail address is already registered")]
    EmailTaken,
    #[error("the account changed after it was read")]
    Conflict,
    /// Another write touched the same items at the same moment, and the store refused this one
    /// without evaluating its conditions (DynamoDB's `TransactionConflict`). Trying again
    /// shortly gives the real answer.
    #[error("a concurrent write to the same items got in the way")]
    Contended,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where accounts live. Implementations must be linearizable per account: reads are strongly
/// consistent and a commit either applies every change or none. A change set may touch each
/// item once (two changes to one account in one commit are refused as unexpected).
pub trait AccountStore: Send + Sync {
    /// The account registered under `email`, if any.
    fn find_by_email(
        &self,
        email: &Email,
    ) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;

    /// Applies `changes` atomically: all of them, or none and an error.
    fn commit(&self, changes: Vec<Change>) -> impl Future<Output = Result<(), CommitError>> + Send;
}
