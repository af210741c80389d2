//! Enrolment, confirmation, new recovery codes, disabling, and a reset keeping the factor.

use serde_json::{Value, json};
use user_service::domain::CodePurpose;

use super::{ADA, challenge, keys, text, verified_session, with_totp};
use crate::common::claims;
use crate::common::totp::{code_at, secret_of};
use crate::common::{PASSWORD, in_memory_app, paths};

#[tokio::test]
async fn an_enrolment_answers_an_otpauth_uri_and_changes_nothing_until_confirmed() {
    let (app, _) = in_memory_app();
    let session = verified_session(&app, ADA).await;
    let access = text(&session, "access_token");

    let reply = app
        .post_as(paths::TOTP, access, &json!({"password": PASSWORD}))
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(keys(&reply.json), ["otpauth_uri", "secret"]);
    let secret = text(&reply.json, "secret");
    assert_eq!(
        text(&reply.json, "otpauth_uri"),
        format!(
            "otpauth://totp/Example%20Accounts:ada%40example.com?secret={secret}&issuer=Example%20Accounts&algorithm=SHA1&digits=6&period=30"
        )
    );
    assert_eq!(
        app.sign_in(ADA, PASSWORD).await.json["mfa_required"],
        Value::Null
    );
    assert_eq!(
        app.me(access).await.json["mfa"],
        json!({"totp": false, "recovery_codes_left": 0})
    );
}

#[tokio::test]
async fn an_enrolment_needs_the_password_and_a_verified_address_and_no_totp_yet() {
    let (app, _) = in_memory_app();
    let unverified = app.given_session("unverified@example.com").await;
    let with = with_totp(&app).await;
    let cases = [
        (with.access(), "not the password", 401, "InvalidCredentials"),
        (
            text(&unverified, "access_token"),
            PASSWORD,
            400,
            "EmailNotVerified",
        ),
        (with.access(), PASSWORD, 409, "MfaAlreadyEnabled"),
    ];
    for (access, password, status, code) in cases {
        let reply = app
            .post_as(paths::TOTP, access, &json!({"password": password}))
            .await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (status, code),
            "{}",
            reply.text
        );
    }
}

#[tokio::test]
async fn confirming_shows_ten_codes_once_requires_totp_and_ends_every_other_session() {
    let (app, _) = in_memory_app();
    let other = verified_session(&app, ADA).await;
    let session = app.given_session(ADA).await;
    let access = text(&session, "access_token");
    let enrolment = app
        .post_as(paths::TOTP, access, &json!({"password": PASSWORD}))
        .await;
    let secret = secret_of(&enrolment.json);
    let wrong = code_at(&secret, app.clock.now() + 600);
    let refused = app
        .post_as(paths::TOTP_CONFIRM, access, &json!({"code": wrong}))
        .await;
    assert_eq!(
        (refused.status, refused.error_code()),
        (401, "InvalidCredentials")
    );

    let code = code_at(&secret, app.clock.now());
    let reply = app
        .post_as(paths::TOTP_CONFIRM, access, &json!({"code": code}))
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        keys(&reply.json),
        [
            "access_token",
            "expires_in",
            "recovery_codes",
            "refresh_token",
            "token_type"
        ]
    );
    let codes = reply.json["recovery_codes"].as_array().expect("codes");
    assert_eq!(codes.len(), 10);
    assert_eq!(
        app.refresh(text(&other, "refresh_token")).await.status,
        401,
        "other sessions end"
    );
    assert_eq!(
        app.refresh(text(&session, "refresh_token")).await.status,
        401,
        "the caller's too"
    );
    assert_eq!(
        app.refresh(text(&reply.json, "refresh_token")).await.status,
        200,
        "the new pair"
    );
    let access = text(&reply.json, "access_token");
    assert_eq!(
        app.me(access).await.json["mfa"],
        json!({"totp": true, "recovery_codes_left": 10})
    );
    let again = app
        .post_as(paths::TOTP_CONFIRM, access, &json!({"code": code}))
        .await;
    assert_eq!(
        (again.status, again.error_code()),
        (409, "MfaAlreadyEnabled")
    );
}

#[tokio::test]
async fn new_recovery_codes_void_the_old_ones_and_end_every_other_session() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    let old = with.recovery_code(0).to_owned();
    let other = app
        .sign_in_mfa(
            &challenge(&app).await,
            json!({"recovery_code": with.recovery_code(1)}),
        )
        .await;

    let reply = app
        .post_as(
            paths::RECOVERY_CODES,
            with.access(),
            &json!({"password": PASSWORD}),
        )
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json["recovery_codes"].as_array().map(Vec::len),
        Some(10)
    );
    assert_eq!(
        claims(text(&reply.json, "access_token"))["amr"],
        json!(["pwd", "otp"])
    );
    assert_eq!(
        app.refresh(text(&other.json, "refresh_token")).await.status,
        401
    );
    let spent = app
        .sign_in_mfa(&challenge(&app).await, json!({"recovery_code": old}))
        .await;
    assert_eq!(spent.status, 401, "the old codes are void");
    let fresh = reply.json["recovery_codes"][0].as_str().expect("a code");
    assert_eq!(
        app.sign_in_mfa(&challenge(&app).await, json!({"recovery_code": fresh}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn disabling_needs_the_password_and_a_code_and_then_a_password_signs_in_alone() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    let code = code_at(&with.secret, app.clock.now());
    let cases = [
        (
            json!({"password": "not it", "code": code}),
            401,
            "InvalidCredentials",
        ),
        (json!({"password": PASSWORD}), 400, "ValidationError"),
        (
            json!({"password": PASSWORD, "code": "000000"}),
            401,
            "InvalidCredentials",
        ),
    ];
    for (body, status, error) in cases {
        let reply = app.post_as(paths::TOTP_DISABLE, with.access(), &body).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (status, error),
            "{body}: {}",
            reply.text
        );
    }
    let body = json!({"password": PASSWORD, "code": code});

    let reply = app.post_as(paths::TOTP_DISABLE, with.access(), &body).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let access = text(&reply.json, "access_token");
    assert_eq!(
        app.me(access).await.json["mfa"],
        json!({"totp": false, "recovery_codes_left": 0})
    );
    assert_eq!(
        app.me(with.access()).await.status,
        401,
        "every other session ended"
    );
    let signed_in = app.sign_in(ADA, PASSWORD).await;
    assert_eq!(signed_in.json["email"], ADA, "{}", signed_in.text);
    let again = app.post_as(paths::TOTP_DISABLE, access, &body).await;
    assert_eq!((again.status, again.error_code()), (409, "MfaNotEnabled"));
}

#[tokio::test]
async fn a_password_reset_by_mail_keeps_the_second_factor() {
    let (app, _) = in_memory_app();
    with_totp(&app).await;
    assert_eq!(
        app.post(paths::FORGOT, &json!({"email": ADA})).await.status,
        202
    );
    let code = app.code_sent(ADA, CodePurpose::PasswordReset);
    let new = "a brand new passphrase";
    let body = json!({"email": ADA, "code": code, "new_password": new});
    assert_eq!(app.post(paths::RESET, &body).await.status, 204);

    let reply = app.sign_in(ADA, new).await;

    assert_eq!(reply.json["mfa_required"], true, "{}", reply.text);
}
