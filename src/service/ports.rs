//! What the use cases need from storage, stated as a trait the adapters implement.
//!
//! The port has exactly one way to write: [`AccountStore::commit`] applies a whole change set
//! ([`Change`]s, each naming exactly what it writes) atomically or not at all; `tests/contract`
//! holds every adapter to the same behaviour. Use cases reach the port only through the
//! [`UnitOfWork`](super::UnitOfWork), which buffers changes until they are committed.

use std::future::Future;

use super::Change;
use crate::domain::{
    AccountCursor, AccountEvent, ChallengeId, CodePurpose, CodeRecord, Email, EmailPrefix,
    Failures, MfaChallenge, Session, SessionId, User, UserId,
};

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

/// What an address holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // one per request, moved once: boxing buys nothing
pub enum AtAddress {
    /// The account registered under it.
    Account(User),
    /// No account; the password checks counted against the address (none if never tried).
    Nobody(Failures),
}

impl AtAddress {
    /// The account, if there is one.
    pub fn account(self) -> Option<User> {
        match self {
            Self::Account(user) => Some(user),
            Self::Nobody(_) => None,
        }
    }
}

/// An account as the store holds it, with what only the store knows of it: when it was last
/// written (Unix seconds; the store stamps each write that moves the version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub user: User,
    pub updated_at: u64,
}

/// One page of a listing of accounts: at most the size asked for, and where the next page
/// starts (`None`: this was the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPage {
    pub accounts: Vec<AccountRecord>,
    pub next: Option<AccountCursor>,
}

/// Where accounts and their sessions live. Implementations must be linearizable per account: reads are strongly
/// consistent and a commit either applies every change or none. A change set may touch each
/// item once (two changes to one account in one commit are refused as unexpected).
pub trait AccountStore: Send + Sync {
    /// What the store holds under `email`: an account, or the password checks counted against
    /// the address while no account has it (see [`Change::ReserveAttempt`]).
    fn find_at(&self, email: &Email) -> impl Future<Output = Result<AtAddress, StoreError>> + Send;

    /// The account registered under `email`, if any.
    fn find_by_email(
        &self,
        email: &Email,
    ) -> impl Future<Output = Result<Option<User>, StoreError>> + Send {
        async move { Ok(self.find_at(email).await?.account()) }
    }

    /// What the store holds under `email` and the code record of `purpose` there (an empty
    /// one at version 0 if none is stored), read together: one strongly consistent read.
    fn find_codes(
        &self,
        email: &Email,
        purpose: CodePurpose,
    ) -> impl Future<Output = Result<(AtAddress, CodeRecord), StoreError>> + Send;

    /// What the store holds under `email` and the MFA challenge `id`, if it is stored (expired
    /// or worn out ones included), read together: one strongly consistent read.
    fn find_challenge(
        &self,
        email: &Email,
        id: ChallengeId,
    ) -> impl Future<Output = Result<(AtAddress, Option<MfaChallenge>), StoreError>> + Send;

    /// The session `id`, if it was ever stored (revoked and expired ones included).
    fn find_session(
        &self,
        id: SessionId,
    ) -> impl Future<Output = Result<Option<Session>, StoreError>> + Send;

    /// The sessions of account `user`. Eventually consistent (DynamoDB reads them from an
    /// index): a session started a moment ago may be missing.
    fn sessions_of(
        &self,
        user: UserId,
    ) -> impl Future<Output = Result<Vec<SessionId>, StoreError>> + Send;

    /// The account with id `id`, if any (found through its id reservation).
    fn find_by_id(
        &self,
        id: UserId,
    ) -> impl Future<Output = Result<Option<AccountRecord>, StoreError>> + Send;

    /// A page of the accounts whose address starts with `prefix`, after `after` (from the
    /// first without one), of at most `limit` (at least 1) accounts. The order is the store's
    /// own, but stable: pages read one after another, each from the last one's cursor, hold
    /// every account that existed throughout exactly once. A page may hold fewer than `limit`
    /// accounts and still have a next one (a store may stop reading early); only a page
    /// without a cursor is the last. Eventually consistent.
    fn accounts(
        &self,
        prefix: &EmailPrefix,
        after: Option<&AccountCursor>,
        limit: usize,
    ) -> impl Future<Output = Result<AccountPage, StoreError>> + Send;

    /// Up to `limit` events of account `user` (a deleted account's too, until they expire),
    /// newest first: those before sequence `before` if given. Eventually consistent (DynamoDB
    /// reads them from an index): an event written a moment ago may be missing.
    fn events_of(
        &self,
        user: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<AccountEvent>, StoreError>> + Send;

    /// The sessions of account `user`, whole (revoked and expired ones included), in no
    /// particular order, read without one request per session. Eventually consistent, like
    /// [`sessions_of`](Self::sessions_of): a session started a moment ago may be missing, and
    /// one just revoked or rotated may read as it was.
    fn find_sessions_of(
        &self,
        user: UserId,
    ) -> impl Future<Output = Result<Vec<Session>, StoreError>> + Send;

    /// Applies `changes` atomically: all of them, or none and an error.
    fn commit(&self, changes: Vec<Change>) -> impl Future<Output = Result<(), CommitError>> + Send;
}
