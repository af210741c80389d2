//! One account by id: reading it, ending its sessions, deleting it.

use std::collections::BTreeSet;

use serde_json::json;

use super::{admin, id_of};
use crate::common::{PASSWORD, in_memory_app};

#[tokio::test]
async fn an_account_is_shown_with_its_state_lockout_and_live_sessions_and_no_secret() {
    let (app, _) = in_memory_app();
    let phone = app.given_session("ada@example.com").await;
    let laptop = app.given_session("ada@example.com").await;
    assert_eq!(app.sign_in("ada@example.com", "wrong").await.status, 401);
    let id = id_of(&phone);

    let reply = admin(&app, "GET", &format!("/admin/users/{id}/")).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let fields: BTreeSet<&str> = (reply.json.as_object().expect("an object").keys())
        .map(String::as_str)
        .collect();
    let expected = [
        "id",
        "name",
        "surname",
        "email",
        "active",
        "disabled",
        "email_verified",
        "mfa",
        "failed_attempts",
        "locked_until",
        "created_at",
        "updated_at",
        "live_sessions",
    ];
    assert_eq!(fields, BTreeSet::from(expected));
    assert_eq!(reply.json["email"], "ada@example.com");
    assert_eq!(reply.json["active"], true);
    assert_eq!(reply.json["disabled"], false);
    assert_eq!(reply.json["failed_attempts"], 1);
    assert_eq!(reply.json["locked_until"], json!(null));
    assert_eq!(reply.json["live_sessions"], 2);
    assert!(reply.json["updated_at"].as_u64() >= reply.json["created_at"].as_u64());
    assert!(!reply.text.contains("argon2"), "no hash");

    let refresh = laptop["refresh_token"].as_str().expect("a token");
    assert_eq!(app.sign_out(refresh, false).await.status, 204);
    let reply = admin(&app, "GET", &format!("/admin/users/{id}/")).await;
    assert_eq!(
        reply.json["live_sessions"], 1,
        "the revoked one is not live"
    );
}

#[tokio::test]
async fn an_id_no_account_has_is_404_on_every_route_but_deletion() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    let unknown = "0b7e7a3c-5d0e-4f6a-9b1c-2f3e4d5c6b7a";
    for id in [
        unknown,
        "not-a-uuid",
        "0B7E7A3C-5D0E-4F6A-9B1C-2F3E4D5C6B7A",
    ] {
        for (method, action) in [
            ("GET", ""),
            ("POST", "disable/"),
            ("POST", "enable/"),
            ("POST", "signout/"),
        ] {
            let target = format!("/admin/users/{id}/{action}");
            let reply = admin(&app, method, &target).await;
            assert_eq!(
                reply.json,
                json!({"status_code": 404, "error": "UserNotFound", "detail": "No user has this id"}),
                "{method} {target}"
            );
        }
        let reply = admin(&app, "POST", &format!("/admin/users/{id}/delete/")).await;
        assert_eq!(reply.status, 204, "deleting {id}: gone already");
    }
}

#[tokio::test]
async fn signing_an_account_out_ends_every_session_and_leaves_the_password() {
    let (app, _) = in_memory_app();
    let phone = app.given_session("ada@example.com").await;
    let laptop = app.given_session("ada@example.com").await;

    let reply = admin(
        &app,
        "POST",
        &format!("/admin/users/{}/signout/", id_of(&phone)),
    )
    .await;

    assert_eq!((reply.status, reply.text.as_str()), (204, ""));
    for session in [&phone, &laptop] {
        let refresh = session["refresh_token"].as_str().expect("a token");
        assert_eq!(app.refresh(refresh).await.error_code(), "InvalidToken");
        let access = session["access_token"].as_str().expect("a token");
        assert_eq!(app.me(access).await.error_code(), "InvalidToken");
    }
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn deleting_an_account_removes_it_and_its_sessions_and_a_retry_answers_the_same() {
    let (app, store) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    app.given_active_user("grace@example.com").await;
    let target = format!("/admin/users/{}/delete/", id_of(&session));

    let first = admin(&app, "POST", &target).await;
    let commits = store.commits();
    let again = admin(&app, "POST", &target).await;

    assert_eq!((first.status, again.status), (204, 204));
    assert_eq!(store.commits(), commits, "the retry writes nothing");
    let refresh = session["refresh_token"].as_str().expect("a token");
    assert_eq!(app.refresh(refresh).await.status, 401);
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 404);
    assert_eq!(store.accounts().len(), 1, "grace's account only");
    assert_eq!(
        app.sign_up("ada@example.com").await.status,
        200,
        "the address is free"
    );
}
