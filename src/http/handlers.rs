//! One handler per endpoint: parse the request, call one use case, render the outcome.

use std::future::Future;

use lambda_http::http::{StatusCode, header};
use lambda_http::{Body, Request, Response};
use serde_json::json;

use super::body::json_object;
use super::response::{
    SignedInView, TokenView, UserView, json_response, public_document, public_json,
};
use super::routes::Reply;
use super::{ApiError, App, requests};
use crate::domain::{RefreshToken, User};
use crate::service::{self, ALGORITHM, AccountStore, Credentials, PasswordHasher, SignedIn};

/// `POST /user/`: 200 and the new, inactive account.
pub fn create_user<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let command = requests::create_user(json_object(&request)?, &app.policy)?;
        let user = service::create_user(&app.store, &app.hasher, command).await?;
        Ok(account(&user))
    })
}

/// `POST /user/signin/`: 200, the active account and a token pair.
pub fn sign_in<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let credentials = requests::credentials(json_object(&request)?)?;
        let SignedIn { user, tokens } =
            service::sign_in(&app.store, &app.hasher, &app.tokens, credentials).await?;
        let view = SignedInView {
            user: UserView::from(&user),
            tokens: TokenView::from(&tokens),
        };
        Ok(json_response(StatusCode::OK, &view))
    })
}

/// `POST /user/activate/`: 200 and the account, now active.
pub fn activate<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(with_credentials(app, request, service::activate))
}

/// `POST /user/deactivate/`: 200 and the account, now inactive (its sessions ended).
pub fn deactivate<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(with_credentials(app, request, service::deactivate))
}

/// `POST /user/token/`: 200 and a new token pair; the refresh token presented is spent.
pub fn refresh<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let text = requests::refresh_token(json_object(&request)?)?;
        let presented = RefreshToken::parse(&text).map_err(|_| ApiError::InvalidRefreshToken)?;
        let pair = service::refresh(&app.store, &app.tokens, presented).await?;
        Ok(json_response(StatusCode::OK, &TokenView::from(&pair)))
    })
}

/// `POST /user/signout/`: 204, whether or not the token was one we know.
pub fn sign_out<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let (text, everywhere) = requests::sign_out(json_object(&request)?)?;
        if let Ok(presented) = RefreshToken::parse(&text) {
            service::sign_out(&app.store, &app.tokens, presented, everywhere).await?;
        }
        Ok(no_content())
    })
}

/// `GET /user/me/`: 200 and the account the bearer token speaks for, as stored now.
pub fn me<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let token = bearer_token(&request).ok_or(ApiError::InvalidBearerToken)?;
        let user = service::current_account(&app.store, &app.tokens.access, token).await?;
        Ok(account(&user))
    })
}

/// `POST /user/password/`: 200 and a fresh token pair; every other session ends.
pub fn change_password<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let token = bearer_token(&request).ok_or(ApiError::InvalidBearerToken)?;
        let command = requests::change_password(json_object(&request)?, &app.policy)?;
        let pair =
            service::change_password(&app.store, &app.hasher, &app.tokens, token, command).await?;
        Ok(json_response(StatusCode::OK, &TokenView::from(&pair)))
    })
}

/// `POST /user/email/`: 200 and the account at its new address; every session ends.
pub fn change_email<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let token = bearer_token(&request).ok_or(ApiError::InvalidBearerToken)?;
        let command = requests::change_email(json_object(&request)?)?;
        let user =
            service::change_email(&app.store, &app.hasher, &app.tokens, token, command).await?;
        Ok(account(&user))
    })
}

/// `POST /user/delete/`: 204; the account and everything of it are gone.
pub fn delete_account<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let token = bearer_token(&request).ok_or(ApiError::InvalidBearerToken)?;
        let password = requests::delete_account(json_object(&request)?)?;
        service::delete_account(&app.store, &app.hasher, &app.tokens, token, password).await?;
        Ok(no_content())
    })
}

/// `GET /.well-known/jwks.json`: the public keys that verify access tokens.
pub fn jwks<S: AccountStore>(app: &App<S>, _request: Request) -> Reply<'_> {
    Box::pin(async move { Ok(public_json(&app.tokens.access.keys().jwks())) })
}

/// `GET /.well-known/openid-configuration`: where to find the keys, for JWT authorizers.
pub fn openid_configuration<S: AccountStore>(app: &App<S>, _request: Request) -> Reply<'_> {
    Box::pin(async move {
        let issuer = &app.tokens.access.settings().issuer;
        let base = issuer.trim_end_matches('/');
        Ok(public_json(&json!({
            "issuer": issuer,
            "jwks_uri": format!("{base}/.well-known/jwks.json"),
            "token_endpoint": format!("{base}/user/token/"),
            "id_token_signing_alg_values_supported": [format!("{ALGORITHM:?}")],
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
            "scopes_supported": [service::SCOPE],
        })))
    })
}

/// `GET /openapi.json`: the API description (OpenAPI 3.1).
pub fn openapi<S: AccountStore>(app: &App<S>, _request: Request) -> Reply<'_> {
    Box::pin(async move { Ok(public_document("application/json", &app.openapi)) })
}

/// `GET /docs/`: the page that renders the API description.
pub fn docs<S: AccountStore>(app: &App<S>, _request: Request) -> Reply<'_> {
    Box::pin(async move { Ok(public_document("text/html; charset=utf-8", &app.docs_page)) })
}

/// The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive).
fn bearer_token(request: &Request) -> Option<&str> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// What the endpoints taking `{"email", "password"}` and answering with the account share.
async fn with_credentials<'a, S, F, E>(
    app: &'a App<S>,
    request: Request,
    use_case: impl FnOnce(&'a S, &'a PasswordHasher, Credentials) -> F,
) -> Result<Response<Body>, ApiError>
where
    S: AccountStore,
    F: Future<Output = Result<User, E>>,
    ApiError: From<E>,
{
    let credentials = requests::credentials(json_object(&request)?)?;
    let user = use_case(&app.store, &app.hasher, credentials).await?;
    Ok(account(&user))
}

/// 204, no body.
fn no_content() -> Response<Body> {
    let mut response = Response::new(Body::Empty);
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// 200 and what the API shows of `user`.
fn account(user: &User) -> Response<Body> {
    json_response(StatusCode::OK, &UserView::from(user))
}
