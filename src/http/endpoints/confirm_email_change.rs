//! `POST /user/email/confirm/` (bearer): the code mailed to the new address moves the account
//! there; every session ends.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::{CodePurpose, OneTimeCode};
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::account;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "confirmEmailChange",
    "Move the account to the new address with the 8-digit code mailed there; every session \
     ends",
)
.takes(RequestBody {
    schema: "ConfirmEmailChange",
    fields: schema,
})
.answers(200, Some(ResponseBody::Account))
.refuses(&[
    Refusal::InvalidCode,
    Refusal::EmailTaken,
    Refusal::Locked { retry_after: 1 },
]);

/// 200 and the account at its new address, verified.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let code = parse(json_object(&request)?)?;
    Ok(account(
        &app.accounts.confirm_email_change(&bearer, &code).await?,
    ))
}

fn parse(body: JsonObject) -> Result<OneTimeCode, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("code", |raw| {
            OneTimeCode::parse(&raw, CodePurpose::EmailChange)
        })
        .ok_or_else(|| fields.into_error())
}

fn schema(s: &Schemas) -> Value {
    let digits = CodePurpose::EmailChange.digits();
    s.object(&["code"], json!({"code": s.code(digits)}))
}
