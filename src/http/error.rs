//! The one HTTP error type: every failure a client can see, its status code and its body.
//!
//! Bodies are `{"status_code": 409, "detail": "…", "error": "EmailTaken"}`; `error` is a
//! stable code to branch on, `detail` is for humans (or, for `ValidationError`, an object of
//! field → message). A 5xx body is a fixed sentence: the cause goes to the log, in full, and
//! never to the client. What the service refused ([`Refusal`]) becomes a status, a code and a
//! detail in [`told`], and nowhere else.

use std::borrow::Cow;
use std::collections::BTreeMap;

use lambda_http::http::{StatusCode, header};
use lambda_http::{Body, Response};
use serde_json::{Value, json};

use super::response::{ErrorBody, json_response};
use crate::service::{Refusal, ServiceError};

/// Every error code and its status (the API reference lists them by status; a test holds
/// every [`ApiError`] and every [`Refusal`] to it).
pub const ERROR_CODES: [(&str, u16); 23] = [
    ("MalformedRequest", 400),
    ("ValidationError", 400),
    ("UserInactive", 400),
    ("EmailNotVerified", 400),
    ("InvalidCode", 400),
    ("InvalidCredentials", 401),
    ("InvalidToken", 401),
    ("AccountDisabled", 403),
    ("Forbidden", 403),
    ("UserNotFound", 404),
    ("NotFound", 404),
    ("SessionNotFound", 404),
    ("MethodNotAllowed", 405),
    ("EmailTaken", 409),
    ("MfaAlreadyEnabled", 409),
    ("MfaNotEnabled", 409),
    ("MfaNotPending", 409),
    ("TooManyAttempts", 429),
    ("TooManyRequests", 429),
    ("PayloadTooLarge", 413),
    ("UnsupportedMediaType", 415),
    ("InternalError", 500),
    ("ServiceUnavailable", 503),
];

/// The challenge sent with every refused bearer token (RFC 6750, section 3).
pub const BEARER_CHALLENGE: &str = r#"Bearer realm="user-service", error="invalid_token""#;

/// The detail of an inactive account's sign-in, fixed by the API contract.
pub const INACTIVE_DETAIL: &str = "User must be activated via /user/activate/";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// What the service refused; [`told`] says how it is answered.
    #[error(transparent)]
    Refused(Refusal),
    /// 400: the body is not a JSON object we can read (syntax, nesting, duplicate keys…).
    #[error("malformed request: {0}")]
    MalformedRequest(String),
    /// 400: fields are missing, of the wrong type or invalid; detail maps field → reason.
    #[error("invalid fields: {0:?}")]
    Validation(BTreeMap<&'static str, String>),
    /// 404: no such endpoint.
    #[error("no route")]
    NotFound,
    /// 405: the path exists but does not answer this method; `allow` lists those it answers.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    /// 413: the body is larger than the limit.
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// 415: the body is declared as something other than JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 503: the store is throttling or unreachable, or the request's time ran out; retrying
    /// later may work.
    #[error("service unavailable")]
    ServiceUnavailable(#[source] anyhow::Error),
    /// 500: anything else.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// How a refusal is told to the client: its status, code and detail. Adding a refusal is one
/// line here.
pub(crate) fn told(refusal: Refusal) -> (StatusCode, &'static str, Cow<'static, str>) {
    let (status, code, detail): (u16, _, Cow<_>) = match refusal {
        Refusal::UnknownEmail => (
            404,
            "UserNotFound",
            "No user is registered with this e-mail address".into(),
        ),
        Refusal::WrongPassword => (401, "InvalidCredentials", "Invalid credentials".into()),
        Refusal::Locked { retry_after } => (
            429,
            "TooManyAttempts",
            format!("Too many failed attempts; try again in {retry_after} s").into(),
        ),
        Refusal::NotActivated => (400, "UserInactive", INACTIVE_DETAIL.into()),
        Refusal::EmailTaken => (
            409,
            "EmailTaken",
            "A user with this e-mail address already exists".into(),
        ),
        Refusal::InvalidRefreshToken => (
            401,
            "InvalidToken",
            "The refresh token is invalid, expired or revoked".into(),
        ),
        Refusal::InvalidAccessToken => (
            401,
            "InvalidToken",
            "A valid access token is required".into(),
        ),
        Refusal::InvalidCode => (
            400,
            "InvalidCode",
            "The code is invalid, expired or already used".into(),
        ),
        Refusal::EmailNotVerified => (
            400,
            "EmailNotVerified",
            "The e-mail address must be verified via /user/verify/".into(),
        ),
        Refusal::TooManyRequests { retry_after } => (
            429,
            "TooManyRequests",
            format!("Too many mails to this address lately; try again in {retry_after} s").into(),
        ),
        Refusal::WrongSecondFactor => (
            401,
            "InvalidCredentials",
            "The code is wrong or has been used already".into(),
        ),
        Refusal::InvalidMfaToken => (
            401,
            "InvalidToken",
            "The mfa_token is invalid, expired or spent: sign in again".into(),
        ),
        Refusal::SecondFactorRequired => (400, "ValidationError", SECOND_FACTOR_REQUIRED.into()),
        Refusal::TotpAlreadyEnabled => (
            409,
            "MfaAlreadyEnabled",
            "TOTP is already enabled: disable it before enrolling again".into(),
        ),
        Refusal::TotpNotEnabled => (409, "MfaNotEnabled", "TOTP is not enabled".into()),
        Refusal::NoPendingTotp => (
            409,
            "MfaNotPending",
            "No enrolment awaits confirmation: start one at /user/mfa/totp/".into(),
        ),
        Refusal::AccountDisabled => (
            403,
            "AccountDisabled",
            "This account is disabled; only an administrator can enable it".into(),
        ),
        Refusal::Forbidden => (
            403,
            "Forbidden",
            "This route needs a request signed by an authorised IAM principal".into(),
        ),
        Refusal::UserNotFound => (404, "UserNotFound", "No user has this id".into()),
        Refusal::SessionNotFound => (
            404,
            "SessionNotFound",
            "The account has no session with this id".into(),
        ),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, code, detail)
}

/// Why `code` is required of an account with a second factor.
const SECOND_FACTOR_REQUIRED: &str =
    "is required: this account has a second factor (or send recovery_code)";

impl From<Refusal> for ApiError {
    /// A missing second factor is a missing field, and is told as one.
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::SecondFactorRequired => Self::Validation(BTreeMap::from([(
                "code",
                SECOND_FACTOR_REQUIRED.to_owned(),
            )])),
            refusal => Self::Refused(refusal),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Refused(refusal) => refusal.into(),
            ServiceError::Unavailable(cause) => Self::ServiceUnavailable(cause),
            ServiceError::Unexpected(cause) => Self::Internal(cause),
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Refused(refusal) => told(*refusal).0,
            Self::MalformedRequest(_) | Self::Validation(_) => StatusCode::BAD_REQUEST,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::ServiceUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code in the body's `error` field.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused(refusal) => told(*refusal).1,
            Self::MalformedRequest(_) => "MalformedRequest",
            Self::Validation(_) => "ValidationError",
            Self::NotFound => "NotFound",
            Self::MethodNotAllowed { .. } => "MethodNotAllowed",
            Self::PayloadTooLarge { .. } => "PayloadTooLarge",
            Self::UnsupportedMediaType => "UnsupportedMediaType",
            Self::ServiceUnavailable(_) => "ServiceUnavailable",
            Self::Internal(_) => "InternalError",
        }
    }

    fn detail(&self) -> Value {
        let text = match self {
            Self::Refused(refusal) => return json!(told(*refusal).2),
            Self::MalformedRequest(why) => why,
            Self::Validation(fields) => return json!(fields),
            Self::NotFound => "Not found",
            Self::MethodNotAllowed { allow } => {
                return json!(format!("Only {allow} is allowed on this path"));
            }
            Self::PayloadTooLarge { limit } => {
                return json!(format!("The request body must be at most {limit} bytes"));
            }
            Self::UnsupportedMediaType => "The request body must be JSON (application/json)",
            Self::ServiceUnavailable(_) => "The service is temporarily unavailable; try again",
            Self::Internal(_) => "Internal server error",
        };
        json!(text)
    }

    /// The response for this error. Server errors are logged here, with their whole chain of
    /// causes; client errors are the caller's business and only counted by the request log.
    pub fn into_response(self) -> Response<Body> {
        let status = self.status();
        if let Self::ServiceUnavailable(cause) | Self::Internal(cause) = &self {
            tracing::error!(error = %format!("{cause:#}"), code = self.code(), "request failed");
        }
        let body = ErrorBody::new(status, self.detail(), self.code());
        let mut response = json_response(status, &body);
        let headers = response.headers_mut();
        match &self {
            Self::MethodNotAllowed { allow } => {
                if let Ok(allow) = header::HeaderValue::from_str(allow) {
                    headers.insert(header::ALLOW, allow);
                }
            }
            Self::ServiceUnavailable(_) => {
                headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            }
            Self::Refused(
                Refusal::Locked { retry_after } | Refusal::TooManyRequests { retry_after },
            ) => {
                headers.insert(header::RETRY_AFTER, header::HeaderValue::from(*retry_after));
            }
            Self::Refused(Refusal::InvalidAccessToken) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static(BEARER_CHALLENGE),
                );
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_and_every_refusal_has_its_code_and_status_in_the_catalogue() {
        let mut errors = vec![
            ApiError::MalformedRequest(String::new()),
            ApiError::Validation(BTreeMap::new()),
            ApiError::NotFound,
            ApiError::MethodNotAllowed {
                allow: String::new(),
            },
            ApiError::PayloadTooLarge { limit: 0 },
            ApiError::UnsupportedMediaType,
            ApiError::ServiceUnavailable(anyhow::anyhow!("x")),
            ApiError::Internal(anyhow::anyhow!("x")),
        ];
        errors.extend(Refusal::ALL.map(ApiError::Refused));
        let mut seen = std::collections::BTreeSet::new();
        for error in &errors {
            let entry = (error.code(), error.status().as_u16());
            assert!(ERROR_CODES.contains(&entry), "{entry:?} is missing");
            seen.insert(entry);
        }
        assert_eq!(
            seen.len(),
            ERROR_CODES.len(),
            "the catalogue lists no code nobody returns"
        );
    }

    #[test]
    fn a_locked_account_is_told_when_to_try_again() {
        let response = ApiError::from(Refusal::Locked { retry_after: 7 }).into_response();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    }
}
