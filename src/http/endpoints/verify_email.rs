//! `POST /user/verify/`: the code from the verification mail proves the address.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::{CodePurpose, Email, OneTimeCode};
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::account;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal, VerifyEmail};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "verifyEmail",
    "Verify the address with the 6-digit code mailed to it",
)
.takes(RequestBody {
    schema: "VerifyEmail",
    fields: schema,
})
.answers(200, Some(ResponseBody::Account))
.refuses(&[Refusal::InvalidCode, Refusal::Locked { retry_after: 1 }]);

/// 200 and the account, its address verified.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let command = parse(json_object(&request)?)?;
    Ok(account(&app.accounts.verify_email(command).await?))
}

fn parse(body: JsonObject) -> Result<VerifyEmail, ApiError> {
    let mut fields = Fields::new(body);
    let email = fields.take("email", |raw| Email::parse(&raw));
    let code = fields.take("code", |raw| {
        OneTimeCode::parse(&raw, CodePurpose::Verification)
    });
    match (email, code) {
        (Some(email), Some(code)) => Ok(VerifyEmail { email, code }),
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    let digits = CodePurpose::Verification.digits();
    s.object(
        &["email", "code"],
        json!({"email": s.email(), "code": s.code(digits)}),
    )
}
