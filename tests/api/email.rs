//! `POST /user/email/`: moving an account to another address needs the access token and the
//! password; the old address is free at once, a taken one is a 409 that changes nothing.

use serde_json::{Value, json};

use crate::common::{PASSWORD, Reply, TestApp, in_memory_app, paths};
use user_service::adapters::in_memory::InMemoryStore;

async fn move_to(app: &TestApp<InMemoryStore>, session: &Value, password: &str, to: &str) -> Reply {
    let access = session["access_token"].as_str().expect("a token");
    let body = json!({"password": password, "new_email": to});
    app.post_as(paths::EMAIL, access, &body).await
}

#[tokio::test]
async fn the_account_moves_and_the_old_address_is_free_at_once() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;

    let reply = move_to(&app, &session, PASSWORD, " Countess@Example.com").await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"id": session["id"], "name": "Ada", "surname": "Lovelace",
               "email": "countess@example.com", "active": true, "email_verified": false})
    );
    assert_eq!(
        app.sign_in("countess@example.com", PASSWORD).await.status,
        200
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 404);
    assert_eq!(
        app.sign_up("ada@example.com").await.status,
        200,
        "free for a new sign-up"
    );
    let refresh = session["refresh_token"].as_str().expect("a token");
    assert_eq!(
        app.refresh(refresh).await.status,
        401,
        "the move ended the sessions"
    );
}

#[tokio::test]
async fn a_taken_address_is_409_and_leaves_both_accounts_untouched() {
    let (app, store) = in_memory_app();
    let ada = app.given_session("ada@example.com").await;
    app.given_active_user("grace@example.com").await;
    let before = store.accounts().len();
    let commits = store.commits();

    let reply = move_to(&app, &ada, PASSWORD, "grace@example.com").await;

    assert_eq!(reply.status, 409);
    assert_eq!(reply.error_code(), "EmailTaken");
    assert_eq!(
        (store.accounts().len(), store.commits()),
        (before, commits + 2),
        "nothing moved: the only writes are the password check's count and its clearing"
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
    assert_eq!(
        app.me(ada["access_token"].as_str().expect("token"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn refusals_change_nothing() {
    let (app, store) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let commits = store.commits();
    let cases = [
        (
            "not the password",
            "countess@example.com",
            401,
            "InvalidCredentials",
        ),
        (PASSWORD, "not-an-address", 400, "ValidationError"),
    ];
    for (password, to, status, code) in cases {
        let reply = move_to(&app, &session, password, to).await;
        assert_eq!((reply.status, reply.error_code()), (status, code), "{to}");
    }
    let unchanged = move_to(&app, &session, PASSWORD, "ADA@example.com").await;
    assert_eq!(unchanged.status, 200, "its own address: nothing to move");
    assert_eq!(
        store.commits(),
        commits + 3,
        "each of the three password checks counted before it ran, the right one cleared; \
         nothing moved (the invalid address was refused before any check)"
    );
    let stranger = json!({"access_token": "not-a-token"});
    let refused = move_to(&app, &stranger, PASSWORD, "x@example.com").await;
    assert_eq!(
        (refused.status, refused.error_code()),
        (401, "InvalidToken")
    );
}

#[tokio::test]
async fn the_token_of_a_deactivated_account_moves_nothing() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    app.deactivate("ada@example.com", PASSWORD).await;

    let reply = move_to(&app, &session, PASSWORD, "countess@example.com").await;

    assert_eq!((reply.status, reply.error_code()), (401, "InvalidToken"));
    assert_eq!(
        app.activate("countess@example.com", PASSWORD).await.status,
        404
    );
}
