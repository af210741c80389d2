//! OAuth 2.0's way of answering (RFC 6749 §5.2, RFC 7009 §2.2.1), for the two routes standard
//! OAuth clients call: the token endpoint (with a form body) and the revocation endpoint.
//!
//! It is a second renderer of the same refusals, not a second mapping of them: the service
//! refuses a refresh token as it always does (`Refusal::InvalidRefreshToken`), and this module
//! only says how OAuth spells it (`invalid_grant`). What the request itself gets wrong as OAuth
//! defines it (no grant type, a foreign client) is an [`OAuthError`] of its own. Limits (413),
//! unavailability (503) and bugs (500) keep the service's error body, as OAuth defines none.

use lambda_http::http::{HeaderValue, StatusCode, header};
use lambda_http::{Body, Response};
use serde::Serialize;

use super::ApiError;
use super::form::FormError;
use super::response::json_response;
use crate::service::Refusal;

/// An OAuth error response's `error` (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OAuthError {
    /// A parameter missing, repeated or malformed, or a body that is no form.
    InvalidRequest(String),
    /// A `client_id` other than the service's.
    InvalidClient,
    /// A refresh token that is unknown, spent, expired or revoked.
    InvalidGrant,
    /// A `grant_type` other than `refresh_token`.
    UnsupportedGrantType,
}

impl OAuthError {
    /// Every code, with its status, for the API description.
    pub(crate) const CODES: [(&'static str, u16); 4] = [
        ("invalid_request", 400),
        ("invalid_grant", 400),
        ("unsupported_grant_type", 400),
        ("invalid_client", 401),
    ];

    fn told(&self) -> (StatusCode, &'static str, String) {
        match self {
            Self::InvalidRequest(why) => (StatusCode::BAD_REQUEST, "invalid_request", why.clone()),
            Self::InvalidClient => (
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "This client is not known here".to_owned(),
            ),
            Self::InvalidGrant => (
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The refresh token is invalid, expired or revoked".to_owned(),
            ),
            Self::UnsupportedGrantType => (
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only the refresh_token grant is supported".to_owned(),
            ),
        }
    }

    /// The response: `{"error", "error_description"}`, never cached.
    pub(crate) fn into_response(self) -> Response<Body> {
        let (status, error, error_description) = self.told();
        let body = OAuthErrorBody {
            error,
            error_description,
        };
        let mut response = no_store(json_response(status, &body));
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6749 §5.2: a 401 names the authentication scheme the client may use.
            (response.headers_mut()).insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(r#"Basic realm="user-service""#),
            );
        }
        response
    }
}

#[derive(Serialize)]
struct OAuthErrorBody {
    error: &'static str,
    error_description: String,
}

/// How an OAuth route failed: as OAuth says, or as the service says.
#[derive(Debug)]
pub(crate) enum Failure {
    OAuth(OAuthError),
    Service(ApiError),
}

impl From<OAuthError> for Failure {
    fn from(error: OAuthError) -> Self {
        Self::OAuth(error)
    }
}

/// A body that is no form, or names a parameter twice, is an OAuth `invalid_request`.
impl From<FormError> for Failure {
    fn from(error: FormError) -> Self {
        Self::OAuth(OAuthError::InvalidRequest(error.to_string()))
    }
}

impl<E: Into<ApiError>> From<E> for Failure {
    fn from(error: E) -> Self {
        Self::Service(error.into())
    }
}

/// The answer of an OAuth route: its response, its OAuth error as OAuth renders it, or what
/// OAuth has no words for (413, 503, 500) as the service renders it.
pub(crate) fn answer(outcome: Result<Response<Body>, Failure>) -> Result<Response<Body>, ApiError> {
    let error = match outcome {
        Ok(response) => return Ok(no_store(response)),
        Err(Failure::OAuth(error)) => error,
        Err(Failure::Service(error)) => match error {
            ApiError::Refused(Refusal::InvalidRefreshToken) => OAuthError::InvalidGrant,
            ApiError::MalformedRequest(why) => OAuthError::InvalidRequest(why),
            ApiError::Validation(fields) => OAuthError::InvalidRequest(
                (fields.iter())
                    .map(|(name, reason)| format!("{name} {reason}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            other => return Err(other),
        },
    };
    Ok(error.into_response())
}

/// `response` with the headers RFC 6749 §5.1 asks of every token response.
fn no_store(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
