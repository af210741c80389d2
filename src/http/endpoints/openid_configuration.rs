//! `GET /.well-known/openid-configuration`: where JWT verifiers (API Gateway's authorizer
//! among them) find the keys, and OAuth clients the token and revocation endpoints.
//!
//! It keeps the fields OpenID Connect Discovery requires, some of which describe a role this
//! service does not play: it has no authorization endpoint (accounts sign in with a password
//! at `/user/signin/`, not through a redirect), issues no ID tokens
//! (`id_token_signing_alg_values_supported` names the access tokens' algorithm, which is what
//! JWT authorizers read it for), and `response_types_supported` only satisfies the schema.
//! Every endpoint it names is a route of the table (a test holds the two together).

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
        "revocation_endpoint": format!("{base}/user/revoke/"),
        "grant_types_supported": ["refresh_token"],
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["none"],
        "id_token_signing_alg_values_supported": [format!("{ALGORITHM:?}")],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "scopes_supported": [SCOPE],
    })
}
