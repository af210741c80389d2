//! `POST /user/delete/`: with the access token and the password, the account and everything of
//! it go; the address can sign up again; a retry answers the same.

use serde_json::{Value, json};

use crate::common::{PASSWORD, Reply, TestApp, in_memory_app, paths};
use user_service::adapters::in_memory::InMemoryStore;

async fn delete(app: &TestApp<InMemoryStore>, session: &Value, password: &str) -> Reply {
    let access = session["access_token"].as_str().expect("a token");
    app.post_as(paths::DELETE, access, &json!({"password": password}))
        .await
}

#[tokio::test]
async fn deletion_removes_the_account_and_its_sessions_and_frees_the_address() {
    let (app, store) = in_memory_app();
    let phone = app.given_session("ada@example.com").await;
    let laptop = app.given_session("ada@example.com").await;
    app.given_session("grace@example.com").await;

    let reply = delete(&app, &laptop, PASSWORD).await;

    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(reply.text, "");
    for session in [&phone, &laptop] {
        let refresh = session["refresh_token"].as_str().expect("a token");
        assert_eq!(app.refresh(refresh).await.status, 401);
        let access = session["access_token"].as_str().expect("a token");
        assert_eq!(app.me(access).await.status, 401);
    }
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 404);
    assert_eq!(store.accounts().len(), 1, "grace's account only");
    assert_eq!(
        app.sign_up("ada@example.com").await.status,
        200,
        "the address is free"
    );
}

#[tokio::test]
async fn a_retried_deletion_answers_the_same_and_touches_nobody_else() {
    let (app, store) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    assert_eq!(delete(&app, &session, PASSWORD).await.status, 204);
    app.given_active_user("ada@example.com").await;
    let commits = store.commits();

    let retry = delete(&app, &session, PASSWORD).await;

    assert_eq!(retry.status, 204, "{}", retry.text);
    assert_eq!(
        store.commits(),
        commits,
        "the new account at the address is not the token's"
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn refusals_delete_nothing() {
    let (app, store) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let commits = store.commits();

    let wrong = delete(&app, &session, "not the password").await;
    let no_token = delete(&app, &json!({"access_token": "nope"}), PASSWORD).await;

    assert_eq!(
        (wrong.status, wrong.error_code()),
        (401, "InvalidCredentials")
    );
    assert_eq!(
        (no_token.status, no_token.error_code()),
        (401, "InvalidToken")
    );
    assert_eq!(
        store.commits(),
        commits + 1,
        "only the failed check is counted"
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
}
