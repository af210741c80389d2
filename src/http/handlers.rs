//! One handler per endpoint: parse the request, call one use case, render the outcome.

use std::future::Future;

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

use super::body::json_object;
use super::response::{UserView, json_response};
use super::routes::Reply;
use super::{ApiError, App, requests};
use crate::domain::User;
use crate::service::{self, AccountStore, Credentials, PasswordHasher};

/// `POST /user/`: 200 and the new, inactive account.
pub fn create_user<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(async move {
        let command = requests::create_user(json_object(&request)?, &app.policy)?;
        let user = service::create_user(&app.store, &app.hasher, command).await?;
        Ok(account(&user))
    })
}

/// `POST /user/signin/`: 200 and the active account.
pub fn sign_in<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(with_credentials(app, request, service::sign_in))
}

/// `POST /user/activate/`: 200 and the account, now active.
pub fn activate<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(with_credentials(app, request, service::activate))
}

/// `POST /user/deactivate/`: 200 and the account, now inactive.
pub fn deactivate<S: AccountStore>(app: &App<S>, request: Request) -> Reply<'_> {
    Box::pin(with_credentials(app, request, service::deactivate))
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

/// 200 and what the API shows of `user`.
fn account(user: &User) -> Response<Body> {
    json_response(StatusCode::OK, &UserView::from(user))
}
