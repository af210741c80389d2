//! `POST /user/verify/resend/`: a new verification code for an unverified account; the same
//! answer for any address.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::Email;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::accepted;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "resendVerification",
    "Mail a new verification code (voiding the previous one) if the address is an unverified \
     account's; the same answer for any address",
)
.takes(RequestBody {
    schema: "EmailOnly",
    fields: email_only,
})
.answers(202, Some(ResponseBody::Accepted))
.refuses(&[Refusal::TooManyRequests { retry_after: 1 }]);

/// 202 and `{}`.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let email = email(json_object(&request)?)?;
    app.accounts.resend_verification(&email).await?;
    Ok(accepted())
}

/// The body of the requests that name only an address: `{"email"}`.
pub(super) fn email(body: JsonObject) -> Result<Email, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("email", |raw| Email::parse(&raw))
        .ok_or_else(|| fields.into_error())
}

/// Its schema.
pub(super) fn email_only(s: &Schemas) -> Value {
    s.object(&["email"], json!({"email": s.email()}))
}
