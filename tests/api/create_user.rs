use serde_json::json;

use crate::common::{PASSWORD, in_memory_app, sign_up_body};

#[tokio::test]
async fn creating_a_user_returns_exactly_the_public_fields_inactive() {
    let (app, _) = in_memory_app();

    let reply = app.sign_up(" Ada@Example.COM ").await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let id = reply.json["id"].as_str().expect("an id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(
        reply.json,
        json!({"id": id, "name": "Ada", "surname": "Lovelace",
               "email": "ada@example.com", "active": false, "email_verified": false,
               "mfa": {"totp": false, "recovery_codes_left": 0}})
    );
    assert_eq!(reply.headers["content-type"], "application/json");
    assert_eq!(reply.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn the_path_works_without_its_trailing_slash() {
    let (app, _) = in_memory_app();
    let reply = app.post("/user", &sign_up_body("ada@example.com")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn a_registered_email_is_a_409_and_the_stored_account_is_untouched() {
    let (app, store) = in_memory_app();
    let first = app.sign_up("ada@example.com").await;
    let mut impostor = sign_up_body("ADA@example.com");
    impostor["password"] = json!("the impostor's password");
    impostor["name"] = json!("Eve");

    let reply = app.post("/user/", &impostor).await;

    assert_eq!(reply.status, 409);
    assert_eq!(
        reply.json,
        json!({"status_code": 409, "error": "EmailTaken",
               "detail": "A user with this e-mail address already exists"})
    );
    let accounts = store.accounts();
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        accounts[0].id().to_string(),
        first.json["id"].as_str().expect("id")
    );
    assert_eq!(accounts[0].name().as_ref(), "Ada");
    let activate = app.activate("ada@example.com", PASSWORD).await;
    assert_eq!(activate.status, 200, "the original password still works");
}

#[tokio::test]
async fn the_response_never_contains_the_password_or_its_hash() {
    let (app, store) = in_memory_app();

    let reply = app.sign_up("ada@example.com").await;

    let hash = store.accounts()[0].password_hash().expose().to_owned();
    assert!(!reply.text.contains(PASSWORD));
    assert!(!reply.text.contains(&hash));
    assert!(!reply.text.contains("argon2"));
}

#[tokio::test]
async fn addresses_a_person_cannot_tell_apart_register_only_once() {
    let cases = [
        ("ada@example.com", "ADA@example.com", "case"),
        (
            "josé@example.com",
            "jose\u{301}@example.com",
            "two spellings of é",
        ),
        (
            "ana@bücher.de",
            "ana@xn--bcher-kva.de",
            "Unicode and punycode domain",
        ),
        (
            "ana@xn--bcher-kva.de",
            "ana@BÜCHER.de",
            "punycode first, then upper-case Unicode",
        ),
    ];
    for (first, second, why) in cases {
        let (app, store) = in_memory_app();
        app.given_user(first).await;

        let reply = app.sign_up(second).await;

        assert_eq!(
            (reply.status, reply.error_code()),
            (409, "EmailTaken"),
            "{why}"
        );
        assert_eq!(store.accounts().len(), 1, "{why}");
        let signed_in = app.activate(second, PASSWORD).await;
        assert_eq!(
            signed_in.status, 200,
            "{why}: the other spelling reaches the account"
        );
    }
}

#[tokio::test]
async fn invisible_and_reordering_characters_are_refused_in_addresses_and_names() {
    let (app, store) = in_memory_app();
    let invisible = "must not contain invisible characters";
    let cases = [
        ("email", "ada\u{200B}@example.com", "zero-width space"),
        ("email", "\u{202E}ada@example.com", "right-to-left override"),
        ("email", "ada@exam\u{AD}ple.com", "soft hyphen"),
        ("name", "Ada\u{202E}", "right-to-left override"),
        ("surname", "Love\u{200D}lace", "zero-width joiner"),
        ("name", "\u{3164}", "Hangul filler"),
    ];
    for (field, value, why) in cases {
        let mut body = sign_up_body("ada@example.com");
        body[field] = json!(value);

        let reply = app.sign_up_with(&body).await;

        assert_eq!(reply.status, 400, "{field}: {why}");
        assert_eq!(reply.json["detail"][field], invisible, "{field}: {why}");
    }
    assert!(store.accounts().is_empty());
}
