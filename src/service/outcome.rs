//! How a use case ends when it does not succeed: one [`ServiceError`] for all of them.
//!
//! What the client did wrong is a [`Refusal`], one list for the whole service, so that an
//! outcome is named once however many use cases can reach it, and the HTTP layer maps each to
//! a status, a code and a detail in one place (`http/error.rs`). Everything else is the store
//! being unavailable (worth retrying later) or unexpected (a bug or a misconfiguration, whose
//! cause goes to the log and never to the client).

use super::{CommitError, StoreError};

/// Something the client can be told it got wrong, and can do something about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No account is registered under the address given.
    #[error("no account is registered under this e-mail address")]
    UnknownEmail,
    /// The password does not match the account's.
    #[error("the password does not match")]
    WrongPassword,
    /// Too many recent failed password checks: nothing was checked; try again after this many
    /// seconds.
    #[error("too many failed attempts: locked for {retry_after} s")]
    Locked { retry_after: u64 },
    /// The account exists and the password matches, but it has not been activated (sign-in).
    #[error("the account has not been activated")]
    NotActivated,
    /// The address already belongs to an account.
    #[error("the e-mail address is already registered")]
    EmailTaken,
    /// A refresh token that is unknown, expired, revoked or spent, or whose account is gone,
    /// inactive or signed out.
    #[error("the refresh token is refused")]
    InvalidRefreshToken,
    /// An access token that is refused, or whose account is gone or inactive.
    #[error("the access token is refused")]
    InvalidAccessToken,
    /// A one-time code that is wrong, expired, used or voided, or for an address no account
    /// has (one answer for all, so that it reveals nothing).
    #[error("the code is refused")]
    InvalidCode,
    /// The account's address has not been verified, and the service requires it.
    #[error("the e-mail address is not verified")]
    EmailNotVerified,
    /// Too many mails of this purpose to this address lately: none was sent; try again after
    /// this many seconds.
    #[error("too many mails lately: try again in {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    /// A TOTP code or recovery code that is wrong, or already used.
    #[error("the second factor does not match")]
    WrongSecondFactor,
    /// An `mfa_token` that is unknown, expired, spent or worn out, or whose account changed.
    #[error("the mfa_token is refused")]
    InvalidMfaToken,
    /// The account has a second factor and the request carries none (after the right
    /// password): the body must also carry `code` or `recovery_code`.
    #[error("a second factor is required")]
    SecondFactorRequired,
    /// The account already has TOTP: disable it before enrolling again.
    #[error("TOTP is already enabled")]
    TotpAlreadyEnabled,
    /// The account has no TOTP to act on.
    #[error("TOTP is not enabled")]
    TotpNotEnabled,
    /// No enrolment awaits confirmation.
    #[error("no TOTP enrolment awaits confirmation")]
    NoPendingTotp,
    /// The password matches, but an administrator disabled the account: nothing its owner
    /// does gets in until an administrator enables it.
    #[error("the account is disabled")]
    AccountDisabled,
    /// An admin route was called without a verified IAM principal.
    #[error("the caller is not an authorised IAM principal")]
    Forbidden,
    /// No account has the id given (admin routes).
    #[error("no account has this id")]
    UserNotFound,
    /// A session id that names no session of the caller's account: none at all, or another
    /// account's (one answer for both, so that it reveals nothing).
    #[error("no such session")]
    SessionNotFound,
}

impl Refusal {
    /// Every refusal, for catalogues and the tests that hold them complete.
    pub const ALL: [Self; 20] = [
        Self::UnknownEmail,
        Self::WrongPassword,
        Self::Locked { retry_after: 1 },
        Self::NotActivated,
        Self::EmailTaken,
        Self::InvalidRefreshToken,
        Self::InvalidAccessToken,
        Self::InvalidCode,
        Self::EmailNotVerified,
        Self::TooManyRequests { retry_after: 1 },
        Self::WrongSecondFactor,
        Self::InvalidMfaToken,
        Self::SecondFactorRequired,
        Self::TotpAlreadyEnabled,
        Self::TotpNotEnabled,
        Self::NoPendingTotp,
        Self::AccountDisabled,
        Self::Forbidden,
        Self::UserNotFound,
        Self::SessionNotFound,
    ];

    /// Whether `self` and `other` are the same refusal, whatever the details they carry.
    pub fn is(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// Why a use case did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The client's request is refused, for a reason it may be told.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The store is throttling, contended or unreachable, or the request's time ran out: the
    /// same request may well succeed shortly.
    #[error("the service is temporarily unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: a bug, a misconfiguration, corrupt data.
    #[error("the service failed")]
    Unexpected(#[source] anyhow::Error),
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(cause) => Self::Unavailable(cause),
            StoreError::Unexpected(cause) => Self::Unexpected(cause),
        }
    }
}

impl From<anyhow::Error> for ServiceError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Unexpected(cause)
    }
}

impl From<CommitError> for ServiceError {
    /// A commit that is not retried: a change set that lost a race is "not now".
    fn from(error: CommitError) -> Self {
        match error {
            CommitError::EmailTaken => Refusal::EmailTaken.into(),
            CommitError::Conflict | CommitError::Contended => {
                Self::Unavailable(anyhow::Error::new(error))
            }
            CommitError::Store(e) => e.into(),
        }
    }
}

/// How one attempt of a retried use case ended without a result (see `retrying`).
#[derive(Debug)]
pub(super) enum Attempt {
    /// What was read changed before the write: read and decide again.
    Conflict,
    /// A concurrent write got in the way without a decision: try again shortly.
    Contended,
    /// The use case's outcome: no retry changes it.
    Failed(ServiceError),
}

impl From<CommitError> for Attempt {
    fn from(error: CommitError) -> Self {
        match error {
            CommitError::Conflict => Self::Conflict,
            CommitError::Contended => Self::Contended,
            other => Self::Failed(other.into()),
        }
    }
}

impl From<ServiceError> for Attempt {
    fn from(error: ServiceError) -> Self {
        Self::Failed(error)
    }
}

impl From<Refusal> for Attempt {
    fn from(refusal: Refusal) -> Self {
        Self::Failed(refusal.into())
    }
}

impl From<StoreError> for Attempt {
    fn from(error: StoreError) -> Self {
        Self::Failed(error.into())
    }
}

impl From<anyhow::Error> for Attempt {
    fn from(cause: anyhow::Error) -> Self {
        Self::Failed(cause.into())
    }
}
