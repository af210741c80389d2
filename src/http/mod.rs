//! The HTTP entrypoint: API Gateway requests in, responses out.
//!
//! [`App::handle`] is the whole Lambda handler. It never fails and never panics on input:
//! every outcome, including internal errors and an exhausted time budget, becomes a response
//! with a JSON body. A request goes `handle` (the time budget, one log line) → `dispatch` (the
//! route, the bearer token) → the endpoint's `handle` in `endpoints/` (parse, one use case,
//! render) → [`Accounts`], and what the service refused becomes a response in `error.rs` only.
//! Adding an endpoint is a module in `endpoints/` and a line in [`routes`].

mod admin_views;
mod body;
mod dispatch;
mod docs;
mod endpoint;
mod endpoints;
mod error;
mod event_views;
mod fields;
mod form;
mod mfa_views;
mod oauth;
mod openapi;
mod response;
mod routes;
mod schemas;
mod session_origin;
mod session_views;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use lambda_http::http::{HeaderValue, header};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};

pub use self::body::MAX_BODY_BYTES;
pub use self::docs::{DEFAULT_ASSETS_URL, VIEWER_PACKAGE};
pub use self::endpoint::Route;
pub use self::error::{ApiError, BEARER_CHALLENGE, ERROR_CODES, INACTIVE_DETAIL};
pub use self::routes::routes;

use crate::domain::PasswordPolicy;
use crate::service::{AccountStore, Accounts, deadline, origin};

/// The most time one request may take, every retry and backoff of every call included. Past
/// it the client gets a 503 with `Retry-After`, well before the function's own timeout
/// (`template.yaml`, held to this by `tests/template.rs`) would cut the request off with no
/// answer at all.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

/// Everything a request needs, built once per cold start and shared by every invocation.
/// Cheap to clone: clones share everything.
pub struct App<S> {
    accounts: Arc<Accounts<S>>,
    policy: PasswordPolicy,
    routes: Arc<[Route<S>]>,
    /// The API description, built and serialized once.
    openapi: Arc<str>,
    /// The `/docs/` page, built once.
    docs_page: Arc<str>,
    /// Its `Content-Security-Policy`.
    docs_policy: HeaderValue,
}

impl<S: AccountStore> App<S> {
    pub fn new(accounts: Accounts<S>, policy: PasswordPolicy) -> Self {
        let routes: Arc<[Route<S>]> = routes().into();
        let settings = accounts.access_tokens().settings();
        let issuer = &settings.issuer;
        let openapi = openapi::document(&routes, settings, &policy).to_string();
        let openapi_url = format!("{issuer}/openapi.json");
        let docs_page = docs::page(&openapi_url, DEFAULT_ASSETS_URL);
        // The policy is ASCII made of the issuer, which config checked: should it ever fail to
        // be a header, the page is served with a policy that allows nothing rather than none.
        let docs_policy = HeaderValue::try_from(docs::policy(&openapi_url))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
        Self {
            accounts: Arc::new(accounts),
            policy,
            routes,
            openapi: openapi.into(),
            docs_page: docs_page.into(),
            docs_policy,
        }
    }

    /// Serves `/docs/` with the viewer from `assets_url` (a host of the pinned npm package)
    /// instead of [`DEFAULT_ASSETS_URL`].
    pub fn with_docs_assets(mut self, assets_url: &str) -> Self {
        let issuer = &self.accounts.access_tokens().settings().issuer;
        self.docs_page = docs::page(&format!("{issuer}/openapi.json"), assets_url).into();
        self
    }

    /// Refuses a `client_id` other than the one OAuth client the service serves (none given is
    /// fine: a public client may leave it out).
    fn check_client(&self, client_id: Option<String>) -> Result<(), oauth::OAuthError> {
        let ours = &self.accounts.access_tokens().settings().client_id;
        match client_id {
            Some(theirs) if theirs != *ours => Err(oauth::OAuthError::InvalidClient),
            _ => Ok(()),
        }
    }

    /// Answers one API Gateway request and logs one line about it.
    pub async fn handle(&self, request: Request) -> Response<Body> {
        let started = Instant::now();
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let request_id = request_id(&request);
        let work = origin::serving(request_id, self.dispatch(request));
        let outcome = deadline::within(REQUEST_DEADLINE, work)
            .await
            .unwrap_or_else(|_| {
                Err(ApiError::ServiceUnavailable(anyhow!(
                    "the request ran out of its {REQUEST_DEADLINE:?} budget"
                )))
            });
        let (mut response, error) = match outcome {
            Ok(response) => (response, None),
            Err(error) => {
                let code = error.code();
                (error.into_response(), Some(code))
            }
        };
        // Every answer is what its Content-Type says: no browser may guess otherwise.
        (response.headers_mut()).insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
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
}

// Everything is shared, so a clone rebuilds nothing, whatever `S` is.
impl<S> Clone for App<S> {
    fn clone(&self) -> Self {
        Self {
            accounts: Arc::clone(&self.accounts),
            policy: self.policy,
            routes: Arc::clone(&self.routes),
            openapi: Arc::clone(&self.openapi),
            docs_page: Arc::clone(&self.docs_page),
            docs_policy: self.docs_policy.clone(),
        }
    }
}

/// The id API Gateway gave the request (what its access log shows), or else Lambda's.
fn request_id(request: &Request) -> Option<String> {
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.request_id.clone(),
        _ => None,
    }
    .or_else(|| {
        request
            .lambda_context_ref()
            .map(|lambda| lambda.request_id.clone())
    })
    .filter(|id| !id.is_empty())
}
