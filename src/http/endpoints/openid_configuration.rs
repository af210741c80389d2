//! `GET /.well-known/openid-configuration`: where JWT verifiers (API Gateway's authorizer
//! among them) find the keys.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::http::endpoint::{Operation, ResponseBody};
use crate::http::response::public_json;
use crate::http::{ApiError, App};
use crate::service::{ALGORITHM, AccountStore, SCOPE};

pub(crate) const OPERATION: Operation = Operation::document(
    "openidConfiguration",
    "Where JWT verifiers find the keys (OpenID Connect discovery)",
    ResponseBody::OpenIdConfiguration,
);

/// 200 and the discovery document; cacheable.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
) -> Result<Response<Body>, ApiError> {
    Ok(public_json(&document(
        &app.accounts.access_tokens().settings().issuer,
    )))
}

/// The discovery document of `issuer` (also the API description's example of it).
pub(crate) fn document(issuer: &str) -> Value {
    let base = issuer.trim_end_matches('/');
    json!({
        "issuer": issuer,
        "jwks_uri": format!("{base}/.well-known/jwks.json"),
        "token_endpoint": format!("{base}/user/token/"),
        "id_token_signing_alg_values_supported": [format!("{ALGORITHM:?}")],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "scopes_supported": [SCOPE],
    })
}
