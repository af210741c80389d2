//! `POST /user/verify/` and `POST /user/verify/resend/`, and what verification changes
//! elsewhere: the account's `email_verified`, the access token's claim, and with
//! `REQUIRE_VERIFIED_EMAIL` sign-in and activation.

use serde_json::json;
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::CodePurpose;

use crate::common::{PASSWORD, app_requiring_verified_email, claims, in_memory_app, paths};

const ADA: &str = "ada@example.com";

#[tokio::test]
async fn a_sign_up_mails_a_code_that_verifies_the_address_and_the_token_says_so() {
    let (app, _) = in_memory_app();
    let created = app.given_user(ADA).await;
    assert_eq!(created["email_verified"], false);
    let code = app.code_sent(ADA, CodePurpose::Verification);
    assert_eq!(code.len(), 6);

    let reply = app.verify(ADA, &code).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"id": created["id"], "name": "Ada", "surname": "Lovelace",
               "email": ADA, "active": false, "email_verified": true,
               "mfa": {"totp": false, "recovery_codes_left": 0}})
    );
    app.activate(ADA, PASSWORD).await;
    let session = app.given_session(ADA).await;
    assert_eq!(session["email_verified"], true);
    let access = session["access_token"].as_str().expect("a token");
    assert_eq!(claims(access)["email_verified"], true, "the OIDC claim");
    assert_eq!(app.me(access).await.json["email_verified"], true);
}

#[tokio::test]
async fn a_wrong_used_or_unknown_code_is_one_400_invalid_code() {
    let (app, _) = in_memory_app();
    app.given_user(ADA).await;
    let code = app.code_sent(ADA, CodePurpose::Verification);
    let wrong = if code == "123456" { "654321" } else { "123456" };
    let wrong_reply = app.verify(ADA, wrong).await;
    assert_eq!(app.verify(ADA, &code).await.status, 200);

    let replies = [
        ("wrong", wrong_reply),
        ("used", app.verify(ADA, &code).await),
        (
            "unknown address",
            app.verify("nobody@example.com", &code).await,
        ),
    ];
    for (why, reply) in replies {
        assert_eq!(
            (reply.status, &reply.json),
            (
                400,
                &json!({"status_code": 400, "error": "InvalidCode",
                    "detail": "The code is invalid, expired or already used"})
            ),
            "{why}"
        );
    }
}

#[tokio::test]
async fn bad_input_names_every_field() {
    let (app, _) = in_memory_app();
    let cases = [
        (
            json!({}),
            json!({"email": "is required", "code": "is required"}),
            "nothing",
        ),
        (
            json!({"email": ADA, "code": "12345"}),
            json!({"code": "must be 6 digits"}),
            "short",
        ),
        (
            json!({"email": ADA, "code": "12345a"}),
            json!({"code": "must be 6 digits"}),
            "a letter",
        ),
        (
            json!({"email": ADA, "code": 123456}),
            json!({"code": "must be a string"}),
            "a number",
        ),
        (
            json!({"email": "not-an-address", "code": "123456"}),
            json!({"email": "must be a valid e-mail address"}),
            "an address",
        ),
    ];
    for (body, detail, why) in cases {
        let reply = app.post(paths::VERIFY, &body).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (400, "ValidationError"),
            "{why}"
        );
        assert_eq!(reply.json["detail"], detail, "{why}");
    }
    let reply = app.post(paths::RESEND, &json!({"email": 5})).await;
    assert_eq!(reply.json["detail"], json!({"email": "must be a string"}));
}

#[tokio::test]
async fn a_resend_is_202_for_any_address_and_429_with_retry_after_beyond_the_limits() {
    let (app, _) = in_memory_app();
    app.given_user(ADA).await;

    let unknown = app.resend("nobody@example.com").await;
    let too_soon = app.resend(ADA).await;
    app.clock.advance(60);
    let later = app.resend(ADA).await;

    assert_eq!((unknown.status, &unknown.json), (202, &json!({})));
    assert_eq!((later.status, &later.json), (202, &json!({})));
    assert_eq!(
        (too_soon.status, too_soon.error_code()),
        (429, "TooManyRequests")
    );
    assert_eq!(too_soon.headers["retry-after"], "60");
    assert_eq!(app.mailbox.to(ADA, CodePurpose::Verification).len(), 2);
    assert!(
        app.mailbox
            .to("nobody@example.com", CodePurpose::Verification)
            .is_empty()
    );
}

#[tokio::test]
async fn a_mail_the_channel_refuses_is_a_503_and_the_sign_up_still_200() {
    let (app, _) = in_memory_app();
    app.mailbox.fail_next(2);

    let created = app.sign_up(ADA).await;
    let resent = app.resend(ADA).await;

    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(
        (resent.status, resent.error_code()),
        (503, "ServiceUnavailable")
    );
    assert_eq!(resent.headers["retry-after"], "1");
    assert_eq!(
        app.resend(ADA).await.status,
        202,
        "neither failure was counted"
    );
}

#[tokio::test]
async fn with_verified_addresses_required_sign_in_and_activation_wait_for_the_code() {
    let app = app_requiring_verified_email(InMemoryStore::new());
    app.given_user(ADA).await;

    let activation = app.activate(ADA, PASSWORD).await;
    let wrong = app.activate(ADA, "not the password").await;
    assert_eq!(
        (activation.status, activation.error_code()),
        (400, "EmailNotVerified")
    );
    assert_eq!(
        (wrong.status, wrong.error_code()),
        (401, "InvalidCredentials"),
        "the password first"
    );
    let code = app.code_sent(ADA, CodePurpose::Verification);
    assert_eq!(app.verify(ADA, &code).await.status, 200);

    assert_eq!(app.activate(ADA, PASSWORD).await.status, 200);
    assert_eq!(app.sign_in(ADA, PASSWORD).await.status, 200);
}
