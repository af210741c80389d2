use crate::common::{PASSWORD, create_active_user, create_user, credentials, in_memory_app, post};

#[tokio::test]
async fn deactivation_blocks_sign_in_until_reactivation_as_often_as_one_likes() {
    let (app, _) = in_memory_app();
    create_active_user(&app, "ada@example.com").await;
    let body = credentials("ada@example.com", PASSWORD);

    for round in 0..3 {
        let off = post(&app, "/user/deactivate/", &body).await;
        assert_eq!(
            (off.status, off.json["active"].as_bool()),
            (200, Some(false)),
            "round {round}"
        );
        let refused = post(&app, "/user/signin/", &body).await;
        assert_eq!(
            (refused.status, refused.error_code()),
            (400, "UserInactive"),
            "round {round}"
        );
        let on = post(&app, "/user/activate/", &body).await;
        assert_eq!(on.status, 200, "round {round}");
        assert_eq!(
            post(&app, "/user/signin/", &body).await.status,
            200,
            "round {round}"
        );
    }
}

#[tokio::test]
async fn deactivating_an_inactive_user_answers_200_without_a_write() {
    let (app, store) = in_memory_app();
    create_user(&app, "ada@example.com").await;
    let commits = store.commits();

    let reply = post(
        &app,
        "/user/deactivate",
        &credentials("ada@example.com", PASSWORD),
    )
    .await;

    assert_eq!(
        (reply.status, reply.json["active"].as_bool()),
        (200, Some(false))
    );
    assert_eq!(store.commits(), commits);
}

#[tokio::test]
async fn deactivation_with_unknown_email_or_wrong_password_is_404_or_401() {
    let (app, store) = in_memory_app();
    create_active_user(&app, "ada@example.com").await;

    let unknown = post(
        &app,
        "/user/deactivate/",
        &credentials("eve@example.com", PASSWORD),
    )
    .await;
    let wrong = post(
        &app,
        "/user/deactivate/",
        &credentials("ada@example.com", "guessing!"),
    )
    .await;

    assert_eq!(
        (unknown.status, unknown.error_code()),
        (404, "UserNotFound")
    );
    assert_eq!(
        (wrong.status, wrong.error_code()),
        (401, "InvalidCredentials")
    );
    assert!(store.accounts()[0].is_active());
}
