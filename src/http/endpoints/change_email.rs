//! `POST /user/email/` (bearer): ask to move the account to another address; a code goes to
//! it, and nothing moves until it comes back (`POST /user/email/confirm/`).

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::{NewEmail, Password};
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::accepted;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, ChangeEmail, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "changeEmail",
    "Ask to move the account to another address (token and password): an 8-digit code goes to \
     it; nothing moves until it is confirmed",
)
.takes(RequestBody {
    schema: "ChangeEmail",
    fields: schema,
})
.answers(202, Some(ResponseBody::Accepted))
.refuses(&[
    Refusal::WrongPassword,
    Refusal::EmailTaken,
    Refusal::Locked { retry_after: 1 },
    Refusal::TooManyRequests { retry_after: 1 },
]);

/// 202 and `{}`: the code is on its way.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let command = parse(json_object(&request)?)?;
    app.accounts.change_email(&bearer, command).await?;
    Ok(accepted())
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
