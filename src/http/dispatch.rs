//! Which route a request is for, and who is calling: 404 for an unknown path, 405 with the
//! right `Allow` header for a known path and another method, and for the routes that need one,
//! the bearer token verified once, before their handler runs, or (admin routes) the IAM
//! principal API Gateway verified, before anything of the request is read.
//!
//! A route's path may have `{name}` segments (`/admin/users/{id}/`): each matches one
//! non-empty segment of the request's path, whose value the handler gets.

use std::borrow::Cow;

use lambda_http::http::{Method, header};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};

use super::endpoint::{Handler, PathParams, Route};
use super::{ApiError, App};
use crate::domain::IamCaller;
use crate::service::{AccountStore, Bearer, Refusal};

impl<S: AccountStore> App<S> {
    /// Routes `request`, authenticates it if its route needs that, and runs its handler.
    pub(super) async fn dispatch(&self, request: Request) -> Result<Response<Body>, ApiError> {
        let (route, params) = find(&self.routes, request.method(), &path_of(&request))?;
        match route.handler {
            Handler::Iam(handle) => {
                let caller = iam_caller(&request).ok_or(Refusal::Forbidden)?;
                handle(self, request, caller, params).await
            }
            Handler::Open(handle) => handle(self, request).await,
            Handler::Bearer(handle) => {
                let bearer = self.authenticate(&request)?;
                handle(self, request, bearer).await
            }
            Handler::MaybeBearer(handle) => {
                let bearer = request
                    .headers()
                    .contains_key(header::AUTHORIZATION)
                    .then(|| self.authenticate(&request));
                handle(self, request, bearer).await
            }
        }
    }

    /// Who the request's bearer token speaks for; refused (401 with a challenge) if it has
    /// none we accept.
    fn authenticate(&self, request: &Request) -> Result<Bearer, Refusal> {
        let token = bearer_token(request).ok_or(Refusal::InvalidAccessToken)?;
        self.accounts.authenticate_bearer(token)
    }
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

/// The IAM principal API Gateway's `AWS_IAM` authorization put in the request context, if
/// there is one we can name. Only API Gateway may invoke the function (`template.yaml`), so a
/// context it did not write cannot reach here from outside.
fn iam_caller(request: &Request) -> Option<IamCaller> {
    let Some(RequestContext::ApiGatewayV2(context)) = request.request_context_ref() else {
        tracing::info!("admin request refused: no API Gateway context");
        return None;
    };
    let arn = context
        .authorizer
        .as_ref()?
        .iam
        .as_ref()?
        .user_arn
        .as_deref();
    match arn.map(IamCaller::parse) {
        Some(Ok(caller)) => Some(caller),
        _ => {
            tracing::info!("admin request refused: no IAM principal in the context");
            None
        }
    }
}

/// The route for `method` on `path`, and the values of its `{name}` segments: unknown paths
/// are 404, known paths with another method are 405 naming the methods the path does answer.
fn find<'r, S>(
    routes: &'r [Route<S>],
    method: &Method,
    path: &str,
) -> Result<(&'r Route<S>, PathParams), ApiError> {
    let on_path: Vec<(&Route<S>, PathParams)> = routes
        .iter()
        .filter_map(|route| Some((route, matched(route.path, path)?)))
        .collect();
    if on_path.is_empty() {
        return Err(ApiError::NotFound);
    }
    let allow = on_path
        .iter()
        .map(|(route, _)| route.method.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    on_path
        .into_iter()
        .find(|(route, _)| route.method == method)
        .ok_or(ApiError::MethodNotAllowed { allow })
}

/// The values of `pattern`'s `{name}` segments if `path` matches it (either with or without
/// its trailing slash), segment for segment; a `{name}` matches any non-empty segment.
fn matched(pattern: &'static str, path: &str) -> Option<PathParams> {
    let trim = |p: &'static str| p.strip_suffix('/').unwrap_or(p);
    let wanted = path.strip_suffix('/').unwrap_or(path);
    let (mut expected, mut given) = (trim(pattern).split('/'), wanted.split('/'));
    let mut params = Vec::new();
    loop {
        match (expected.next(), given.next()) {
            (None, None) => return Some(PathParams(params)),
            (Some(want), Some(got)) => {
                match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    Some(name) if !got.is_empty() => params.push((name, got.to_owned())),
                    Some(_) => return None,
                    None if want == got => {}
                    None => return None,
                }
            }
            _ => return None,
        }
    }
}

/// The path to route on. Behind a custom domain, API Gateway keeps the API mapping's prefix in
/// the raw path (`/accounts/user/signin/`), while the route key names the route as defined
/// (`POST /user/signin/`): so the route key's path is used whenever it names a concrete route,
/// and the raw path otherwise (the `$default` route, a `{proxy+}` route, `cargo lambda watch`).
///
/// A route key with parameters (`GET /admin/users/{id}/`) names the route with its path
/// parameters filled in from the event's `pathParameters`, when it has them all.
fn path_of(request: &Request) -> Cow<'_, str> {
    let route_key = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.route_key.as_deref(),
        _ => None,
    };
    let from_key = route_key
        .and_then(|key| key.split_once(' '))
        .map(|(_, path)| path)
        .filter(|path| path.starts_with('/'));
    match from_key {
        Some(path) if !path.contains('{') => Cow::Borrowed(path),
        Some(path) => filled(path, request)
            .map(Cow::Owned)
            .unwrap_or_else(|| Cow::Borrowed(request.uri().path())),
        None => Cow::Borrowed(request.uri().path()),
    }
}

/// `template` with each `{name}` (or `{name+}`) segment replaced by the request's path
/// parameter `name`, if it has every one.
fn filled(template: &str, request: &Request) -> Option<String> {
    let params = request.path_parameters_ref()?;
    let segments: Option<Vec<&str>> = template
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => params.first(name.trim_end_matches('+')),
                None => Some(segment),
            },
        )
        .collect();
    Some(segments?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::in_memory::InMemoryStore;
    use crate::http::endpoint::Reply;
    use crate::http::{endpoints, routes};

    fn routed(method: Method, path: &str) -> Result<&'static str, ApiError> {
        find(&routes::<InMemoryStore>(), &method, path).map(|(route, _)| route.path)
    }

    fn unused<S: AccountStore>(_: &App<S>, _: Request) -> Reply<'_> {
        Box::pin(async { Err(ApiError::NotFound) })
    }

    #[test]
    fn a_path_with_several_methods_routes_each_and_allows_exactly_those() {
        let op = &endpoints::me::OPERATION;
        let table: Vec<Route<InMemoryStore>> = vec![
            Route::open(Method::GET, "/user/me/", op, unused),
            Route::open(Method::POST, "/user/me/", op, unused),
            Route::open(Method::POST, "/user/", op, unused),
        ];
        for method in [Method::GET, Method::POST] {
            let found = find(&table, &method, "/user/me").map(|(route, _)| &route.method);
            assert_eq!(found.ok(), Some(&method));
        }
        let refused = find(&table, &Method::DELETE, "/user/me/").map(|_| ());
        assert!(
            matches!(&refused, Err(ApiError::MethodNotAllowed { allow }) if allow == "GET, POST"),
            "{refused:?}"
        );
    }

    /// A request whose API Gateway context holds `authorizer` (`None`: no authorizer).
    fn with_authorizer(authorizer: Option<serde_json::Value>) -> Request {
        let mut event = serde_json::json!({"version": "2.0", "routeKey": "$default",
            "rawPath": "/admin/users/", "rawQueryString": "", "headers": {},
            "requestContext": {"accountId": "123456789012", "apiId": "x", "requestId": "r",
                "routeKey": "$default", "stage": "$default", "timeEpoch": 0,
                "http": {"method": "GET", "path": "/admin/users/", "protocol": "HTTP/1.1",
                    "sourceIp": "203.0.113.7", "userAgent": "t"}},
            "isBase64Encoded": false});
        if let Some(authorizer) = authorizer {
            event["requestContext"]["authorizer"] = authorizer;
        }
        lambda_http::request::from_str(&event.to_string()).expect("an event")
    }

    #[test]
    fn the_iam_caller_is_the_principal_api_gateway_verified_and_nothing_else() {
        let arn = "arn:aws:sts::123456789012:assumed-role/admin/ops";
        let found = iam_caller(&with_authorizer(Some(serde_json::json!(
            {"iam": {"userArn": arn, "accountId": "123456789012"}}
        ))));
        assert_eq!(found.map(|caller| caller.to_string()).as_deref(), Some(arn));
        let refused = [
            (None, "no authorizer"),
            (Some(serde_json::json!({"iam": {}})), "no userArn"),
            (
                Some(serde_json::json!({"iam": {"userArn": "ops"}})),
                "a malformed ARN",
            ),
            (
                Some(serde_json::json!({"jwt": {"claims": {}, "scopes": []}})),
                "a JWT context",
            ),
        ];
        for (authorizer, why) in refused {
            assert_eq!(iam_caller(&with_authorizer(authorizer)), None, "{why}");
        }
    }

    #[test]
    fn a_parameter_segment_matches_one_non_empty_segment() {
        let pattern = "/admin/users/{id}/disable/";
        let id = |path| matched(pattern, path).map(|params| params.get("id").map(str::to_owned));
        assert_eq!(id("/admin/users/abc/disable"), Some(Some("abc".to_owned())));
        assert_eq!(
            id("/admin/users/abc/disable/"),
            Some(Some("abc".to_owned()))
        );
        for path in [
            "/admin/users//disable/",
            "/admin/users/a/b/disable/",
            "/admin/users/abc/",
        ] {
            assert_eq!(id(path), None, "{path}");
        }
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
