//! Activation and deactivation: the two status changes, idempotent and credential-checked.

use crate::common::{PASSWORD, credentials, in_memory_app};

#[tokio::test]
async fn activation_answers_200_and_repeating_it_writes_nothing() {
    let (app, store) = in_memory_app();
    app.given_user("ada@example.com").await;
    let body = credentials("ada@example.com", PASSWORD);

    let first = app.post("/user/activate/", &body).await;
    let commits = store.commits();
    let second = app.post("/user/activate", &body).await;

    assert_eq!(
        (first.status, first.json["active"].as_bool()),
        (200, Some(true)),
        "{}",
        first.text
    );
    assert_eq!(
        (second.status, second.json["active"].as_bool()),
        (200, Some(true))
    );
    assert_eq!(
        store.commits(),
        commits + 2,
        "already active: no write of the account, only the password check counted and cleared"
    );
    let signin = app.post("/user/signin/", &body).await;
    assert_eq!(signin.status, 200);
}

#[tokio::test]
async fn deactivation_blocks_sign_in_until_reactivation_as_often_as_one_likes() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    let body = credentials("ada@example.com", PASSWORD);

    for round in 0..3 {
        let off = app.post("/user/deactivate/", &body).await;
        assert_eq!(
            (off.status, off.json["active"].as_bool()),
            (200, Some(false)),
            "round {round}"
        );
        let refused = app.post("/user/signin/", &body).await;
        assert_eq!(
            (refused.status, refused.error_code()),
            (400, "UserInactive"),
            "round {round}"
        );
        let on = app.post("/user/activate/", &body).await;
        assert_eq!(on.status, 200, "round {round}");
        assert_eq!(
            app.post("/user/signin/", &body).await.status,
            200,
            "round {round}"
        );
    }
}

#[tokio::test]
async fn deactivating_an_inactive_user_answers_200_without_a_write() {
    let (app, store) = in_memory_app();
    app.given_user("ada@example.com").await;
    let commits = store.commits();

    let reply = app
        .post(
            "/user/deactivate",
            &credentials("ada@example.com", PASSWORD),
        )
        .await;

    assert_eq!(
        (reply.status, reply.json["active"].as_bool()),
        (200, Some(false))
    );
    assert_eq!(
        store.commits(),
        commits + 2,
        "no write of the account, only the password check counted and cleared"
    );
}

#[tokio::test]
async fn a_status_change_with_unknown_email_or_wrong_password_is_404_or_401_and_writes_nothing() {
    for (path, active) in [("/user/activate/", false), ("/user/deactivate/", true)] {
        let (app, store) = in_memory_app();
        if active {
            app.given_active_user("ada@example.com").await;
        } else {
            app.given_user("ada@example.com").await;
        }
        let commits = store.commits();
        let cases = [
            ("eve@example.com", PASSWORD, 404, "UserNotFound"),
            ("ada@example.com", "guessing!", 401, "InvalidCredentials"),
        ];
        for (email, password, status, code) in cases {
            let reply = app.post(path, &credentials(email, password)).await;
            assert_eq!(
                (reply.status, reply.error_code()),
                (status, code),
                "{path} {email}"
            );
        }
        assert_eq!(store.accounts()[0].is_active(), active, "{path}");
        assert_eq!(
            store.commits(),
            commits + 1,
            "{path}: only the failed check is counted"
        );
    }
}
