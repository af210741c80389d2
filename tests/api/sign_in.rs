use serde_json::json;

use crate::common::{PASSWORD, in_memory_app};

#[tokio::test]
async fn an_active_user_signs_in_and_gets_the_public_fields() {
    let (app, store) = in_memory_app();
    let created = app.given_active_user("ada@example.com").await;

    let reply = app.sign_in("ada@example.com", PASSWORD).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"id": created["id"], "name": "Ada", "surname": "Lovelace",
               "email": "ada@example.com", "active": true})
    );
    let hash = store.accounts()[0].password_hash().expose().to_owned();
    assert!(
        !reply.text.contains(&hash),
        "the Python original returned the hash; we do not"
    );
}

#[tokio::test]
async fn each_refusal_has_the_contracted_status_code_and_detail() {
    let (app, _) = in_memory_app();
    app.given_user("inactive@example.com").await;
    app.given_active_user("active@example.com").await;

    let cases = [
        (
            "nobody@example.com",
            PASSWORD,
            404,
            "UserNotFound",
            "No user is registered with this e-mail address",
        ),
        (
            "active@example.com",
            "wrong password",
            401,
            "InvalidCredentials",
            "Invalid credentials",
        ),
        (
            "inactive@example.com",
            "wrong password",
            401,
            "InvalidCredentials",
            "Invalid credentials",
        ),
        (
            "inactive@example.com",
            PASSWORD,
            400,
            "UserInactive",
            "User must be activated via /user/activate/",
        ),
    ];
    for (email, password, status, code, detail) in cases {
        let reply = app.sign_in(email, password).await;
        assert_eq!(
            reply.json,
            json!({"status_code": status, "error": code, "detail": detail}),
            "{email} / {password}"
        );
        assert_eq!(reply.status, status, "{email} / {password}");
    }
}
