//! `POST /user/signin/mfa/`: finish a sign-in with its second factor: the `mfa_token` and a
//! `code` (or a `recovery_code`).

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use super::{second_factor, second_factor_schema};
use crate::domain::MfaToken;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::{SignedInView, json_response};
use crate::http::schemas::Schemas;
use crate::http::session_origin::session_origin;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal, SecondFactorProof};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "signInMfa",
    "Finish a sign-in with its second factor: what sign-in answers without one",
)
.takes(RequestBody {
    schema: "SignInMfa",
    fields: schema,
})
.answers(200, Some(ResponseBody::SignedIn))
.refuses(&[
    Refusal::InvalidMfaToken,
    Refusal::Locked { retry_after: 1 },
    Refusal::WrongSecondFactor,
]);

/// 200: the account and its first token pair, exactly as sign-in answers without MFA.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let (token, proof) = parse(json_object(&request)?)?;
    let origin = session_origin(&request);
    let signed_in = app.accounts.sign_in_mfa_from(token, proof, origin).await?;
    Ok(json_response(
        StatusCode::OK,
        &SignedInView::from(&signed_in),
    ))
}

/// The token as any string (one that is not a token sign-in answered is refused as a spent
/// or foreign one, 401, not as a malformed field), and a code or a recovery code.
fn parse(body: JsonObject) -> Result<(MfaToken, SecondFactorProof), ApiError> {
    let mut fields = Fields::new(body);
    let token = fields.take("mfa_token", Ok);
    let proof = second_factor(&mut fields);
    match (token, proof) {
        (Some(token), Some(Some(proof))) => {
            let token = MfaToken::parse(&token).map_err(|_| Refusal::InvalidMfaToken)?;
            Ok((token, proof))
        }
        (_, Some(None)) => {
            fields.refuse("code", "is required (or send recovery_code)");
            Err(fields.into_error())
        }
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    let mut object = s.object(
        &["mfa_token"],
        json!({"mfa_token": {"type": "string", "description": "What sign-in answered."},
            "code": second_factor_schema(s, "code"),
            "recovery_code": second_factor_schema(s, "recovery_code")}),
    );
    object["oneOf"] = json!([{"required": ["code"]}, {"required": ["recovery_code"]}]);
    object
}
