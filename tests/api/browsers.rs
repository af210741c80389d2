//! What a web page can make its visitors' browsers send (issue 16): no request a browser may
//! send cross-site without a preflight (a "CORS-simple" one: no `Content-Type`, or
//! `text/plain`, form types) reaches a password check, and the docs page is served so that
//! nothing but the pinned viewer runs on the accounts origin, in no frame.

use base64::Engine as _;
use serde_json::json;

use crate::common::{PASSWORD, credentials, event, in_memory_app, paths};

#[tokio::test]
async fn a_body_without_a_json_content_type_is_415_before_any_password_is_checked() {
    let (app, store) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    let body = credentials("ada@example.com", "a guess from a web page").to_string();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&body);
    let commits = store.commits();
    let cases = [
        (
            json!({}),
            Some(body.as_str()),
            false,
            "no Content-Type (fetch with a string body)",
        ),
        (
            json!({}),
            Some(encoded.as_str()),
            true,
            "no Content-Type, base64 from API Gateway",
        ),
        (
            json!({"content-type": "text/plain"}),
            Some(body.as_str()),
            false,
            "text/plain",
        ),
        (
            json!({"content-type": "text/plain;charset=UTF-8"}),
            Some(body.as_str()),
            false,
            "text/plain with a charset",
        ),
        (
            json!({"content-type": "multipart/form-data; boundary=x"}),
            Some(body.as_str()),
            false,
            "a form",
        ),
    ];
    for path in [paths::SIGN_IN, paths::ACTIVATE, paths::DEACTIVATE] {
        for (headers, body, base64, why) in &cases {
            let reply = app
                .send(&event("POST", path, headers.clone(), *body, *base64))
                .await;
            assert_eq!(reply.status, 415, "{path}, {why}: {}", reply.text);
            assert_eq!(reply.error_code(), "UnsupportedMediaType", "{path}, {why}");
        }
    }
    assert_eq!(
        store.commits(),
        commits,
        "not one password check was even counted"
    );
    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.status,
        200,
        "no lock"
    );
}

#[tokio::test]
async fn an_empty_untyped_body_is_a_400_where_a_body_is_needed_and_fine_where_none_is() {
    let (app, _) = in_memory_app();

    let empty = app
        .send(&event("POST", paths::SIGN_IN, json!({}), None, false))
        .await;
    let document = app
        .send(&event("GET", paths::JWKS, json!({}), None, false))
        .await;

    assert_eq!(
        (empty.status, empty.error_code()),
        (400, "MalformedRequest"),
        "{}",
        empty.text
    );
    assert_eq!(document.status, 200);
}

#[tokio::test]
async fn every_response_forbids_sniffing_its_type() {
    let (app, _) = in_memory_app();
    let replies = [
        app.get(paths::DOCS, json!({})).await,
        app.get(paths::OPENAPI, json!({})).await,
        app.get("/nowhere", json!({})).await,
        app.sign_in("nobody@example.com", PASSWORD).await,
        app.sign_up("ada@example.com").await,
    ];
    for reply in replies {
        assert_eq!(
            reply.headers["x-content-type-options"], "nosniff",
            "{}",
            reply.status
        );
    }
}

#[tokio::test]
async fn the_docs_page_runs_only_the_pinned_viewer_and_in_no_frame() {
    let (app, _) = in_memory_app();

    let reply = app.get(paths::DOCS, json!({})).await;

    let policy = reply.headers["content-security-policy"]
        .to_str()
        .expect("ASCII");
    let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
    assert!(directives.contains(&"default-src 'none'"), "{policy}");
    assert!(directives.contains(&"frame-ancestors 'none'"), "{policy}");
    let scripts = directives
        .iter()
        .find(|d| d.starts_with("script-src "))
        .expect("a script-src");
    let integrity = reply
        .text
        .split("integrity=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the viewer's integrity");
    assert_eq!(
        *scripts,
        format!("script-src '{integrity}'"),
        "the viewer, by its hash only"
    );
}
