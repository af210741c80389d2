//! Successful responses and the JSON plumbing every response shares.

use lambda_http::http::{HeaderValue, StatusCode, header};
use lambda_http::{Body, Response};
use serde::Serialize;

use crate::domain::User;

/// What the API shows of an account. The password hash is not a field, so it cannot leak
/// through serialization.
#[derive(Debug, Serialize)]
pub struct UserView<'a> {
    pub id: String,
    pub name: &'a str,
    pub surname: &'a str,
    pub email: &'a str,
    pub active: bool,
}

impl<'a> From<&'a User> for UserView<'a> {
    fn from(user: &'a User) -> Self {
        Self {
            id: user.id().to_string(),
            name: user.name().as_ref(),
            surname: user.surname().as_ref(),
            email: user.email().as_ref(),
            active: user.is_active(),
        }
    }
}

/// A JSON response. Account data must not be cached by browsers or proxies, hence `no-store`.
pub fn json_response(status: StatusCode, body: &impl Serialize) -> Response<Body> {
    // Serializing plain structs of strings cannot fail; should it ever, the client still gets
    // a well-formed (if terse) error rather than a panic.
    let (status, body) = match serde_json::to_vec(body) {
        Ok(bytes) => (status, bytes),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            br#"{"status_code":500,"detail":"Internal server error","error":"InternalError"}"#
                .to_vec(),
        ),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
