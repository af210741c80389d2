//! Hostile and broken requests: each must get its 4xx and the error body, never a 5xx or a
//! panic, on every endpoint.

use base64::Engine as _;
use serde_json::{Value, json};

use lambda_http::http::Method;
use user_service::adapters::in_memory::InMemoryStore;
use user_service::http::routes;

use crate::common::{event, in_memory_app, paths};

/// Every endpoint taking a JSON body, and whether it takes a bearer token too.
fn endpoints() -> Vec<(&'static str, bool)> {
    routes::<InMemoryStore>()
        .iter()
        // Revocation takes OAuth's form only, answered OAuth's way (tests/api/oauth.rs); the
        // admin routes take no body, and refuse anything without an IAM principal first
        // (tests/api/admin).
        .filter(|route| route.method == Method::POST && route.path != paths::REVOKE)
        .filter(|route| !route.needs_iam())
        .map(|route| (route.path, route.needs_bearer()))
        .collect()
}

/// A password that must never be echoed back.
const SECRET: &str = "S3cret-in-body!";

enum Body {
    Text(String),
    /// Sent base64-encoded, as API Gateway does for binary payloads.
    Bytes(Vec<u8>),
}

struct Case {
    why: &'static str,
    body: Body,
    content_type: Option<&'static str>,
    status: u16,
    code: &'static str,
}

fn case(why: &'static str, body: impl Into<String>, status: u16, code: &'static str) -> Case {
    Case {
        why,
        body: Body::Text(body.into()),
        content_type: Some("application/json"),
        status,
        code,
    }
}

fn all_fields(value: Value) -> String {
    json!({"name": value, "surname": value, "email": value, "password": value}).to_string()
}

fn cases() -> Vec<Case> {
    let valid =
        json!({"name": "Ada", "surname": "L", "email": "ada@example.com", "password": SECRET});
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let mut invalid_utf8 = br#"{"email":""#.to_vec();
    invalid_utf8.extend([0xff, 0xfe, b'@', b'x', b'.', b'c', b'o']);
    invalid_utf8.extend(format!(r#"","password":"{SECRET}"}}"#).as_bytes());
    vec![
        case(
            "truncated JSON",
            format!(r#"{{"email": "a@b.co", "password": "{SECRET}""#),
            400,
            "MalformedRequest",
        ),
        case(
            "single quotes",
            "{'email': 'a@b.co'}",
            400,
            "MalformedRequest",
        ),
        case(
            "trailing garbage",
            format!("{valid} x"),
            400,
            "MalformedRequest",
        ),
        case(
            "two objects",
            format!("{valid}{valid}"),
            400,
            "MalformedRequest",
        ),
        case("an array", format!("[{valid}]"), 400, "MalformedRequest"),
        case("a string", format!("\"{SECRET}\""), 400, "MalformedRequest"),
        case("a number", "42", 400, "MalformedRequest"),
        case("null", "null", 400, "MalformedRequest"),
        case("empty body", "", 400, "MalformedRequest"),
        case("only whitespace", " \n\t ", 400, "MalformedRequest"),
        case(
            "byte order mark",
            format!("\u{feff}{valid}"),
            400,
            "MalformedRequest",
        ),
        case("missing fields", "{}", 400, "ValidationError"),
        case(
            "numbers for strings",
            all_fields(json!(12345678)),
            400,
            "ValidationError",
        ),
        case(
            "objects for strings",
            all_fields(json!({"$ne": null})),
            400,
            "ValidationError",
        ),
        case(
            "nulls for strings",
            all_fields(Value::Null),
            400,
            "ValidationError",
        ),
        case(
            "booleans for strings",
            all_fields(json!(true)),
            400,
            "ValidationError",
        ),
        case(
            "duplicate keys",
            format!(
                r#"{{"email":"a@b.co","email":"c@d.co","password":"{SECRET}","name":"A","surname":"B"}}"#
            ),
            400,
            "MalformedRequest",
        ),
        case(
            "deep nesting",
            format!(r#"{{"email": {}}}"#, nested(5000)),
            400,
            "MalformedRequest",
        ),
        case(
            "nesting past the limit in an unknown key",
            format!(r#"{{"x": {}}}"#, nested(200)),
            400,
            "MalformedRequest",
        ),
        case(
            "escaped NUL in every field",
            all_fields(json!("ada\u{0}@example.com")),
            400,
            "ValidationError",
        ),
        case(
            "raw NUL inside a string",
            "{\"email\":\"ada\0@example.com\"}",
            400,
            "MalformedRequest",
        ),
        case(
            "lone surrogate escape",
            r#"{"email":"\ud800@example.com"}"#,
            400,
            "MalformedRequest",
        ),
        case(
            "e-mail of 300 characters",
            all_fields(json!(format!("{}@example.com", "a".repeat(288)))),
            400,
            "ValidationError",
        ),
        case(
            "password of 257 characters",
            all_fields(json!("p".repeat(257))),
            400,
            "ValidationError",
        ),
        case(
            "body over 16 KiB",
            format!(
                r#"{{"email":"a@b.co","password":"{SECRET}","pad":"{}"}}"#,
                "x".repeat(16 * 1024)
            ),
            413,
            "PayloadTooLarge",
        ),
        Case {
            content_type: Some("text/plain"),
            ..case("text/plain", valid.to_string(), 415, "UnsupportedMediaType")
        },
        Case {
            content_type: Some("application/x-www-form-urlencoded"),
            ..case(
                "a form",
                format!("email=a%40b.co&password={SECRET}"),
                415,
                "UnsupportedMediaType",
            )
        },
        Case {
            body: Body::Bytes(invalid_utf8),
            ..case("invalid UTF-8", "", 400, "MalformedRequest")
        },
    ]
}

#[tokio::test]
async fn every_bad_request_gets_its_4xx_and_an_error_body_on_every_endpoint() {
    let (app, store) = in_memory_app();
    let session = app.given_session("bearer@example.com").await;
    let bearer = format!(
        "Bearer {}",
        session["access_token"].as_str().expect("a token")
    );
    let commits = store.commits();
    for (path, needs_bearer) in endpoints() {
        for case in cases() {
            if case.why == "a form" && path == paths::TOKEN {
                // The token endpoint also speaks OAuth's form (tests/api/oauth.rs).
                continue;
            }
            let password_only = [
                "/user/delete/",
                "/user/mfa/totp/",
                "/user/mfa/recovery-codes/",
                "/user/mfa/totp/disable/",
            ];
            if case.why == "escaped NUL in every field" && password_only.contains(&path) {
                // Their one field is the current password, which takes any characters, as
                // sign-in's does: there it is simply a wrong password (401, tested elsewhere).
                continue;
            }
            let mut headers = match case.content_type {
                Some(content_type) => json!({"content-type": content_type}),
                None => json!({}),
            };
            if needs_bearer {
                headers["authorization"] = json!(bearer);
            }
            let (body, base64) = match &case.body {
                Body::Text(text) => (text.clone(), false),
                Body::Bytes(bytes) => (base64_encode(bytes), true),
            };
            let reply = app
                .send(&event("POST", path, headers, Some(&body), base64))
                .await;

            let context = format!("POST {path} with {}: {}", case.why, reply.text);
            assert_eq!(reply.status, case.status, "{context}");
            assert_eq!(reply.error_code(), case.code, "{context}");
            assert_eq!(reply.json["status_code"], case.status, "{context}");
            let detail = &reply.json["detail"];
            let detail_ok = match case.code {
                "ValidationError" => detail.as_object().is_some_and(|fields| !fields.is_empty()),
                _ => detail.as_str().is_some_and(|text| !text.is_empty()),
            };
            assert!(detail_ok, "{context}");
            assert_eq!(
                reply.headers["content-type"], "application/json",
                "{context}"
            );
            assert!(
                !reply.text.contains(SECRET),
                "{context}: the password was echoed"
            );
        }
    }
    assert_eq!(commits, store.commits(), "no bad request wrote anything");
}

#[tokio::test]
async fn validation_errors_name_every_offending_field() {
    let (app, _) = in_memory_app();
    let body = json!({"name": " ", "surname": 3, "email": "nope", "password": "short"});

    let reply = app.post(paths::SIGN_UP, &body).await;

    assert_eq!(
        reply.json,
        json!({"status_code": 400, "error": "ValidationError", "detail": {
            "name": "must not be empty",
            "surname": "must be a string",
            "email": "must be a valid e-mail address",
            "password": "must be at least 8 characters",
        }})
    );
}

#[tokio::test]
async fn a_base64_body_typed_as_json_is_decoded() {
    let (app, _) = in_memory_app();
    let body =
        json!({"name": "Ada", "surname": "L", "email": "bob@example.com", "password": SECRET});
    let encoded = base64_encode(body.to_string().as_bytes());
    let headers = json!({"content-type": "application/json"});

    let base64 = app
        .send(&event("POST", "/user", headers, Some(&encoded), true))
        .await;

    assert_eq!(base64.status, 200, "{}", base64.text);
    assert_eq!(base64.json["email"], "bob@example.com");
}

/// Standard base64, as API Gateway encodes bodies.
fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
