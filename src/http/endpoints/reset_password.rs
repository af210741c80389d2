//! `POST /user/password/reset/`: the code from the reset mail and a new password; every
//! session ends.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::{CodePurpose, Email, OneTimeCode, PasswordPolicy};
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::no_content;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal, ResetPassword};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "resetPassword",
    "Set a new password with the 8-digit code mailed by forgotPassword; every session ends, \
     the lockout clears and the address counts as verified",
)
.takes(RequestBody {
    schema: "ResetPassword",
    fields: schema,
})
.answers(204, None)
.refuses(&[Refusal::InvalidCode, Refusal::Locked { retry_after: 1 }])
.hashes_a_password();

/// 204, no body.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let command = parse(json_object(&request)?, &app.policy)?;
    app.accounts.reset_password(command).await?;
    Ok(no_content())
}

fn parse(body: JsonObject, policy: &PasswordPolicy) -> Result<ResetPassword, ApiError> {
    let mut fields = Fields::new(body);
    let email = fields.take("email", |raw| Email::parse(&raw));
    let code = fields.take("code", |raw| {
        OneTimeCode::parse(&raw, CodePurpose::PasswordReset)
    });
    let new_password = fields.take("new_password", |raw| policy.parse(raw));
    match (email, code, new_password) {
        (Some(email), Some(code), Some(new_password)) => Ok(ResetPassword {
            email,
            code,
            new_password,
        }),
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    let digits = CodePurpose::PasswordReset.digits();
    s.object(
        &["email", "code", "new_password"],
        json!({"email": s.email(), "code": s.code(digits), "new_password": s.new_password()}),
    )
}
