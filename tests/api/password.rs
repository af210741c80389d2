//! `POST /user/password/`: a new password needs the access token and the current password, ends
//! every other session, and hands the caller a fresh pair.

use serde_json::{Value, json};

use crate::common::{PASSWORD, TestApp, assert_token_pair, in_memory_app, paths};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::http::BEARER_CHALLENGE;

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn change(
    app: &TestApp<InMemoryStore>,
    access: &str,
    current: &str,
    new: &str,
) -> crate::common::Reply {
    let body = json!({"current_password": current, "new_password": new});
    app.post_as(paths::PASSWORD, access, &body).await
}

fn token<'a>(body: &'a Value, name: &str) -> &'a str {
    body[name].as_str().expect("a token")
}

#[tokio::test]
async fn a_new_password_replaces_the_old_one_at_once_and_ends_every_other_session() {
    let (app, _) = in_memory_app();
    let phone = app.given_session("ada@example.com").await;
    let laptop = app.given_session("ada@example.com").await;

    let reply = change(&app, token(&laptop, "access_token"), PASSWORD, NEW_PASSWORD).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_token_pair(&reply.json);
    for old in [&phone, &laptop] {
        assert_eq!(
            app.refresh(token(old, "refresh_token")).await.status,
            401,
            "an old session"
        );
    }
    assert_eq!(
        app.refresh(token(&reply.json, "refresh_token"))
            .await
            .status,
        200,
        "the new one"
    );
    assert_eq!(app.me(token(&reply.json, "access_token")).await.status, 200);
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 401);
    assert_eq!(
        app.sign_in("ada@example.com", NEW_PASSWORD).await.status,
        200
    );
}

#[tokio::test]
async fn a_wrong_current_password_is_401_and_changes_nothing() {
    let (app, store) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let commits = store.commits();

    let reply = change(
        &app,
        token(&session, "access_token"),
        "not the password",
        NEW_PASSWORD,
    )
    .await;

    assert_eq!(reply.status, 401);
    assert_eq!(reply.error_code(), "InvalidCredentials");
    assert_eq!(
        store.commits(),
        commits + 1,
        "only the failed check is counted"
    );
    assert_eq!(
        app.refresh(token(&session, "refresh_token")).await.status,
        200
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn an_invalid_new_password_is_a_validation_error_naming_it() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;

    let reply = change(&app, token(&session, "access_token"), PASSWORD, "short").await;

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json["detail"]["new_password"],
        "must be at least 8 characters"
    );
}

#[tokio::test]
async fn without_a_valid_token_of_an_active_account_it_is_401_invalid_token() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let access = token(&session, "access_token").to_owned();
    let refused = change(&app, "not-a-token", PASSWORD, NEW_PASSWORD).await;
    app.deactivate("ada@example.com", PASSWORD).await;
    let inactive = change(&app, &access, PASSWORD, NEW_PASSWORD).await;

    for reply in [refused, inactive] {
        assert_eq!(reply.status, 401, "{}", reply.text);
        assert_eq!(reply.error_code(), "InvalidToken");
        assert_eq!(reply.headers["www-authenticate"], BEARER_CHALLENGE);
    }
}
