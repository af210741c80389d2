//! `PATCH /user/me/`: new names for the signed-in account, validated as at sign-up.

use serde_json::{Value, json};

use crate::common::{in_memory_app, paths};

fn access(session: &Value) -> &str {
    session["access_token"].as_str().expect("a token")
}

#[tokio::test]
async fn the_names_given_change_and_the_others_stay() {
    let (app, store) = in_memory_app();
    let session = app.given_session("ada@example.com").await;

    let reply = app
        .patch_as(paths::ME, access(&session), &json!({"name": " Augusta "}))
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"id": session["id"], "name": "Augusta", "surname": "Lovelace",
               "email": "ada@example.com", "active": true, "email_verified": false,
               "mfa": {"totp": false, "recovery_codes_left": 0}})
    );
    assert_eq!(
        app.me(access(&session)).await.json["name"],
        "Augusta",
        "stored"
    );
    let commits = store.commits();
    let same = app
        .patch_as(paths::ME, access(&session), &json!({"surname": null}))
        .await;
    assert_eq!(
        (same.status, same.json["surname"].as_str()),
        (200, Some("Lovelace"))
    );
    assert_eq!(store.commits(), commits, "nothing to write");
    let both = json!({"name": "Ada", "surname": "King"});
    let renamed = app.patch_as(paths::ME, access(&session), &both).await;
    assert_eq!(
        (
            renamed.json["name"].as_str(),
            renamed.json["surname"].as_str()
        ),
        (Some("Ada"), Some("King"))
    );
}

#[tokio::test]
async fn invalid_names_are_400_and_change_nothing() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let cases = [
        (
            json!({"name": " "}),
            json!({"name": "must not be empty"}),
            "blank",
        ),
        (
            json!({"surname": ["King"]}),
            json!({"surname": "must be a string"}),
            "not a string",
        ),
        (
            json!({"name": "A\u{202e}da", "surname": "K".repeat(101)}),
            json!({"name": "must not contain invisible characters",
                "surname": "must be at most 100 characters"}),
            "every field at once",
        ),
    ];
    for (body, detail, why) in cases {
        let reply = app.patch_as(paths::ME, access(&session), &body).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (400, "ValidationError"),
            "{why}"
        );
        assert_eq!(reply.json["detail"], detail, "{why}");
    }
    assert_eq!(app.me(access(&session)).await.json["name"], "Ada");
}

#[tokio::test]
async fn without_a_valid_token_it_is_401_as_for_get() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    app.sign_out(session["refresh_token"].as_str().expect("a token"), true)
        .await;

    for token in ["not-a-token", access(&session)] {
        let reply = app
            .patch_as(paths::ME, token, &json!({"name": "Eve"}))
            .await;
        assert_eq!((reply.status, reply.error_code()), (401, "InvalidToken"));
        assert!(reply.headers.contains_key("www-authenticate"));
    }
}
