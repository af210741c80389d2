//! Refresh tokens through the API: rotation, reuse within and after the grace window,
//! concurrent refreshes, sign-out, sign-out everywhere, deactivation and expiry.

use serde_json::{Value, json};

use crate::common::{
    PASSWORD, REFRESH_TTL, REUSE_GRACE, TestApp, assert_token_pair, in_memory_app,
};
use user_service::adapters::in_memory::InMemoryStore;

fn refresh_token(body: &Value) -> &str {
    body["refresh_token"].as_str().expect("a refresh token")
}

fn access_token(body: &Value) -> &str {
    body["access_token"].as_str().expect("an access token")
}

async fn assert_refused(app: &TestApp<InMemoryStore>, token: &str, why: &str) {
    let reply = app.refresh(token).await;
    assert_eq!(reply.status, 401, "{why}: {}", reply.text);
    assert_eq!(reply.error_code(), "InvalidToken", "{why}");
}

#[tokio::test]
async fn a_refresh_answers_a_new_pair_and_spends_the_token_presented() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;

    let reply = app.refresh(refresh_token(&signed_in)).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_token_pair(&reply.json);
    assert_eq!(reply.json["token_type"], "Bearer");
    assert_ne!(refresh_token(&reply.json), refresh_token(&signed_in));
    assert_eq!(app.me(access_token(&reply.json)).await.status, 200);
    let next = app.refresh(refresh_token(&reply.json)).await;
    assert_eq!(
        next.status, 200,
        "the new token refreshes in turn: {}",
        next.text
    );
}

#[tokio::test]
async fn a_spent_token_within_the_grace_window_is_refused_and_changes_nothing() {
    let (app, _) = in_memory_app();
    let first = app.given_session("ada@example.com").await;
    let second = app.refresh(refresh_token(&first)).await.json;

    app.clock.advance(REUSE_GRACE);
    assert_refused(&app, refresh_token(&first), "spent, within grace").await;

    let third = app.refresh(refresh_token(&second)).await;
    assert_eq!(third.status, 200, "the session lives on: {}", third.text);
}

#[tokio::test]
async fn a_spent_token_after_the_grace_window_revokes_the_whole_family() {
    let (app, _) = in_memory_app();
    let first = app.given_session("ada@example.com").await;
    let second = app.refresh(refresh_token(&first)).await.json;

    app.clock.advance(REUSE_GRACE + 1);
    assert_refused(&app, refresh_token(&first), "spent, after grace").await;

    assert_refused(&app, refresh_token(&second), "the token that replaced it").await;
    let other = app.given_session("ada@example.com").await;
    assert_eq!(
        app.refresh(refresh_token(&other)).await.status,
        200,
        "another sign-in is another family"
    );
}

#[tokio::test]
async fn of_two_concurrent_refreshes_with_one_token_exactly_one_succeeds() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let token = refresh_token(&signed_in);

    let (a, b) = tokio::join!(app.refresh(token), app.refresh(token));

    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 401], "{} / {}", a.text, b.text);
}

#[tokio::test]
async fn a_refresh_token_expires_after_its_lifetime() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;

    app.clock.advance(REFRESH_TTL);

    assert_refused(&app, refresh_token(&signed_in), "expired").await;
}

#[tokio::test]
async fn each_rotation_gives_the_new_token_a_full_lifetime() {
    let (app, _) = in_memory_app();
    let first = app.given_session("ada@example.com").await;
    app.clock.advance(REFRESH_TTL - 1);
    let second = app.refresh(refresh_token(&first)).await;
    assert_eq!(second.status, 200, "{}", second.text);

    app.clock.advance(REFRESH_TTL - 1);

    assert_eq!(app.refresh(refresh_token(&second.json)).await.status, 200);
}

#[tokio::test]
async fn sign_out_ends_that_session_only() {
    let (app, _) = in_memory_app();
    let phone = app.given_session("ada@example.com").await;
    let laptop = app.given_session("ada@example.com").await;

    let reply = app.sign_out(refresh_token(&phone), false).await;

    assert_eq!(reply.status, 204);
    assert_eq!(reply.text, "", "no body");
    assert_refused(&app, refresh_token(&phone), "signed out").await;
    assert_eq!(app.refresh(refresh_token(&laptop)).await.status, 200);
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_account_only() {
    let (app, _) = in_memory_app();
    let phone = app.given_session("ada@example.com").await;
    let laptop = app.given_session("ada@example.com").await;
    let grace = app.given_session("grace@example.com").await;

    let reply = app.sign_out(refresh_token(&phone), true).await;

    assert_eq!(reply.status, 204);
    assert_refused(&app, refresh_token(&phone), "signed out everywhere").await;
    assert_refused(&app, refresh_token(&laptop), "signed out everywhere").await;
    assert_eq!(app.refresh(refresh_token(&grace)).await.status, 200);
    let again = app.given_session("ada@example.com").await;
    assert_eq!(
        app.refresh(refresh_token(&again)).await.status,
        200,
        "signing in again starts a valid session"
    );
}

#[tokio::test]
async fn plain_sign_out_is_quiet_about_dead_tokens_and_everywhere_refuses_them() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let token = refresh_token(&signed_in);
    let session = token.split('.').next().expect("a session id");
    let forged = format!("{session}.0.{}", "A".repeat(43));

    let cases = [
        (token, false, 204, "signs the session out"),
        (token, false, 204, "again: idempotent"),
        (
            token,
            true,
            401,
            "everywhere, with a revoked session's token",
        ),
        (forged.as_str(), false, 204, "a forgery, plain"),
        (forged.as_str(), true, 401, "a forgery, everywhere"),
        ("not-a-token", false, 204, "no token at all, plain"),
        ("not-a-token", true, 401, "no token at all, everywhere"),
        ("", true, 401, "empty, everywhere"),
    ];
    for (token, everywhere, status, why) in cases {
        let reply = app.sign_out(token, everywhere).await;
        assert_eq!(reply.status, status, "{why}: {}", reply.text);
        if status == 401 {
            assert_eq!(reply.error_code(), "InvalidToken", "{why}");
        }
    }
}

#[tokio::test]
async fn a_forged_secret_for_a_real_session_signs_nobody_out() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let token = refresh_token(&signed_in);
    let (session, _) = token.split_once('.').expect("two parts");

    app.sign_out(&format!("{session}.0.{}", "A".repeat(43)), true)
        .await;

    assert_eq!(app.refresh(token).await.status, 200);
}

#[tokio::test]
async fn deactivation_ends_every_session_even_after_reactivation() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;

    app.deactivate("ada@example.com", PASSWORD).await;
    assert_refused(&app, refresh_token(&signed_in), "deactivated").await;
    assert_eq!(app.me(access_token(&signed_in)).await.status, 401);

    app.activate("ada@example.com", PASSWORD).await;
    assert_refused(&app, refresh_token(&signed_in), "reactivated").await;
}

#[tokio::test]
async fn refresh_bodies_without_a_token_string_are_validation_errors() {
    let (app, _) = in_memory_app();
    let cases = [
        (json!({}), "is required"),
        (json!({"refresh_token": 7}), "must be a string"),
    ];
    for (body, reason) in cases {
        let reply = app.post(crate::common::paths::TOKEN, &body).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.json["detail"]["refresh_token"], reason, "{body}");
    }
}

#[tokio::test]
async fn tokens_that_are_no_refresh_token_of_ours_are_401() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let token = refresh_token(&signed_in);
    let (session, secret) = token.split_once('.').expect("two parts");
    let unknown_session = format!("{}.{secret}", uuid_like());
    let cases = [
        ("", "empty"),
        ("garbage", "not a token"),
        (access_token(&signed_in), "an access token"),
        (&unknown_session, "unknown session"),
        (&format!("{session}.0.{}", "A".repeat(43)), "wrong secret"),
    ];
    for (token, why) in cases {
        assert_refused(&app, token, why).await;
    }
}

fn uuid_like() -> &'static str {
    "00000000-0000-4000-8000-000000000000"
}
