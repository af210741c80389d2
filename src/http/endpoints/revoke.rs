//! `POST /user/revoke/`: OAuth 2.0 token revocation (RFC 7009), as standard clients call it.
//!
//! A form `token=…` (`token_type_hint` and `client_id` optional). A refresh token's session
//! ends, as a plain sign-out ends it; an access token, or a token that is none of ours, changes
//! nothing. The answer is 200 either way (RFC 7009 §2.2: the client learns nothing of the
//! token), unless the request itself is malformed or names another client.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::RefreshToken;
use crate::http::endpoint::{Operation, RequestBody, Tag};
use crate::http::form::{Form, is_form};
use crate::http::oauth::{self, Failure, OAuthError};
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, SignOut};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "revoke",
    "Revoke a refresh token, ending its session (OAuth 2.0 token revocation, RFC 7009)",
)
.takes_form(RequestBody {
    schema: "TokenRevocation",
    fields: schema,
})
.answers(200, None);

/// 200 with an empty body, whatever the token was.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    oauth::answer(revoke(app, &request).await)
}

async fn revoke<S: AccountStore>(
    app: &App<S>,
    request: &Request,
) -> Result<Response<Body>, Failure> {
    if !is_form(request) {
        return Err(OAuthError::InvalidRequest("the body must be a form".into()).into());
    }
    let mut form = Form::read(request)??;
    app.check_client(form.take("client_id")?)?;
    let token = form
        .take("token")?
        .ok_or_else(|| OAuthError::InvalidRequest("token is required".into()))?;
    if let Ok(presented) = RefreshToken::parse(&token) {
        app.accounts
            .sign_out(SignOut::Session(presented), false)
            .await?;
    }
    let mut ok = Response::new(Body::Empty);
    *ok.status_mut() = StatusCode::OK;
    Ok(ok)
}

fn schema(s: &Schemas) -> Value {
    s.object(
        &["token"],
        json!({"token": {"type": "string", "minLength": 1, "description": "The token to revoke."},
            "token_type_hint": {"type": "string",
                "description": "`refresh_token` or `access_token`; only refresh tokens end a session."},
            "client_id": s.client_id()}),
    )
}
