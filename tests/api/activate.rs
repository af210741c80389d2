use crate::common::{PASSWORD, create_user, credentials, in_memory_app, post};

#[tokio::test]
async fn activation_answers_200_and_repeating_it_writes_nothing() {
    let (app, store) = in_memory_app();
    create_user(&app, "ada@example.com").await;
    let body = credentials("ada@example.com", PASSWORD);

    let first = post(&app, "/user/activate/", &body).await;
    let commits = store.commits();
    let second = post(&app, "/user/activate", &body).await;

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
    assert_eq!(store.commits(), commits, "already active: no write");
    let signin = post(&app, "/user/signin/", &body).await;
    assert_eq!(signin.status, 200);
}

#[tokio::test]
async fn activation_with_unknown_email_or_wrong_password_is_404_or_401() {
    let (app, store) = in_memory_app();
    create_user(&app, "ada@example.com").await;

    let unknown = post(
        &app,
        "/user/activate/",
        &credentials("eve@example.com", PASSWORD),
    )
    .await;
    let wrong = post(
        &app,
        "/user/activate/",
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
    assert!(!store.accounts()[0].is_active());
}
