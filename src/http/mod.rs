//! The HTTP entrypoint: routing, request parsing, use-case dispatch and responses.
//!
//! [`App::handle`] is the whole Lambda handler. It never fails and never panics on input:
//! every outcome, including internal errors, becomes a response with a JSON body.

mod body;
mod error;
mod requests;
mod response;
mod router;

use std::time::Instant;

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

pub use self::body::MAX_BODY_BYTES;
pub use self::error::{ApiError, INACTIVE_DETAIL};
pub use self::router::{Endpoint, ROUTES};

use self::response::{UserView, json_response};
use crate::domain::PasswordPolicy;
use crate::service::{self, AccountStore, PasswordHasher};

/// Everything a request needs, built once per cold start and shared by every invocation.
#[derive(Clone)]
pub struct App<S> {
    store: S,
    hasher: PasswordHasher,
    policy: PasswordPolicy,
}

impl<S: AccountStore> App<S> {
    pub fn new(store: S, hasher: PasswordHasher, policy: PasswordPolicy) -> Self {
        Self {
            store,
            hasher,
            policy,
        }
    }

    /// Answers one API Gateway request and logs one line about it.
    pub async fn handle(&self, request: Request) -> Response<Body> {
        let started = Instant::now();
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let (response, error) = match self.dispatch(request).await {
            Ok(response) => (response, None),
            Err(error) => {
                let code = error.code();
                (error.into_response(), Some(code))
            }
        };
        tracing::info!(
            %method,
            %path,
            status = response.status().as_u16(),
            error,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request handled"
        );
        response
    }

    async fn dispatch(&self, request: Request) -> Result<Response<Body>, ApiError> {
        let endpoint = router::route(request.method(), request.uri().path())?;
        let body = body::json_object(&request)?;
        let (store, hasher) = (&self.store, &self.hasher);
        let user = match endpoint {
            Endpoint::CreateUser => {
                let command = requests::create_user(body, &self.policy)?;
                service::create_user(store, hasher, command).await?
            }
            Endpoint::SignIn => {
                service::sign_in(store, hasher, requests::credentials(body)?).await?
            }
            Endpoint::Activate => {
                service::activate(store, hasher, requests::credentials(body)?).await?
            }
            Endpoint::Deactivate => {
                service::deactivate(store, hasher, requests::credentials(body)?).await?
            }
        };
        Ok(json_response(StatusCode::OK, &UserView::from(&user)))
    }
}
