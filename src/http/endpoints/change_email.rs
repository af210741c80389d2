//! `POST /user/email/` (bearer): move the account to another address; every session ends.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::{NewEmail, Password};
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::account;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, ChangeEmail, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "changeEmail",
    "Move the account to another address (token and password); every session ends",
)
.takes(RequestBody {
    schema: "ChangeEmail",
    fields: schema,
})
.answers(200, Some(ResponseBody::Account))
.refuses(&[
    Refusal::WrongPassword,
    Refusal::EmailTaken,
    Refusal::Locked { retry_after: 1 },
]);

/// 200 and the account at its new address.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let command = parse(json_object(&request)?)?;
    Ok(account(&app.accounts.change_email(&bearer, command).await?))
}

fn parse(body: JsonObject) -> Result<ChangeEmail, ApiError> {
    let mut fields = Fields::new(body);
    let password = fields.take("password", Password::parse);
    let new_email = fields.take("new_email", |raw| NewEmail::parse(&raw));
    match (password, new_email) {
        (Some(password), Some(new_email)) => Ok(ChangeEmail {
            password,
            new_email,
        }),
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    s.object(
        &["password", "new_email"],
        json!({"password": s.password(), "new_email": s.new_email()}),
    )
}
