//! `POST /user/mfa/totp/confirm/` (bearer): confirm the enrolment with a code of its secret;
//! TOTP is required from now on, every other session ends, and the recovery codes are shown
//! this once.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::TotpCode;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::mfa_views::RecoveryCodesView;
use crate::http::response::json_response;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "confirmTotp",
    "Confirm the TOTP enrolment with a code: the recovery codes and a fresh token pair",
)
.takes(RequestBody {
    schema: "ConfirmTotp",
    fields: schema,
})
.answers(200, Some(ResponseBody::RecoveryCodes))
.refuses(&[
    Refusal::WrongSecondFactor,
    Refusal::Locked { retry_after: 1 },
    Refusal::NoPendingTotp,
    Refusal::TotpAlreadyEnabled,
]);

/// 200, the recovery codes and the caller's fresh pair.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let code = parse(json_object(&request)?)?;
    let confirmed = app.accounts.confirm_totp(&bearer, code).await?;
    let view = RecoveryCodesView::new(&confirmed.recovery_codes, &confirmed.tokens);
    Ok(json_response(StatusCode::OK, &view))
}

fn parse(body: JsonObject) -> Result<TotpCode, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("code", |raw| TotpCode::parse(&raw))
        .ok_or_else(|| fields.into_error())
}

fn schema(s: &Schemas) -> Value {
    s.object(&["code"], json!({"code": s.totp_code()}))
}
