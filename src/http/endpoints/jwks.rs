//! `GET /.well-known/jwks.json`: the public keys that verify access tokens.

use lambda_http::{Body, Request, Response};

use crate::http::endpoint::{Operation, ResponseBody};
use crate::http::response::public_json;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::document(
    "jwks",
    "The public keys that verify access tokens",
    ResponseBody::Jwks,
);

/// 200 and every key whose tokens are accepted; cacheable.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
) -> Result<Response<Body>, ApiError> {
    Ok(public_json(&app.accounts.access_tokens().keys().jwks()))
}
