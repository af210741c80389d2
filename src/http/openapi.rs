//! The API's description, OpenAPI 3.1, built once per cold start from the route table: each
//! route's [`Operation`] says what it takes and answers and which refusals it can meet, its
//! handler kind says whether it needs a bearer token, the request schemas come from the
//! endpoint modules (written from the parsers' own limits) and the response schemas from the
//! response types (utoipa). Nothing here is a hand-kept copy of a route.

use serde_json::{Map, Value, json};

use super::endpoint::{Operation, ResponseBody, Route, Tag};
use super::error::told;
use super::oauth::OAuthError;
use super::schemas::{self, Schemas};
use crate::domain::PasswordPolicy;
use crate::service::{Refusal, SCOPE, TokenSettings};

/// The document for `routes`, whose tokens are issued as `tokens` says and whose new passwords
/// follow `policy`.
pub(super) fn document<S>(
    routes: &[Route<S>],
    tokens: &TokenSettings,
    policy: &PasswordPolicy,
) -> Value {
    let issuer = tokens.issuer.as_str();
    let fields = Schemas::new(*policy, &tokens.client_id);
    let mut schemas = match schemas::responses(issuer) {
        Value::Object(responses) => responses,
        _ => Map::new(),
    };
    let mut paths = Map::new();
    for route in routes {
        for body in [&route.operation.request, &route.operation.form]
            .into_iter()
            .flatten()
        {
            schemas.insert(body.schema.to_owned(), (body.fields)(&fields));
        }
        let item = paths
            .entry(route.path)
            .or_insert_with(|| json!({}))
            .as_object_mut();
        if let Some(item) = item {
            item.insert(route.method.as_str().to_ascii_lowercase(), operation(route));
        }
    }
    let tags: Vec<Value> = Tag::ALL
        .iter()
        .map(|tag| json!({"name": tag.name(), "description": tag.description()}))
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "user-service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "User accounts: sign-up, activation, sign-in with RS256 access tokens \
                and rotating refresh tokens, sign-out, password and e-mail change, deletion, \
                deactivation. Every route also answers without its trailing slash. Errors are \
                `{status_code, detail, error}`; branch on `error`.",
        },
        "servers": [{"url": issuer}],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": format!("An access token from sign-in or refresh; scope `{SCOPE}`.")},
                "sigv4": {"type": "apiKey", "in": "header", "name": "Authorization",
                    "x-amazon-apigateway-authtype": "awsSigv4",
                    "description": "AWS Signature Version 4 (service `execute-api`), by an IAM \
                        principal whose policy allows `execute-api:Invoke` on the route."},
            },
        },
    })
}

fn operation<S>(route: &Route<S>) -> Value {
    let op: &Operation = route.operation;
    let mut responses = Map::new();
    let (status, body) = op.success;
    let mut success = json!({"description": "Success"});
    if let Some(body) = body {
        success["content"] = content(body);
    }
    if op.cacheable {
        success["headers"] = json!({"Cache-Control": header("public, max-age=300")});
    }
    responses.insert(status.to_string(), success);
    for (status, codes, oauth) in error_statuses(route) {
        let service = json!({"allOf": [
            {"$ref": "#/components/schemas/Error"},
            {"properties": {"status_code": {"const": status}, "error": {"enum": codes}}},
        ]});
        let oauth_body = json!({"allOf": [
            {"$ref": "#/components/schemas/OAuthError"},
            {"properties": {"error": {"enum": oauth}}},
        ]});
        let schema = match (codes.is_empty(), oauth.is_empty()) {
            (_, true) => service,
            (true, false) => oauth_body,
            (false, false) => json!({"anyOf": [service, oauth_body]}),
        };
        let described: Vec<&str> = codes.iter().chain(&oauth).copied().collect();
        let mut response = json!({
            "description": described.join(", "),
            "content": {"application/json": {"schema": schema}},
        });
        match status {
            401 if !oauth.is_empty() => {
                response["headers"] = json!({"WWW-Authenticate": header("Basic realm=…")});
            }
            401 if route.takes_bearer() => {
                response["headers"] = json!({"WWW-Authenticate": header("Bearer realm=…")});
            }
            429 | 503 => {
                response["headers"] = json!({"Retry-After": {
                    "description": "Seconds to wait before trying again",
                    "schema": {"type": "integer", "minimum": 0},
                }});
            }
            _ => {}
        }
        responses.insert(status.to_string(), response);
    }
    let mut operation = json!({
        "operationId": op.id,
        "summary": op.summary,
        "tags": [op.tag.name()],
        "responses": responses,
    });
    let mut bodies = Map::new();
    for (media_type, body) in [
        ("application/json", &op.request),
        ("application/x-www-form-urlencoded", &op.form),
    ] {
        if let Some(body) = body {
            let schema = json!({"$ref": format!("#/components/schemas/{}", body.schema)});
            bodies.insert(media_type.to_owned(), json!({"schema": schema}));
        }
    }
    if !bodies.is_empty() {
        operation["requestBody"] = json!({"required": true, "content": bodies});
    }
    let mut parameters: Vec<Value> = route
        .path_parameters()
        .into_iter()
        .map(|name| {
            json!({"name": name, "in": "path", "required": true,
            "schema": {"type": "string", "format": "uuid"}})
        })
        .collect();
    if let Some(query) = op.query
        && let Value::Array(query) = query()
    {
        parameters.extend(query);
    }
    if !parameters.is_empty() {
        operation["parameters"] = json!(parameters);
    }
    if route.needs_iam() {
        operation["security"] = json!([{"sigv4": []}]);
    } else if route.needs_bearer() {
        operation["security"] = json!([{"bearer": []}]);
    } else if route.takes_bearer() {
        operation["security"] = json!([{}, {"bearer": []}]);
    }
    operation
}

/// The error codes `route` can answer with, by status in status order: the service's (each
/// status's in the order: the body's, the token's, the use case's refusals, the service's) and
/// OAuth's, for a route taking an OAuth form.
fn error_statuses<S>(route: &Route<S>) -> Vec<(u16, Vec<&'static str>, Vec<&'static str>)> {
    let op = route.operation;
    let mut codes: Vec<(u16, &'static str)> = Vec::new();
    if op.request.is_some() {
        codes.extend([
            (400, "MalformedRequest"),
            (400, "ValidationError"),
            (413, "PayloadTooLarge"),
            (415, "UnsupportedMediaType"),
        ]);
    } else if op.form.is_some() {
        codes.push((413, "PayloadTooLarge"));
    }
    if op.query.is_some() {
        codes.push((400, "ValidationError"));
    }
    if route.needs_iam() {
        let (status, code, _) = told(Refusal::Forbidden);
        codes.push((status.as_u16(), code));
    }
    let bearer = route.takes_bearer().then_some(Refusal::InvalidAccessToken);
    let refusals = bearer.iter().chain(op.refusals);
    // A form is answered the OAuth way, a JSON body (if any) the service's.
    for refusal in refusals.filter(|_| op.request.is_some() || op.form.is_none()) {
        let (status, code, _) = told(*refusal);
        codes.push((status.as_u16(), code));
    }
    if op.uses_store {
        codes.push((503, "ServiceUnavailable"));
    }
    codes.push((500, "InternalError"));
    let oauth = match op.form {
        Some(_) => OAuthError::CODES.to_vec(),
        None => Vec::new(),
    };
    let mut by_status: Vec<(u16, Vec<&'static str>, Vec<&'static str>)> = Vec::new();
    let grouped = (codes
        .into_iter()
        .map(|(status, code)| (status, code, false)))
    .chain(oauth.into_iter().map(|(code, status)| (status, code, true)));
    for (status, code, is_oauth) in grouped {
        let i = match by_status.iter().position(|(s, ..)| *s == status) {
            Some(i) => i,
            None => {
                by_status.push((status, Vec::new(), Vec::new()));
                by_status.len() - 1
            }
        };
        let entry = &mut by_status[i];
        let list = if is_oauth { &mut entry.2 } else { &mut entry.1 };
        if !list.contains(&code) {
            list.push(code);
        }
    }
    by_status.sort_by_key(|(status, ..)| *status);
    by_status
}

fn header(example: &str) -> Value {
    json!({"schema": {"type": "string"}, "example": example})
}

fn content(body: ResponseBody) -> Value {
    match body {
        ResponseBody::Html => json!({"text/html": {"schema": {"type": "string"}}}),
        other => json!({"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{other:?}")}
        }}),
    }
}
