//! The API's description, OpenAPI 3.1, built once per cold start from the route table: each
//! route's [`Operation`] says what it takes and answers, the response schemas are derived from
//! the response types themselves (utoipa), and the request schemas state the limits the
//! parsers enforce, from the same constants. Nothing here is a hand-kept copy of a route.

use serde_json::{Map, Value, json};
use utoipa::PartialSchema;

use super::error::{ERROR_CODES, ErrorBody};
use super::operations::{Body, Operation};
use super::response::{SignedInView, TokenView, UserView};
use super::routes::Route;
use crate::domain::{Email, Password, PasswordPolicy, PersonName};
use crate::service::SCOPE;

/// The document for `routes`, whose tokens are issued by `issuer` and whose new passwords
/// follow `policy`.
pub fn document<S>(routes: &[Route<S>], issuer: &str, policy: &PasswordPolicy) -> Value {
    let mut paths = Map::new();
    for route in routes {
        let item = paths
            .entry(route.path)
            .or_insert_with(|| json!({}))
            .as_object_mut();
        if let Some(item) = item {
            item.insert(
                route.method.as_str().to_ascii_lowercase(),
                operation(route.operation),
            );
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "user-service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "User accounts: sign-up, activation, sign-in with RS256 access tokens \
                and rotating refresh tokens, deactivation. Every route also answers without its \
                trailing slash. Errors are `{status_code, detail, error}`; branch on `error`.",
        },
        "servers": [{"url": issuer}],
        "paths": paths,
        "components": {
            "schemas": schemas(policy),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": format!("An access token from sign-in or refresh; scope `{SCOPE}`.")},
            },
        },
    })
}

fn operation(op: &Operation) -> Value {
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
    for (status, codes) in error_statuses(op) {
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
            401 if op.bearer => {
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
        "responses": responses,
    });
    if let Some(body) = op.request {
        operation["requestBody"] = json!({"required": true, "content": content(body)});
    }
    if op.bearer {
        operation["security"] = json!([{"bearer": []}]);
    }
    operation
}

/// The error codes `op` can answer with, by status, in status order.
fn error_statuses(op: &Operation) -> Vec<(u16, Vec<&'static str>)> {
    let mut codes: Vec<&'static str> = op.errors.to_vec();
    if op.request.is_some() {
        codes.extend([
            "MalformedRequest",
            "ValidationError",
            "PayloadTooLarge",
            "UnsupportedMediaType",
        ]);
    }
    if op.uses_store {
        codes.push("ServiceUnavailable");
    }
    codes.push("InternalError");
    let mut by_status: Vec<(u16, Vec<&'static str>)> = Vec::new();
    for (code, status) in ERROR_CODES {
        if codes.contains(&code) {
            match by_status.iter_mut().find(|(s, _)| *s == status) {
                Some((_, list)) => list.push(code),
                None => by_status.push((status, vec![code])),
            }
        }
    }
    by_status.sort_by_key(|(status, _)| *status);
    by_status
}

fn header(example: &str) -> Value {
    json!({"schema": {"type": "string"}, "example": example})
}

fn content(body: Body) -> Value {
    match body {
        Body::Html => json!({"text/html": {"schema": {"type": "string"}}}),
        other => json!({"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{other:?}")}
        }}),
    }
}

/// An address of the shape `Email::parse` accepts: a dot-atom local part of at most
/// [`Email::MAX_LOCAL_CHARS`], and a domain of at least two labels whose last is not all digits.
fn email_pattern() -> String {
    let atom = r#"[^\s"(),:;<>@\[\\\].\u0000-\u001F\u007F-\u009F]+"#;
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    format!(
        r"^(?=[^@]{{1,{max}}}@){atom}(?:\.{atom})*@(?:{label}\.)+(?=[A-Za-z0-9-]*[A-Za-z-]){label}$",
        max = Email::MAX_LOCAL_CHARS
    )
}

/// No control characters (Unicode Cc), which no text field accepts.
const NO_CONTROL: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// A string the parsers take, trimmed, of 1 to `max` characters, not all white space.
fn text(max: usize, description: &str) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max,
           "pattern": r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$",
           "description": description})
}

fn schemas(policy: &PasswordPolicy) -> Value {
    let derived = |schema: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
        serde_json::to_value(schema).unwrap_or(Value::Null)
    };
    let name = text(
        PersonName::MAX_CHARS,
        "Trimmed, NFC; no control or invisible characters.",
    );
    let email = json!({"type": "string", "format": "email", "maxLength": Email::MAX_CHARS,
        "pattern": email_pattern(),
        "description": "Trimmed, lower-cased, NFC, IDNA domain; unique in that form. The pattern \
            shows the ASCII forms; Unicode domains are accepted too."});
    let new_password = json!({"type": "string", "minLength": policy.min_chars(),
        "maxLength": Password::MAX_CHARS, "format": "password", "pattern": NO_CONTROL,
        "description": "Never trimmed; no control characters."});
    let password = json!({"type": "string", "minLength": 1, "maxLength": Password::MAX_CHARS,
        "format": "password", "pattern": NO_CONTROL});
    let token = json!({"type": "string", "description": "A refresh token, as issued."});
    json!({
        "SignUp": {"type": "object", "required": ["name", "surname", "email", "password"],
            "properties": {"name": name, "surname": name, "email": email, "password": new_password}},
        "Credentials": {"type": "object", "required": ["email", "password"],
            "properties": {"email": email, "password": password}},
        "ChangePassword": {"type": "object", "required": ["current_password", "new_password"],
            "properties": {"current_password": password, "new_password": new_password}},
        "ChangeEmail": {"type": "object", "required": ["password", "new_email"],
            "properties": {"password": password, "new_email": email}},
        "DeleteAccount": {"type": "object", "required": ["password"],
            "properties": {"password": password}},
        "RefreshToken": {"type": "object", "required": ["refresh_token"],
            "properties": {"refresh_token": token}},
        "SignOut": {"type": "object", "required": ["refresh_token"],
            "properties": {"refresh_token": token, "everywhere": {"type": ["boolean", "null"],
                "description": "End every session of the account, not only this one."}}},
        "Account": derived(UserView::schema()),
        "TokenPair": derived(TokenView::schema()),
        "SignedIn": derived(SignedInView::schema()),
        "Error": derived(ErrorBody::schema()),
        "Jwks": {"type": "object", "required": ["keys"], "properties": {"keys": {"type": "array",
            "items": {"type": "object", "required": ["kty", "kid", "use", "alg", "n", "e"],
                "properties": {"kty": {"const": "RSA"}, "kid": {"type": "string"},
                    "use": {"const": "sig"}, "alg": {"const": "RS256"},
                    "n": {"type": "string"}, "e": {"type": "string"}}}}}},
        "OpenIdConfiguration": {"type": "object",
            "required": ["issuer", "jwks_uri", "id_token_signing_alg_values_supported"],
            "properties": {"issuer": {"type": "string", "format": "uri"},
                "jwks_uri": {"type": "string", "format": "uri"},
                "id_token_signing_alg_values_supported": {"type": "array",
                    "items": {"const": "RS256"}}}},
        "OpenApi": {"type": "object", "description": "An OpenAPI 3.1 document."},
    })
}
