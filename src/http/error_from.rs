//! How each use case's outcome becomes an [`ApiError`]: one `From` per use-case error enum, so
//! handlers can use `?` and every mapping is in one place.

use super::ApiError;
use crate::service::{
    AuthenticationError, ChangeEmailError, ChangePasswordError, CreateUserError,
    CurrentAccountError, DeleteAccountError, InvalidAccessToken, RefreshError, SignInError,
    SignOutError, StoreError,
};

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(cause) => Self::ServiceUnavailable(cause),
            StoreError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl From<AuthenticationError> for ApiError {
    fn from(error: AuthenticationError) -> Self {
        match error {
            AuthenticationError::UnknownEmail => Self::UserNotFound,
            AuthenticationError::WrongPassword => Self::InvalidCredentials,
            AuthenticationError::Locked(retry_after) => Self::TooManyAttempts { retry_after },
            AuthenticationError::Store(e) => e.into(),
            AuthenticationError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl From<SignInError> for ApiError {
    fn from(error: SignInError) -> Self {
        match error {
            SignInError::Authentication(e) => e.into(),
            SignInError::Inactive => Self::UserInactive,
            SignInError::Store(e) => e.into(),
            SignInError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl From<CreateUserError> for ApiError {
    fn from(error: CreateUserError) -> Self {
        match error {
            CreateUserError::EmailTaken => Self::EmailTaken,
            CreateUserError::Store(e) => e.into(),
            CreateUserError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl From<RefreshError> for ApiError {
    fn from(error: RefreshError) -> Self {
        match error {
            RefreshError::Invalid(why) => {
                tracing::info!(reason = why, "refresh refused");
                Self::InvalidRefreshToken
            }
            RefreshError::Store(e) => e.into(),
            RefreshError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl From<SignOutError> for ApiError {
    fn from(error: SignOutError) -> Self {
        match error {
            SignOutError::Store(e) => e.into(),
        }
    }
}

impl From<CurrentAccountError> for ApiError {
    fn from(error: CurrentAccountError) -> Self {
        match error {
            CurrentAccountError::InvalidToken(why) => refused_bearer(&why),
            CurrentAccountError::AccountGone => Self::InvalidBearerToken,
            CurrentAccountError::Store(e) => e.into(),
        }
    }
}

impl From<ChangePasswordError> for ApiError {
    fn from(error: ChangePasswordError) -> Self {
        match error {
            ChangePasswordError::InvalidToken(why) => refused_bearer(&why),
            ChangePasswordError::AccountGone => Self::InvalidBearerToken,
            ChangePasswordError::WrongPassword => Self::InvalidCredentials,
            ChangePasswordError::Locked(retry_after) => Self::TooManyAttempts { retry_after },
            ChangePasswordError::Store(e) => e.into(),
            ChangePasswordError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl From<ChangeEmailError> for ApiError {
    fn from(error: ChangeEmailError) -> Self {
        match error {
            ChangeEmailError::InvalidToken(why) => refused_bearer(&why),
            ChangeEmailError::AccountGone => Self::InvalidBearerToken,
            ChangeEmailError::WrongPassword => Self::InvalidCredentials,
            ChangeEmailError::Locked(retry_after) => Self::TooManyAttempts { retry_after },
            ChangeEmailError::EmailTaken => Self::EmailTaken,
            ChangeEmailError::Store(e) => e.into(),
            ChangeEmailError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl From<DeleteAccountError> for ApiError {
    fn from(error: DeleteAccountError) -> Self {
        match error {
            DeleteAccountError::InvalidToken(why) => refused_bearer(&why),
            DeleteAccountError::Inactive => Self::InvalidBearerToken,
            DeleteAccountError::WrongPassword => Self::InvalidCredentials,
            DeleteAccountError::Locked(retry_after) => Self::TooManyAttempts { retry_after },
            DeleteAccountError::Store(e) => e.into(),
            DeleteAccountError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

/// A refused bearer token: the reason goes to the log, the client gets one answer.
fn refused_bearer(why: &InvalidAccessToken) -> ApiError {
    tracing::info!(reason = %why, "bearer token refused");
    ApiError::InvalidBearerToken
}
