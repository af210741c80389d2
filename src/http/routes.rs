//! The route table, and which route a request is for.
//!
//! A route is one line: method, path, handler. Everything else is derived from the table: 404
//! for an unknown path, 405 with the right `Allow` header for a known path and another method,
//! and (in `tests/template/stack.rs`) the routes `template.yaml` must deploy.

use std::future::Future;
use std::pin::Pin;

use lambda_http::http::Method;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};

use super::operations::{self as ops, Operation};
use super::{ApiError, App, handlers};
use crate::service::AccountStore;

/// What a handler returns: a response of any shape, or the error to render.
pub type Reply<'a> = Pin<Box<dyn Future<Output = Result<Response<Body>, ApiError>> + Send + 'a>>;

/// Parses a request, calls one use case and renders its outcome.
pub type Handler<S> = for<'a> fn(&'a App<S>, Request) -> Reply<'a>;

/// One endpoint: `method` on `path` (which also answers without its trailing slash), what
/// handles it, and what it promises (for the API description).
pub struct Route<S> {
    pub method: Method,
    pub path: &'static str,
    pub handler: Handler<S>,
    pub operation: &'static Operation,
}

impl<S> Route<S> {
    const fn new(
        method: Method,
        path: &'static str,
        handler: Handler<S>,
        operation: &'static Operation,
    ) -> Self {
        Self {
            method,
            path,
            handler,
            operation,
        }
    }
}

const OPENID: &str = "/.well-known/openid-configuration";

/// Every route the function serves.
pub fn routes<S: AccountStore>() -> Vec<Route<S>> {
    const GET: Method = Method::GET;
    const POST: Method = Method::POST;
    vec![
        Route::new(POST, "/user/", handlers::create_user, &ops::SIGN_UP),
        Route::new(POST, "/user/signin/", handlers::sign_in, &ops::SIGN_IN),
        Route::new(POST, "/user/activate/", handlers::activate, &ops::ACTIVATE),
        Route::new(
            POST,
            "/user/deactivate/",
            handlers::deactivate,
            &ops::DEACTIVATE,
        ),
        Route::new(POST, "/user/token/", handlers::refresh, &ops::REFRESH),
        Route::new(POST, "/user/signout/", handlers::sign_out, &ops::SIGN_OUT),
        Route::new(GET, "/user/me/", handlers::me, &ops::ME),
        Route::new(
            POST,
            "/user/password/",
            handlers::change_password,
            &ops::CHANGE_PASSWORD,
        ),
        Route::new(
            POST,
            "/user/email/",
            handlers::change_email,
            &ops::CHANGE_EMAIL,
        ),
        Route::new(
            POST,
            "/user/delete/",
            handlers::delete_account,
            &ops::DELETE_ACCOUNT,
        ),
        Route::new(GET, "/.well-known/jwks.json", handlers::jwks, &ops::JWKS),
        Route::new(
            GET,
            OPENID,
            handlers::openid_configuration,
            &ops::OPENID_CONFIGURATION,
        ),
        Route::new(GET, "/openapi.json", handlers::openapi, &ops::OPENAPI),
        Route::new(GET, "/docs/", handlers::docs, &ops::DOCS),
    ]
}

/// The handler for `method` on `path`: unknown paths are 404, known paths with another method
/// are 405 naming the methods the path does answer.
pub fn find<'r, S>(
    routes: &'r [Route<S>],
    method: &Method,
    path: &str,
) -> Result<&'r Route<S>, ApiError> {
    let wanted = path.strip_suffix('/').unwrap_or(path);
    let on_path: Vec<&Route<S>> = routes
        .iter()
        .filter(|route| route.path.strip_suffix('/').unwrap_or(route.path) == wanted)
        .collect();
    if on_path.is_empty() {
        return Err(ApiError::NotFound);
    }
    on_path
        .iter()
        .find(|route| route.method == method)
        .copied()
        .ok_or_else(|| ApiError::MethodNotAllowed {
            allow: on_path
                .iter()
                .map(|route| route.method.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The path to route on. Behind a custom domain, API Gateway keeps the API mapping's prefix in
/// the raw path (`/accounts/user/signin/`), while the route key names the route as defined
/// (`POST /user/signin/`): so the route key's path is used whenever it names a concrete route,
/// and the raw path otherwise (the `$default` route, a `{proxy+}` route, `cargo lambda watch`).
pub fn path_of(request: &Request) -> &str {
    let route_key = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.route_key.as_deref(),
        _ => None,
    };
    route_key
        .and_then(|key| key.split_once(' '))
        .map(|(_, path)| path)
        .filter(|path| path.starts_with('/') && !path.contains('{'))
        .unwrap_or_else(|| request.uri().path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::in_memory::InMemoryStore;

    fn routed(method: Method, path: &str) -> Result<&'static str, ApiError> {
        find(&routes::<InMemoryStore>(), &method, path).map(|route| route.path)
    }

    fn unused<S: AccountStore>(_: &App<S>, _: Request) -> Reply<'_> {
        Box::pin(async { Err(ApiError::NotFound) })
    }

    #[test]
    fn a_path_with_several_methods_routes_each_and_allows_exactly_those() {
        let table: Vec<Route<InMemoryStore>> = vec![
            Route::new(Method::GET, "/user/me/", unused, &ops::ME),
            Route::new(Method::POST, "/user/me/", unused, &ops::ME),
            Route::new(Method::POST, "/user/", unused, &ops::SIGN_UP),
        ];
        for method in [Method::GET, Method::POST] {
            let found = find(&table, &method, "/user/me").map(|route| &route.method);
            assert_eq!(found.ok(), Some(&method));
        }
        let refused = find(&table, &Method::DELETE, "/user/me/").map(|_| ());
        assert!(
            matches!(&refused, Err(ApiError::MethodNotAllowed { allow }) if allow == "GET, POST"),
            "{refused:?}"
        );
    }

    #[test]
    fn each_path_routes_with_and_without_its_trailing_slash() {
        for route in routes::<InMemoryStore>() {
            for path in [route.path, route.path.trim_end_matches('/')] {
                assert_eq!(
                    routed(route.method.clone(), path).ok(),
                    Some(route.path),
                    "{path}"
                );
            }
        }
    }

    #[test]
    fn other_methods_on_a_known_path_are_not_allowed_and_told_what_is() {
        for method in [
            Method::GET,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
            Method::HEAD,
        ] {
            let result = routed(method.clone(), "/user/signin/");
            assert!(
                matches!(&result, Err(ApiError::MethodNotAllowed { allow }) if allow == "POST"),
                "{method}: {result:?}"
            );
        }
    }

    #[test]
    fn unknown_paths_are_not_found_whatever_the_method() {
        let paths = [
            "/",
            "",
            "/users/",
            "/user//",
            "/User/",
            "/user/signin/x",
            "/user/nope",
        ];
        for path in paths {
            for method in [Method::POST, Method::GET] {
                let result = routed(method.clone(), path);
                assert!(
                    matches!(result, Err(ApiError::NotFound)),
                    "{method} {path:?}"
                );
            }
        }
    }
}
