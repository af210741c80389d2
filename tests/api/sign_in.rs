use serde_json::{Value, json};

use crate::common::{ACCESS_TTL, PASSWORD, in_memory_app};

#[tokio::test]
async fn an_active_user_signs_in_and_gets_the_public_fields_and_a_token_pair() {
    let (app, store) = in_memory_app();
    let created = app.given_active_user("ada@example.com").await;

    let reply = app.sign_in("ada@example.com", PASSWORD).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut account = reply.json.clone();
    let tokens: Vec<Value> = ["access_token", "token_type", "expires_in", "refresh_token"]
        .iter()
        .filter_map(|field| account.as_object_mut()?.remove(*field))
        .collect();
    assert_eq!(
        account,
        json!({"id": created["id"], "name": "Ada", "surname": "Lovelace",
               "email": "ada@example.com", "active": true, "email_verified": false,
               "mfa": {"totp": false, "recovery_codes_left": 0}})
    );
    assert!(
        tokens[0]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3),
        "a JWT"
    );
    assert_eq!(tokens[1], "Bearer");
    assert_eq!(tokens[2], ACCESS_TTL);
    assert!(
        tokens[3].as_str().is_some_and(|t| t.len() > 43),
        "{}",
        tokens[3]
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
