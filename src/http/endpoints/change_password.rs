//! `POST /user/password/` (bearer): change the password; every other session ends and the
//! caller continues on a fresh pair.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use super::PASSWORD_REFUSED;
use crate::domain::{Password, PasswordPolicy};
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::{TokenView, json_response};
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, ChangePassword};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "changePassword",
    "Change the password (token and current password); every other session ends",
)
.takes(RequestBody {
    schema: "ChangePassword",
    fields: schema,
})
.answers(200, Some(ResponseBody::TokenPair))
.refuses(PASSWORD_REFUSED);

/// 200 and the caller's fresh token pair.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let command = parse(json_object(&request)?, &app.policy)?;
    let pair = app.accounts.change_password(&bearer, command).await?;
    Ok(json_response(StatusCode::OK, &TokenView::from(&pair)))
}

/// The current password as sign-in takes it, the new one as sign-up does.
fn parse(body: JsonObject, policy: &PasswordPolicy) -> Result<ChangePassword, ApiError> {
    let mut fields = Fields::new(body);
    let current = fields.take("current_password", Password::parse);
    let new = fields.take("new_password", |raw| policy.parse(raw));
    match (current, new) {
        (Some(current), Some(new)) => Ok(ChangePassword { current, new }),
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    s.object(
        &["current_password", "new_password"],
        json!({"current_password": s.password(), "new_password": s.new_password()}),
    )
}
