//! `POST /user/token/`: a new token pair for a refresh token, which is spent by the exchange.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::RefreshToken;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::{TokenView, json_response};
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "refresh",
    "Exchange a refresh token for a new token pair (the token presented is spent)",
)
.takes(RequestBody {
    schema: "RefreshToken",
    fields: schema,
})
.answers(200, Some(ResponseBody::TokenPair))
.refuses(&[Refusal::InvalidRefreshToken]);

/// 200 and the new pair.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let text = parse(json_object(&request)?)?;
    // A string that is no refresh token at all is an unknown one.
    let presented = RefreshToken::parse(&text).map_err(|_| Refusal::InvalidRefreshToken)?;
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
