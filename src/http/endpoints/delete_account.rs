//! `POST /user/delete/` (bearer): delete the account and everything of it.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use super::PASSWORD_REFUSED;
use crate::domain::Password;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::no_content;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "deleteAccount",
    "Delete the account and everything of it (token and password)",
)
.takes(RequestBody {
    schema: "DeleteAccount",
    fields: schema,
})
.answers(204, None)
.refuses(PASSWORD_REFUSED);

/// 204: the account is gone (or was already).
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let password = parse(json_object(&request)?)?;
    app.accounts.delete_account(&bearer, password).await?;
    Ok(no_content())
}

/// The password, checked again.
fn parse(body: JsonObject) -> Result<Password, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("password", Password::parse)
        .ok_or_else(|| fields.into_error())
}

fn schema(s: &Schemas) -> Value {
    s.object(&["password"], json!({"password": s.password()}))
}
