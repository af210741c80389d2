//! Disabling an account: every session ends, a right password answers 403 `AccountDisabled`
//! on every route that checks one (a wrong one is still a wrong password), and only an
//! administrator can enable it again.

use serde_json::json;

use super::{admin, id_of};
use crate::common::{PASSWORD, credentials, paths};

use crate::common::in_memory_app;

#[tokio::test]
async fn a_disabled_account_is_refused_everywhere_after_a_right_password_until_enabled() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let id = id_of(&session);
    let access = session["access_token"].as_str().expect("a token");
    let refresh = session["refresh_token"].as_str().expect("a token");

    let disabled = admin(&app, "POST", &format!("/admin/users/{id}/disable/")).await;

    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.json["disabled"], true);
    assert_eq!(
        disabled.json["active"], true,
        "disabling is not deactivating"
    );
    assert_eq!(app.refresh(refresh).await.error_code(), "InvalidToken");
    assert_eq!(app.me(access).await.error_code(), "InvalidToken");
    let update = app
        .patch_as(paths::ME, access, &json!({"name": "Grace"}))
        .await;
    assert_eq!(update.error_code(), "InvalidToken");
    for path in [paths::SIGN_IN, paths::ACTIVATE, paths::DEACTIVATE] {
        let right = app
            .post(path, &credentials("ada@example.com", PASSWORD))
            .await;
        assert_eq!(
            (right.status, right.error_code()),
            (403, "AccountDisabled"),
            "{path}: {}",
            right.text
        );
        let wrong = app
            .post(path, &credentials("ada@example.com", "not it"))
            .await;
        assert_eq!(
            (wrong.status, wrong.error_code()),
            (401, "InvalidCredentials"),
            "{path}: a wrong password is only that"
        );
    }
    let shown = admin(&app, "GET", &format!("/admin/users/{id}/")).await;
    // Each right password cleared the count and each wrong one counted: the last one stands.
    assert_eq!(
        shown.json["failed_attempts"], 1,
        "a wrong password is counted"
    );
    assert_eq!(shown.json["live_sessions"], 0);

    let enabled = admin(&app, "POST", &format!("/admin/users/{id}/enable/")).await;

    assert_eq!(enabled.status, 200, "{}", enabled.text);
    assert_eq!(enabled.json["disabled"], false);
    assert_eq!(
        app.refresh(refresh).await.status,
        401,
        "ended sessions stay ended"
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_disabled_account_is_told_so_before_it_is_told_it_is_inactive() {
    let (app, _) = in_memory_app();
    let id = id_of(&app.given_user("ada@example.com").await);
    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.error_code(),
        "UserInactive"
    );

    admin(&app, "POST", &format!("/admin/users/{id}/disable/")).await;

    let reply = app.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!((reply.status, reply.error_code()), (403, "AccountDisabled"));
}

#[tokio::test]
async fn the_owner_cannot_undo_a_disabling_and_bearer_routes_refuse_new_tokens_too() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let id = id_of(&session);
    admin(&app, "POST", &format!("/admin/users/{id}/disable/")).await;

    let deactivate = app.deactivate("ada@example.com", PASSWORD).await;
    let activate = app.activate("ada@example.com", PASSWORD).await;
    let access = session["access_token"].as_str().expect("a token");
    let delete = app
        .post_as(paths::DELETE, access, &json!({"password": PASSWORD}))
        .await;

    assert_eq!(deactivate.error_code(), "AccountDisabled");
    assert_eq!(activate.error_code(), "AccountDisabled");
    assert_eq!(delete.error_code(), "InvalidToken");
    let shown = admin(&app, "GET", &format!("/admin/users/{id}/")).await;
    assert_eq!(shown.json["disabled"], true);
}

#[tokio::test]
async fn disabling_twice_or_enabling_an_enabled_account_writes_nothing() {
    let (app, store) = in_memory_app();
    let id = id_of(&app.given_active_user("ada@example.com").await);
    let enable = format!("/admin/users/{id}/enable/");
    let disable = format!("/admin/users/{id}/disable/");

    let commits = store.commits();
    assert_eq!(admin(&app, "POST", &enable).await.json["disabled"], false);
    assert_eq!(store.commits(), commits);
    admin(&app, "POST", &disable).await;
    let commits = store.commits();
    assert_eq!(admin(&app, "POST", &disable).await.json["disabled"], true);
    assert_eq!(store.commits(), commits);
}
