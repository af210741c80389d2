//! `POST /user/password/forgot/` and `POST /user/password/reset/`: a code from the mailbox
//! hands the account over, whoever made it (squatting ends), and tells nothing about
//! addresses nobody has.

use serde_json::json;
use user_service::domain::CodePurpose;

use crate::common::{PASSWORD, TestApp, in_memory_app, paths};
use user_service::adapters::in_memory::InMemoryStore;

const ADA: &str = "ada@example.com";
const NEW: &str = "a new passphrase of the owner";

async fn forgot(app: &TestApp<InMemoryStore>, email: &str) -> crate::common::Reply {
    app.post(paths::FORGOT, &json!({"email": email})).await
}

async fn reset(
    app: &TestApp<InMemoryStore>,
    email: &str,
    code: &str,
    new: &str,
) -> crate::common::Reply {
    let body = json!({"email": email, "code": code, "new_password": new});
    app.post(paths::RESET, &body).await
}

#[tokio::test]
async fn forgot_is_202_for_any_address_and_mails_an_8_digit_code_to_any_account() {
    let (app, _) = in_memory_app();
    app.given_user("inactive@example.com").await;
    app.given_active_user(ADA).await;

    for address in [ADA, "inactive@example.com", "nobody@example.com"] {
        let reply = forgot(&app, address).await;
        assert_eq!((reply.status, &reply.json), (202, &json!({})), "{address}");
    }

    assert_eq!(app.code_sent(ADA, CodePurpose::PasswordReset).len(), 8);
    assert_eq!(
        app.code_sent("inactive@example.com", CodePurpose::PasswordReset)
            .len(),
        8
    );
    assert!(
        app.mailbox
            .to("nobody@example.com", CodePurpose::PasswordReset)
            .is_empty()
    );
    let again = forgot(&app, "nobody@example.com").await;
    assert_eq!(
        (again.status, again.error_code()),
        (429, "TooManyRequests"),
        "counted alike"
    );
    assert_eq!(again.headers["retry-after"], "60");
}

#[tokio::test]
async fn a_reset_sets_the_password_ends_every_session_clears_the_lockout_and_verifies() {
    let (app, store) = in_memory_app();
    let session = app.given_session(ADA).await;
    for _ in 0..5 {
        app.sign_in(ADA, "a wrong guess").await;
    }
    assert_eq!(app.sign_in(ADA, PASSWORD).await.status, 429, "locked");
    forgot(&app, ADA).await;
    let code = app.code_sent(ADA, CodePurpose::PasswordReset);

    let reply = reset(&app, ADA, &code, NEW).await;

    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(reply.text, "");
    let refresh = session["refresh_token"].as_str().expect("a token");
    assert_eq!(
        app.refresh(refresh).await.status,
        401,
        "every session ended"
    );
    assert_eq!(
        app.me(session["access_token"].as_str().expect("a token"))
            .await
            .status,
        401
    );
    let signed_in = app.sign_in(ADA, NEW).await;
    assert_eq!(
        signed_in.status, 200,
        "the lockout cleared: {}",
        signed_in.text
    );
    assert_eq!(signed_in.json["email_verified"], true);
    assert_eq!(
        app.sign_in(ADA, PASSWORD).await.status,
        401,
        "the old password is gone"
    );
    assert_eq!(store.accounts().len(), 1);
}

#[tokio::test]
async fn the_owner_of_a_mailbox_takes_over_an_account_squatted_on_it() {
    let (app, _) = in_memory_app();
    // The squatter signs up with the owner's address and activates with its own password.
    let squat = json!({"name": "Eve", "surname": "Squatter", "email": ADA,
        "password": "the squatter's password"});
    assert_eq!(app.sign_up_with(&squat).await.status, 200);
    assert_eq!(
        app.activate(ADA, "the squatter's password").await.status,
        200
    );
    let squatter = app.sign_in(ADA, "the squatter's password").await.json;
    assert_eq!(
        app.sign_up(ADA).await.status,
        409,
        "the owner cannot sign up"
    );

    forgot(&app, ADA).await;
    let code = app.code_sent(ADA, CodePurpose::PasswordReset);
    assert_eq!(reset(&app, ADA, &code, NEW).await.status, 204);

    let refresh = squatter["refresh_token"].as_str().expect("a token");
    assert_eq!(
        app.refresh(refresh).await.status,
        401,
        "the squatter is signed out"
    );
    assert_eq!(
        app.sign_in(ADA, "the squatter's password").await.status,
        401
    );
    let owner = app.sign_in(ADA, NEW).await;
    assert_eq!(owner.status, 200, "{}", owner.text);
    assert_eq!(owner.json["email_verified"], true);
}

#[tokio::test]
async fn bad_codes_are_400_invalid_code_and_change_nothing() {
    let (app, _) = in_memory_app();
    app.given_active_user(ADA).await;
    forgot(&app, ADA).await;
    let code = app.code_sent(ADA, CodePurpose::PasswordReset);
    let wrong = if code == "12345678" {
        "87654321"
    } else {
        "12345678"
    };

    let replies = [
        ("wrong", reset(&app, ADA, wrong, NEW).await),
        (
            "unknown address",
            reset(&app, "nobody@example.com", &code, NEW).await,
        ),
    ];
    for (why, reply) in replies {
        assert_eq!(
            (reply.status, reply.error_code()),
            (400, "InvalidCode"),
            "{why}"
        );
    }
    app.clock.advance(900);
    let expired = reset(&app, ADA, &code, NEW).await;
    assert_eq!(
        (expired.status, expired.error_code()),
        (400, "InvalidCode"),
        "expired"
    );
    assert_eq!(
        app.sign_in(ADA, PASSWORD).await.status,
        200,
        "the password unchanged"
    );
}

#[tokio::test]
async fn a_reset_code_works_once() {
    let (app, _) = in_memory_app();
    app.given_active_user(ADA).await;
    forgot(&app, ADA).await;
    let code = app.code_sent(ADA, CodePurpose::PasswordReset);
    assert_eq!(reset(&app, ADA, &code, NEW).await.status, 204);

    let again = reset(&app, ADA, &code, "yet another passphrase").await;

    assert_eq!((again.status, again.error_code()), (400, "InvalidCode"));
    assert_eq!(app.sign_in(ADA, NEW).await.status, 200);
}

#[tokio::test]
async fn bad_input_names_every_field() {
    let (app, _) = in_memory_app();
    let cases = [
        (
            json!({}),
            json!({"email": "is required", "code": "is required", "new_password": "is required"}),
            "nothing",
        ),
        (
            json!({"email": ADA, "code": "123456", "new_password": NEW}),
            json!({"code": "must be 8 digits"}),
            "a verification code's length",
        ),
        (
            json!({"email": ADA, "code": "12345678", "new_password": "short"}),
            json!({"new_password": "must be at least 8 characters"}),
            "a short password",
        ),
    ];
    for (body, detail, why) in cases {
        let reply = app.post(paths::RESET, &body).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (400, "ValidationError"),
            "{why}"
        );
        assert_eq!(reply.json["detail"], detail, "{why}");
    }
    let reply = app.post(paths::FORGOT, &json!({})).await;
    assert_eq!(reply.json["detail"], json!({"email": "is required"}));
}

#[tokio::test]
async fn a_reset_mail_the_channel_refuses_is_a_503_and_counts_nothing() {
    let (app, _) = in_memory_app();
    app.given_active_user(ADA).await;
    app.mailbox.fail_next(1);

    let failed = forgot(&app, ADA).await;

    assert_eq!(
        (failed.status, failed.error_code()),
        (503, "ServiceUnavailable")
    );
    assert!(app.mailbox.to(ADA, CodePurpose::PasswordReset).is_empty());
    assert_eq!(forgot(&app, ADA).await.status, 202, "not counted");
    assert_eq!(app.mailbox.to(ADA, CodePurpose::PasswordReset).len(), 1);
}
