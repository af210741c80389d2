//! The API's description, OpenAPI 3.1, built once per cold start from the route table: each
//! route's [`Operation`] says what it takes and answers and which refusals it can meet, its
//! handler kind says whether it needs a bearer token, the request schemas come from the
//! endpoint modules (written from the parsers' own limits) and the response schemas from the
//! response types (utoipa). Nothing here is a hand-kept copy of a route.

use serde_json::{Map, Value, json};

use super::endpoint::{Operation, ResponseBody, Route, Tag};
use super::error::told;
use super::schemas::{self, Schemas};
use crate::domain::PasswordPolicy;
use crate::service::{Refusal, SCOPE};

/// The document for `routes`, whose tokens are issued by `issuer` and whose new passwords
/// follow `policy`.
pub(super) fn document<S>(routes: &[Route<S>], issuer: &str, policy: &PasswordPolicy) -> Value {
    let fields = Schemas::new(*policy);
    let mut schemas = match schemas::responses(issuer) {
        Value::Object(responses) => responses,
        _ => Map::new(),
    };
    let mut paths = Map::new();
    for route in routes {
        if let Some(body) = &route.operation.request {
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
    for (status, codes) in error_statuses(route) {
        let mut response = json!({
            "description": codes.join(", "),
            "content": {"application/json": {"schema": {
                "allOf": [
                    {"$ref": "#/components/schemas/Error"},
                    {"properties": {"status_code": {"const": status}, "error": {"enum": codes}}},
                ],
            }}},
        });
        match status {
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
    if let Some(body) = &op.request {
        operation["requestBody"] = json!({"required": true, "content": {"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{}", body.schema)}
        }}});
    }
    if route.needs_bearer() {
        operation["security"] = json!([{"bearer": []}]);
    } else if route.takes_bearer() {
        operation["security"] = json!([{}, {"bearer": []}]);
    }
    operation
}

/// The error codes `route` can answer with, by status in status order, each status's codes in
/// the order: the body's, the token's, the use case's refusals, the service's.
fn error_statuses<S>(route: &Route<S>) -> Vec<(u16, Vec<&'static str>)> {
    let op = route.operation;
    let mut codes: Vec<(u16, &'static str)> = Vec::new();
    if op.request.is_some() {
        codes.extend([
            (400, "MalformedRequest"),
            (400, "ValidationError"),
            (413, "PayloadTooLarge"),
            (415, "UnsupportedMediaType"),
        ]);
    }
    let bearer = route.takes_bearer().then_some(Refusal::InvalidAccessToken);
    for refusal in bearer.iter().chain(op.refusals) {
        let (status, code, _) = told(*refusal);
        codes.push((status.as_u16(), code));
    }
    if op.uses_store {
        codes.push((503, "ServiceUnavailable"));
    }
    codes.push((500, "InternalError"));
    let mut by_status: Vec<(u16, Vec<&'static str>)> = Vec::new();
    for (status, code) in codes {
        match by_status.iter_mut().find(|(s, _)| *s == status) {
            Some((_, list)) if list.contains(&code) => {}
            Some((_, list)) => list.push(code),
            None => by_status.push((status, vec![code])),
        }
    }
    by_status.sort_by_key(|(status, _)| *status);
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
