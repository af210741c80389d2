//! The change set a commit applies: each [`Change`] names exactly what it writes, so an
//! adapter cannot quietly write more or less than another (a new kind of change fails to
//! compile until every adapter handles it), and the [`Record`]s it writes, of which a change set
//! may write each once.

use std::collections::HashSet;

use anyhow::anyhow;

use super::{CommitError, StoreError};
use crate::domain::{
    AccountEvent, ChallengeId, CodePurpose, CodeRecord, Email, Failures, MfaChallenge,
    PasswordHash, PersonName, Revision, SecondFactor, Session, SessionId, User, UserId,
};

/// One buffered change to the store.
///
/// Every change carrying an `account: Revision` is conditional on the account still being
/// stored under `account.key()` with `account.id()` at `account.version()`; otherwise the
/// commit fails with [`CommitError::Conflict`]. Each change that writes an account moves its
/// stored version on by one, and where `account.publishes()`, sets its event count to
/// `account.events_after()` (the events are [`Change::RecordEvent`]s of the same commit).
/// Session changes fail with `Conflict` when their condition does
/// not hold.
#[derive(Debug, Clone)]
pub enum Change {
    /// Registers a new account, as it is (over any count of checks against its address). Fails
    /// the commit with [`CommitError::EmailTaken`] if its address already belongs to an account.
    Create(User),
    /// Sets whether the account is active and its session epoch, and nothing else.
    SetStatus {
        account: Revision,
        active: bool,
        session_epoch: u64,
    },
    /// Sets whether an administrator disabled the account and its session epoch, and nothing
    /// else.
    SetDisabled {
        account: Revision,
        disabled: bool,
        session_epoch: u64,
    },
    /// Replaces the password hash and sets the session epoch, and nothing else.
    ReplaceHash {
        account: Revision,
        hash: PasswordHash,
        session_epoch: u64,
    },
    /// Moves the account from `account.key()` to `to` and sets its session epoch and whether
    /// its address is verified: the old address is free afterwards, the account (id, names,
    /// hash, status, creation time) is otherwise unchanged. Fails with
    /// [`CommitError::EmailTaken`] if `to` belongs to an account.
    MoveEmail {
        account: Revision,
        to: Email,
        session_epoch: u64,
        email_verified: bool,
    },
    /// Marks the account's address verified, and nothing else.
    VerifyEmail { account: Revision },
    /// What a password reset writes: the hash, the session epoch, the address verified and,
    /// with `clear_failures`, the failed password checks cleared, and nothing else.
    ResetPassword {
        account: Revision,
        hash: PasswordHash,
        session_epoch: u64,
        clear_failures: bool,
    },
    /// Sets the account's names, and nothing else.
    Rename {
        account: Revision,
        name: PersonName,
        surname: PersonName,
    },
    /// Writes the code record of `(record.purpose(), record.address())` whole (its sends, its
    /// wrong codes, its live code) at `record.version() + 1`, provided the stored record is
    /// still at `record.version()` (0: none is stored). Conflict otherwise. It never touches
    /// the account stored under the same address.
    SaveCodes(CodeRecord),
    /// Removes the account and its id reservation.
    Delete { account: Revision },
    /// Writes nothing; only requires the account to be as read (a refresh must not outlive a
    /// concurrent deactivation or sign-out everywhere).
    Require { account: Revision },
    /// Moves the session epoch of account `id`, stored under `key`, on by one, whatever its
    /// version, provided it is still `epoch`: every session started so far ends. Conflict if
    /// the account is gone or already in another epoch (those sessions had ended).
    EndSessions { key: Email, id: UserId, epoch: u64 },
    /// Stores a new session. Its id is fresh, so it cannot collide; should it, the commit fails
    /// as unexpected.
    StartSession(Session),
    /// Stores `session` as rotated, provided the stored session is still at generation `from`
    /// and not revoked (of two refreshes with one token, one applies).
    RotateSession { session: Session, from: u64 },
    /// Revokes the session: none of its tokens refreshes again. Conflict if it does not exist
    /// or is not account `owner`'s (so that no race can make one account revoke another's).
    RevokeSession { session: SessionId, owner: UserId },
    /// Removes the session's record, whether or not it exists.
    DeleteSession { session: SessionId },
    /// Counts one more password check against the address `key`, begun at `at`, before it
    /// runs: of account `owner`, whatever its version, or with no owner, of an address no
    /// account has (the count is kept there, without making an account, until its run is over).
    /// Provided the count is still as `read` (a `read` with no run standing at `at`: provided
    /// there is still none), it becomes `read.reserved(at)`. Conflict if the count is not as
    /// read, or the address's owner is not `owner`. With `locks` (the count locks the account,
    /// and its `user.locked` event is written beside it), it also sets the account's event
    /// count to `locks.events_after()`; not its version, which stays whatever it is.
    ReserveAttempt {
        key: Email,
        owner: Option<UserId>,
        at: u64,
        read: Failures,
        locks: Option<Revision>,
    },
    /// Clears the failed password checks of account `id` under `key`, whatever its version.
    ClearFailures { key: Email, id: UserId },
    /// Writes the account's second factor whole, whether it is active and its session epoch,
    /// and does to its failed checks what `lockout` says; nothing else.
    SetSecondFactor {
        account: Revision,
        factor: SecondFactor,
        active: bool,
        session_epoch: u64,
        lockout: Lockout,
    },
    /// Stores a new MFA challenge. Its id is a fresh token's digest, so it cannot collide;
    /// should it, the commit fails as unexpected.
    StartChallenge(MfaChallenge),
    /// Counts one more wrong code against challenge `id`, provided it still has `tries`.
    /// Conflict otherwise, or if it is gone.
    CountChallengeTry { id: ChallengeId, tries: u32 },
    /// Removes challenge `id` (a right code spends it), provided it still has `tries`.
    /// Conflict otherwise, or if it is gone.
    EndChallenge { id: ChallengeId, tries: u32 },
    /// Stores an account event (the outbox), provided none is stored with its account and
    /// sequence: Conflict otherwise (its sequence was taken from a stale read).
    RecordEvent(AccountEvent),
}

/// What a second-factor write does to the account's failed checks (the lockout's count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lockout {
    /// Leaves them: no second factor was checked.
    Keep,
    /// Clears them: a second factor was passed, and this request's try was counted before it
    /// was compared (with the password's check).
    Clear,
    /// Clears them, provided they are still exactly as `read` (Conflict otherwise): a second
    /// factor was passed on the strength of a lock check against `read`, and nothing was
    /// counted first, so a count written since (another request's wrong code, which may have
    /// locked the account) must send this one back to read again.
    ClearIfStill(Failures),
}

/// A record a change writes (or, for `Require`, checks): an account (by the address it is
/// stored under), an id reservation, or a session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Record {
    Account(Email),
    Id(UserId),
    Session(SessionId),
    /// The code record of an address and purpose.
    Codes(CodePurpose, Email),
    /// An MFA challenge.
    Challenge(ChallengeId),
    /// An account event, by account and sequence.
    Event(UserId, u64),
}

impl Change {
    /// The records this change writes.
    pub fn records(&self) -> Vec<Record> {
        match self {
            Self::Create(user) => {
                vec![Record::Account(user.email().clone()), Record::Id(user.id())]
            }
            Self::SetStatus { account, .. }
            | Self::SetDisabled { account, .. }
            | Self::ReplaceHash { account, .. }
            | Self::VerifyEmail { account }
            | Self::ResetPassword { account, .. }
            | Self::Rename { account, .. }
            | Self::Require { account }
            | Self::SetSecondFactor { account, .. } => vec![Record::Account(account.key().clone())],
            Self::StartChallenge(challenge) => vec![Record::Challenge(challenge.id())],
            Self::RecordEvent(event) => vec![Record::Event(event.user, event.sequence)],
            Self::CountChallengeTry { id, .. } | Self::EndChallenge { id, .. } => {
                vec![Record::Challenge(*id)]
            }
            Self::SaveCodes(record) => {
                vec![Record::Codes(record.purpose(), record.address().clone())]
            }
            Self::EndSessions { key, .. }
            | Self::ReserveAttempt { key, .. }
            | Self::ClearFailures { key, .. } => vec![Record::Account(key.clone())],
            Self::StartSession(session) | Self::RotateSession { session, .. } => {
                vec![Record::Session(session.id())]
            }
            Self::RevokeSession { session, .. } | Self::DeleteSession { session } => {
                vec![Record::Session(*session)]
            }
            Self::MoveEmail { account, to, .. } => vec![
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

/// The most records one change set may write: what one `TransactWriteItems` holds.
pub const RECORDS_PER_COMMIT: usize = 100;

/// Refuses, before an adapter sends anything, a change set that writes one record twice (which
/// write would win is undefined: DynamoDB refuses such a transaction outright, DynamoDB Local
/// answers something else) or more than [`RECORDS_PER_COMMIT`] records (DynamoDB refuses
/// those too), so that no adapter accepts what another would refuse.
pub fn writable_at_once(changes: &[Change]) -> Result<(), CommitError> {
    let mut seen = HashSet::new();
    if !(changes.iter().flat_map(Change::records)).all(|record| seen.insert(record)) {
        return Err(StoreError::Unexpected(anyhow!("a change set writes one record twice")).into());
    }
    if seen.len() > RECORDS_PER_COMMIT {
        return Err(StoreError::Unexpected(anyhow!(
            "a change set writes {} records, more than one transaction's {RECORDS_PER_COMMIT}",
            seen.len()
        ))
        .into());
    }
    Ok(())
}
