//! The HTTP entrypoint: the route table, request parsing, handlers and responses.
//!
//! [`App::handle`] is the whole Lambda handler. It never fails and never panics on input:
//! every outcome, including internal errors and an exhausted time budget, becomes a response
//! with a JSON body. Adding an endpoint is a line in [`routes`], a handler in `handlers`, and
//! its use case.

mod body;
mod docs;
mod error;
mod error_from;
mod handlers;
mod openapi;
pub mod operations;
mod requests;
mod response;
pub mod routes;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use lambda_http::{Body, Request, Response};

pub use self::body::MAX_BODY_BYTES;
pub use self::docs::{DEFAULT_ASSETS_URL, VIEWER_PACKAGE};
pub use self::error::{ApiError, BEARER_CHALLENGE, INACTIVE_DETAIL};
pub use self::routes::{Route, routes};

use crate::domain::PasswordPolicy;
use crate::service::{AccountStore, PasswordHasher, Tokens};

/// The most time one request may take, every retry and backoff of every call included. Past
/// it the client gets a 503 with `Retry-After`, well before the function's own timeout
/// (`template.yaml`, held to this by `tests/template.rs`) would cut the request off with no
/// answer at all.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

/// Everything a request needs, built once per cold start and shared by every invocation.
pub struct App<S> {
    store: S,
    hasher: PasswordHasher,
    policy: PasswordPolicy,
    tokens: Arc<Tokens>,
    routes: Vec<Route<S>>,
    /// The API description, built and serialized once.
    openapi: String,
    /// The `/docs/` page, built once.
    docs_page: String,
}

impl<S: AccountStore> App<S> {
    pub fn new(
        store: S,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        tokens: impl Into<Arc<Tokens>>,
    ) -> Self {
        let tokens = tokens.into();
        let routes = routes();
        let issuer = &tokens.access.settings().issuer;
        let openapi = openapi::document(&routes, issuer, &policy).to_string();
        let docs_page = docs::page(&format!("{issuer}/openapi.json"), DEFAULT_ASSETS_URL);
        Self {
            store,
            hasher,
            policy,
            tokens,
            routes,
            openapi,
            docs_page,
        }
    }

    /// Serves `/docs/` with the viewer from `assets_url` (a host of the pinned npm package)
    /// instead of [`DEFAULT_ASSETS_URL`].
    pub fn with_docs_assets(mut self, assets_url: &str) -> Self {
        let issuer = &self.tokens.access.settings().issuer;
        self.docs_page = docs::page(&format!("{issuer}/openapi.json"), assets_url);
        self
    }

    /// Answers one API Gateway request and logs one line about it.
    pub async fn handle(&self, request: Request) -> Response<Body> {
        let started = Instant::now();
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let outcome = tokio::time::timeout(REQUEST_DEADLINE, self.dispatch(request))
            .await
            .unwrap_or_else(|_| {
                Err(ApiError::ServiceUnavailable(anyhow!(
                    "the request ran out of its {REQUEST_DEADLINE:?} budget"
                )))
            });
        let (response, error) = match outcome {
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
            // Milliseconds to the microsecond: `make bench` reads it.
            elapsed_ms = started.elapsed().as_micros() as f64 / 1000.0,
            "request handled"
        );
        response
    }

    async fn dispatch(&self, request: Request) -> Result<Response<Body>, ApiError> {
        let route = routes::find(&self.routes, request.method(), routes::path_of(&request))?;
        (route.handler)(self, request).await
    }
}

impl<S: Clone + AccountStore> Clone for App<S> {
    fn clone(&self) -> Self {
        Self::new(
            self.store.clone(),
            self.hasher.clone(),
            self.policy,
            Arc::clone(&self.tokens),
        )
    }
}
