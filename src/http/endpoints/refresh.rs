//! `POST /user/token/`: a new token pair for a refresh token, which is spent by the exchange.
//!
//! Two bodies, one exchange: the service's JSON `{"refresh_token"}`, answered as every route
//! of the service answers; and OAuth 2.0's form `grant_type=refresh_token&refresh_token=…`
//! (RFC 6749 §6), answered as OAuth clients expect (§5.1, §5.2), so that any standard client
//! refreshes at the `token_endpoint` the discovery document names. Rotation, reuse detection
//! and the store's calls are the same either way: both call the one use case.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::RefreshToken;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::form::{Form, is_form};
use crate::http::oauth::{self, Failure, OAuthError};
use crate::http::response::{TokenView, json_response};
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "refresh",
    "Exchange a refresh token for a new token pair (the token presented is spent); a JSON \
     body, or OAuth 2.0's form (RFC 6749 §6), answered the OAuth way",
)
.takes(RequestBody {
    schema: "RefreshToken",
    fields: schema,
})
.takes_form(RequestBody {
    schema: "RefreshTokenGrant",
    fields: form_schema,
})
.answers(200, Some(ResponseBody::TokenPair))
.refuses(&[Refusal::InvalidRefreshToken]);

/// 200 and the new pair.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    if is_form(&request) {
        return oauth::answer(grant(app, &request).await);
    }
    let text = parse(json_object(&request)?)?;
    exchange(app, &text).await
}

/// The OAuth form: `grant_type=refresh_token`, the token, and optionally our `client_id`.
async fn grant<S: AccountStore>(
    app: &App<S>,
    request: &Request,
) -> Result<Response<Body>, Failure> {
    let mut form = Form::read(request)??;
    match form.take("grant_type")?.as_deref() {
        Some("refresh_token") => {}
        Some(_) => return Err(OAuthError::UnsupportedGrantType.into()),
        None => return Err(OAuthError::InvalidRequest("grant_type is required".into()).into()),
    }
    app.check_client(form.take("client_id")?)?;
    let text = form
        .take("refresh_token")?
        .ok_or_else(|| OAuthError::InvalidRequest("refresh_token is required".into()))?;
    Ok(exchange(app, &text).await?)
}

/// The exchange itself, whichever body asked for it.
async fn exchange<S: AccountStore>(app: &App<S>, text: &str) -> Result<Response<Body>, ApiError> {
    // A string that is no refresh token at all is an unknown one.
    let presented = RefreshToken::parse(text).map_err(|_| Refusal::InvalidRefreshToken)?;
    let pair = app.accounts.refresh(presented).await?;
    Ok(json_response(StatusCode::OK, &TokenView::from(&pair)))
}

/// The refresh token's text, as given: whether it is a token at all is the use case's
/// question (a string that is none is an unknown token: 401, not 400).
fn parse(body: JsonObject) -> Result<String, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("refresh_token", Ok)
        .ok_or_else(|| fields.into_error())
}

fn schema(s: &Schemas) -> Value {
    s.object(
        &["refresh_token"],
        json!({"refresh_token": s.refresh_token()}),
    )
}

fn form_schema(s: &Schemas) -> Value {
    s.object(
        &["grant_type", "refresh_token"],
        json!({"grant_type": {"const": "refresh_token"},
            "refresh_token": {"type": "string", "minLength": 1,
                "description": "A refresh token, as issued (an empty value counts as none)."},
            "client_id": s.client_id()}),
    )
}
