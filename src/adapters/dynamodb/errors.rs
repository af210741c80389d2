//! Translating SDK failures into the port's errors, where storage knowledge belongs.
//!
//! The SDK has already retried throttling and transient faults with backoff by the time an
//! error reaches us; whatever still looks transient becomes [`StoreError::Unavailable`] (503,
//! "try again"), everything else [`StoreError::Unexpected`] (500).

use std::error::Error;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::CancellationReason;

use crate::service::{CommitError, StoreError};

/// Error codes DynamoDB uses for load and contention, which retrying later can fix.
const TRANSIENT_CODES: [&str; 6] = [
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TransactionConflictException",
    "TransactionInProgressException",
    "InternalServerError",
];

/// Cancellation reason codes of a transaction that retrying later (after the SDK's own
/// retries) can fix. `TransactionConflict` is told apart: the caller retries it at once.
const TRANSIENT_REASONS: [&str; 2] = ["ThrottlingError", "ProvisionedThroughputExceeded"];

/// Classifies a failed call; `doing` says what we were doing, for the log.
pub(super) fn store_error<E>(error: SdkError<E, HttpResponse>, doing: &'static str) -> StoreError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
{
    let transient = match &error {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(context) => {
            context.raw().status().is_server_error()
                || context
                    .err()
                    .code()
                    .is_some_and(|code| TRANSIENT_CODES.contains(&code))
        }
        _ => false,
    };
    let error = anyhow::Error::new(error).context(doing);
    if transient {
        StoreError::Unavailable(error)
    } else {
        StoreError::Unexpected(error)
    }
}

/// What each item of a transaction stands for, in `TransactItems` order, so that a
/// cancellation reason can be traced back to the rule that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// A new e-mail item: failing its condition means the address is taken.
    NewEmail,
    /// An item keyed by a fresh random id (an account's id item, a session): failing means a
    /// UUID collision, which is a bug.
    NewUserId,
    /// A write conditioned on the account read: failing means it changed since.
    Versioned,
    /// An unconditional write.
    Plain,
}

impl Role {
    /// What a failed condition on a write of this role means; `None` when it means a bug.
    pub(super) fn failure(self) -> Option<CommitError> {
        match self {
            Self::Versioned => Some(CommitError::Conflict),
            Self::NewEmail => Some(CommitError::EmailTaken),
            Self::NewUserId | Self::Plain => None,
        }
    }
}

/// Interprets the reasons of a cancelled transaction; `None` when they explain nothing we know.
/// A stale read outranks a taken address, as in the port's contract.
pub(super) fn cancellation(roles: &[Role], reasons: &[CancellationReason]) -> Option<CommitError> {
    let failed = |role: Role| {
        roles
            .iter()
            .zip(reasons)
            .any(|(r, reason)| *r == role && reason.code() == Some("ConditionalCheckFailed"))
    };
    if failed(Role::Versioned) {
        return Some(CommitError::Conflict);
    }
    if failed(Role::NewEmail) {
        return Some(CommitError::EmailTaken);
    }
    let code = |wanted: &[&str]| {
        reasons
            .iter()
            .filter_map(CancellationReason::code)
            .find(|code| wanted.contains(code))
    };
    if code(&["TransactionConflict"]).is_some() {
        return Some(CommitError::Contended);
    }
    code(&TRANSIENT_REASONS).map(|code| {
        StoreError::Unavailable(anyhow::anyhow!("transaction cancelled: {code}")).into()
    })
}

#[cfg(test)]
#[path = "errors_tests.rs"]
mod tests;
