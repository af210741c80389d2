//! Standard OAuth 2.0 clients (issue 17): the token endpoint speaks RFC 6749's form as well as
//! the service's JSON, revocation is RFC 7009's, access tokens carry RFC 9068's `client_id`,
//! and the discovery document names exactly the routes that answer.

use serde_json::{Value, json};
use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::http::{MAX_BODY_BYTES, routes};

use crate::common::{AUDIENCE, ISSUER, Reply, TestApp, event, in_memory_app, paths};

const FORM: &str = "application/x-www-form-urlencoded";

async fn form(app: &TestApp<InMemoryStore>, path: &str, body: &str) -> Reply {
    app.send(&event(
        "POST",
        path,
        json!({"content-type": FORM}),
        Some(body),
        false,
    ))
    .await
}

fn grant(refresh_token: &str) -> String {
    format!("grant_type=refresh_token&refresh_token={refresh_token}")
}

/// An OAuth error answer: `status` and `error`, with a description and no service fields.
fn assert_oauth(reply: &Reply, status: u16, error: &str, why: &str) {
    assert_eq!(reply.status, status, "{why}: {}", reply.text);
    let mut keys: Vec<&str> = reply
        .json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["error", "error_description"], "{why}");
    assert_eq!(reply.json["error"], error, "{why}");
    assert_eq!(reply.headers["cache-control"], "no-store", "{why}");
}

fn token<'a>(body: &'a Value, name: &str) -> &'a str {
    body[name].as_str().expect("a token")
}

#[tokio::test]
async fn a_form_refresh_answers_rfc_6749s_token_response_and_spends_the_token() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;

    let reply = form(
        &app,
        paths::TOKEN,
        &grant(token(&signed_in, "refresh_token")),
    )
    .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    crate::common::assert_token_pair(&reply.json);
    assert_eq!(reply.headers["cache-control"], "no-store");
    assert_eq!(reply.headers["pragma"], "no-cache");
    assert_eq!(app.me(token(&reply.json, "access_token")).await.status, 200);
    let again = form(
        &app,
        paths::TOKEN,
        &grant(token(&signed_in, "refresh_token")),
    )
    .await;
    assert_oauth(&again, 400, "invalid_grant", "the spent token");
    let next = app.refresh(token(&reply.json, "refresh_token")).await;
    assert_eq!(
        next.status, 200,
        "the JSON form continues the same session: {}",
        next.text
    );
}

#[tokio::test]
async fn bad_form_requests_get_rfc_6749s_errors() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let live = token(&signed_in, "refresh_token");
    let session = live.split('.').next().expect("a session id");
    let cases = [
        (
            format!(
                "grant_type=refresh_token&refresh_token={session}.0.{}",
                "A".repeat(43)
            ),
            400,
            "invalid_grant",
            "a forged token",
        ),
        (
            "grant_type=refresh_token&refresh_token=not-a-token".to_owned(),
            400,
            "invalid_grant",
            "no token at all",
        ),
        (
            format!("refresh_token={live}"),
            400,
            "invalid_request",
            "no grant_type",
        ),
        (
            format!("grant_type=password&refresh_token={live}"),
            400,
            "unsupported_grant_type",
            "another grant",
        ),
        (
            "grant_type=refresh_token".to_owned(),
            400,
            "invalid_request",
            "no refresh_token",
        ),
        (
            format!("grant_type=refresh_token&refresh_token={live}&refresh_token={live}"),
            400,
            "invalid_request",
            "a parameter repeated",
        ),
        (
            "grant_type=refresh_token&refresh_token=%ff".to_owned(),
            400,
            "invalid_request",
            "no form",
        ),
        (
            format!("{}&client_id=someone-else", grant(live)),
            401,
            "invalid_client",
            "a foreign client",
        ),
    ];
    for (body, status, error, why) in cases {
        assert_oauth(&form(&app, paths::TOKEN, &body).await, status, error, why);
    }
    let ours = form(
        &app,
        paths::TOKEN,
        &format!("{}&client_id={AUDIENCE}&scope=a&scope=b", grant(live)),
    )
    .await;
    assert_eq!(
        ours.status, 200,
        "our own client_id, a parameter we do not read given twice: {}",
        ours.text
    );
}

#[tokio::test]
async fn the_json_form_keeps_its_contract_and_limits_and_outages_keep_the_service_body() {
    let (app, store) = in_memory_app();

    let json = app.refresh("not-a-token").await;
    assert_eq!((json.status, json.error_code()), (401, "InvalidToken"));
    let large = form(&app, paths::TOKEN, &"a".repeat(MAX_BODY_BYTES + 1)).await;
    assert_eq!((large.status, large.error_code()), (413, "PayloadTooLarge"));
    let signed_in = app.given_session("ada@example.com").await;
    store.fail_next_read(Fault::Unavailable);
    let down = form(
        &app,
        paths::TOKEN,
        &grant(token(&signed_in, "refresh_token")),
    )
    .await;
    assert_eq!(
        (down.status, down.error_code()),
        (503, "ServiceUnavailable")
    );
}

#[tokio::test]
async fn revocation_ends_a_refresh_tokens_session_and_answers_200_for_any_token() {
    let (app, _) = in_memory_app();
    let first = app.given_session("ada@example.com").await;
    let second = app.given_session("ada@example.com").await;

    for (body, why) in [
        (
            format!(
                "token={}&token_type_hint=access_token",
                token(&second, "access_token")
            ),
            "an access token",
        ),
        (
            "token=nothing-of-ours".to_owned(),
            "a token that is none of ours",
        ),
        (
            format!(
                "token={}&client_id={AUDIENCE}",
                token(&first, "refresh_token")
            ),
            "a refresh token",
        ),
        (
            format!("token={}", token(&first, "refresh_token")),
            "the same again",
        ),
    ] {
        let reply = form(&app, paths::REVOKE, &body).await;
        assert_eq!((reply.status, reply.text.as_str()), (200, ""), "{why}");
    }

    assert_eq!(
        app.refresh(token(&first, "refresh_token")).await.status,
        401,
        "its session ended"
    );
    assert_eq!(
        app.refresh(token(&second, "refresh_token")).await.status,
        200,
        "the other lives on"
    );
    assert_eq!(
        app.me(token(&second, "access_token")).await.status,
        200,
        "access tokens run on"
    );
}

#[tokio::test]
async fn a_malformed_revocation_or_a_foreign_client_is_refused_the_oauth_way() {
    let (app, _) = in_memory_app();
    let cases = [
        ("", 400, "invalid_request", "no token"),
        (
            "token=a&token=b",
            400,
            "invalid_request",
            "a parameter repeated",
        ),
        (
            "token=a&client_id=someone-else",
            401,
            "invalid_client",
            "a foreign client",
        ),
    ];
    for (body, status, error, why) in cases {
        assert_oauth(&form(&app, paths::REVOKE, body).await, status, error, why);
    }
    let json = app.post(paths::REVOKE, &json!({"token": "a"})).await;
    assert_oauth(&json, 400, "invalid_request", "a body that is no form");
}

#[tokio::test]
async fn only_the_oauth_routes_take_a_form() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let headers = json!({"content-type": FORM,
        "authorization": format!("Bearer {}", token(&signed_in, "access_token"))});
    for route in routes::<InMemoryStore>() {
        // The admin routes take no body at all (tests/api/admin).
        if route.method != "POST"
            || [paths::TOKEN, paths::REVOKE].contains(&route.path)
            || route.needs_iam()
        {
            continue;
        }
        let body = "email=ada%40example.com&password=x";
        let reply = app
            .send(&event(
                "POST",
                route.path,
                headers.clone(),
                Some(body),
                false,
            ))
            .await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (415, "UnsupportedMediaType"),
            "{}",
            route.path
        );
    }
}

#[tokio::test]
async fn access_tokens_carry_rfc_9068s_client_id() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let payload = token(&signed_in, "access_token")
        .split('.')
        .nth(1)
        .expect("a JWT");
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
            .expect("base64url"),
    )
    .expect("JSON claims");

    assert_eq!(
        claims["client_id"], AUDIENCE,
        "the audience, unless TOKEN_CLIENT_ID says otherwise"
    );
}

#[tokio::test]
async fn the_discovery_document_names_exactly_routes_that_answer() {
    let (app, _) = in_memory_app();

    let document = app.get(paths::OPENID_CONFIGURATION, json!({})).await.json;

    assert_eq!(document["grant_types_supported"], json!(["refresh_token"]));
    for auth in [
        "token_endpoint_auth_methods_supported",
        "revocation_endpoint_auth_methods_supported",
    ] {
        assert_eq!(document[auth], json!(["none"]), "{auth}");
    }
    let table: Vec<(String, String)> = routes::<InMemoryStore>()
        .iter()
        .map(|route| (route.method.to_string(), route.path.to_owned()))
        .collect();
    for (field, method) in [
        ("jwks_uri", "GET"),
        ("token_endpoint", "POST"),
        ("revocation_endpoint", "POST"),
    ] {
        let url = document[field].as_str().expect(field);
        let path = url.strip_prefix(ISSUER).expect("under the issuer");
        assert!(
            table.contains(&(method.to_owned(), path.to_owned())),
            "{field}: {method} {path}"
        );
    }
}
