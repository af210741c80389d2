//! `POST /user/mfa/totp/disable/` (bearer): remove TOTP and its recovery codes, with the
//! password and a code; every other session ends.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use super::{second_factor, second_factor_schema};
use crate::domain::Password;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::{TokenView, json_response};
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Refusal, SecondFactorProof};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "disableTotp",
    "Disable TOTP (token, password and a code); every other session ends",
)
.takes(RequestBody {
    schema: "DisableTotp",
    fields: schema,
})
.answers(200, Some(ResponseBody::TokenPair))
.refuses(&[
    Refusal::WrongPassword,
    Refusal::Locked { retry_after: 1 },
    Refusal::TotpNotEnabled,
    Refusal::SecondFactorRequired,
    Refusal::WrongSecondFactor,
]);

/// 200 and the caller's fresh pair.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let (password, proof) = parse(json_object(&request)?)?;
    let pair = app.accounts.disable_totp(&bearer, password, proof).await?;
    Ok(json_response(StatusCode::OK, &TokenView::from(&pair)))
}

fn parse(body: JsonObject) -> Result<(Password, Option<SecondFactorProof>), ApiError> {
    let mut fields = Fields::new(body);
    let password = fields.take("password", Password::parse);
    let proof = second_factor(&mut fields);
    match (password, proof) {
        (Some(password), Some(proof)) => Ok((password, proof)),
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    let mut object = s.object(
        &["password"],
        json!({"password": s.password(), "code": s.totp_code(),
            "recovery_code": second_factor_schema(s, "recovery_code")}),
    );
    object["oneOf"] = json!([{"required": ["code"]}, {"required": ["recovery_code"]}]);
    object
}
