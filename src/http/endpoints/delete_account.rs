//! `POST /user/delete/` (bearer): delete the account and everything of it.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::Password;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::no_content;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Refusal};

pub(crate) const OPERATION: Operation = Operation {
    id: "deleteAccount",
    summary: "Delete the account and everything of it (token and password)",
    tag: Tag::Accounts,
    request: Some(RequestBody {
        schema: "DeleteAccount",
        fields: schema,
    }),
    success: (204, None),
    refusals: &[Refusal::WrongPassword, Refusal::Locked { retry_after: 1 }],
    uses_store: true,
    cacheable: false,
};

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
