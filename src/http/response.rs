//! The bodies of responses (the account, token pairs, the error body) and the JSON plumbing
//! every response shares.

use lambda_http::http::{HeaderValue, StatusCode, header};
use lambda_http::{Body, Response};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};

use super::mfa_views::MfaView;
use crate::domain::User;
use crate::service::{SignedIn, TokenPair};

/// What the API shows of an account. The password hash is not a field, so it cannot leak
/// through serialization.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Account)]
pub(super) struct UserView<'a> {
    /// The account's permanent id.
    #[schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    pub id: String,
    pub name: &'a str,
    pub surname: &'a str,
    /// The address in its canonical form (lower case, NFC, Unicode domain).
    pub email: &'a str,
    pub active: bool,
    /// Whether a code mailed to the address came back (`POST /user/verify/`, or a reset).
    pub email_verified: bool,
    /// The account's second factor.
    pub mfa: MfaView,
}

impl<'a> From<&'a User> for UserView<'a> {
    fn from(user: &'a User) -> Self {
        Self {
            id: user.id().to_string(),
            name: user.name().as_ref(),
            surname: user.surname().as_ref(),
            email: user.email().as_ref(),
            active: user.is_active(),
            email_verified: user.is_email_verified(),
            mfa: MfaView::from(user),
        }
    }
}

/// A token pair as `POST /user/token/` answers it, and as sign-in adds it to the account.
#[derive(Serialize, ToSchema)]
#[schema(as = TokenPair)]
pub(super) struct TokenView {
    /// An RS256 JWT; send it as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    #[schema(pattern = "^Bearer$")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Opaque; exchange it once at `POST /user/token/`.
    pub refresh_token: String,
}

impl From<&TokenPair> for TokenView {
    fn from(pair: &TokenPair) -> Self {
        Self {
            access_token: pair.access.reveal().to_owned(),
            token_type: "Bearer",
            expires_in: pair.access.expires_in(),
            refresh_token: pair.refresh.reveal(),
        }
    }
}

/// The answer to a sign-in: the account and its first token pair, side by side.
#[derive(Serialize, ToSchema)]
#[schema(as = SignedIn)]
pub(super) struct SignedInView<'a> {
    #[serde(flatten)]
    pub user: UserView<'a>,
    #[serde(flatten)]
    pub tokens: TokenView,
}

impl<'a> From<&'a SignedIn> for SignedInView<'a> {
    fn from(signed_in: &'a SignedIn) -> Self {
        Self {
            user: UserView::from(&signed_in.user),
            tokens: TokenView::from(&signed_in.tokens),
        }
    }
}

/// The body of every error response, fields in the documented order.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub(crate) struct ErrorBody {
    /// The HTTP status, repeated.
    status_code: u16,
    /// For humans: a sentence, or for `ValidationError` an object of field → reason.
    #[schema(schema_with = detail_schema)]
    detail: Value,
    /// A stable code to branch on.
    error: &'static str,
}

fn detail_schema() -> impl Into<RefOr<Schema>> {
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String))),
        )
}

impl ErrorBody {
    pub(crate) fn new(status: StatusCode, detail: Value, error: &'static str) -> Self {
        Self {
            status_code: status.as_u16(),
            detail,
            error,
        }
    }
}

/// A public document that changes only when keys rotate: shared caches may keep it briefly.
pub(super) fn public_json(body: &impl Serialize) -> Response<Body> {
    let mut response = json_response(StatusCode::OK, body);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// A public document built once per cold start (`content_type` says what it is), cacheable
/// like the others.
pub(super) fn public_document(content_type: &'static str, body: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(body.to_owned()));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// A JSON response. Account data must not be cached by browsers or proxies, hence `no-store`.
pub(super) fn json_response(status: StatusCode, body: &impl Serialize) -> Response<Body> {
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

/// 200 and what the API shows of `user`.
pub(super) fn account(user: &User) -> Response<Body> {
    json_response(StatusCode::OK, &UserView::from(user))
}

/// 202 and `{}`: the request is taken; what happens next (a mail, or none) is not told.
pub(super) fn accepted() -> Response<Body> {
    json_response(StatusCode::ACCEPTED, &serde_json::json!({}))
}

/// 204, no body.
pub(super) fn no_content() -> Response<Body> {
    let mut response = Response::new(Body::Empty);
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}
