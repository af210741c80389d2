//! The sign-in challenge: its answer, codes and recovery codes, the `mfa_token`'s limits, the
//! lockout, and activation and deactivation of an account with TOTP.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use super::{ADA, challenge, keys, text, with_totp};
use crate::common::claims;
use crate::common::totp::code_at;
use crate::common::{PASSWORD, in_memory_app, paths};

#[tokio::test]
async fn a_sign_in_with_totp_answers_the_challenge_and_nothing_else() {
    let (app, _) = in_memory_app();
    with_totp(&app).await;

    let reply = app.sign_in(ADA, PASSWORD).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        keys(&reply.json),
        ["expires_in", "methods", "mfa_required", "mfa_token"]
    );
    assert_eq!(reply.json["mfa_required"], true);
    assert_eq!(reply.json["methods"], json!(["totp", "recovery_code"]));
    assert_eq!(reply.json["expires_in"], 300);
    let token = text(&reply.json, "mfa_token");
    assert_eq!(
        app.me(token).await.status,
        401,
        "an mfa_token is no bearer token"
    );
}

#[tokio::test]
async fn a_code_finishes_the_sign_in_as_without_mfa_with_amr_kept_through_refreshes() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    let token = challenge(&app).await;

    let code = code_at(&with.secret, app.clock.now());
    let reply = app.sign_in_mfa(&token, json!({"code": code})).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["email"], ADA);
    assert_eq!(
        reply.json["mfa"],
        json!({"totp": true, "recovery_codes_left": 10})
    );
    assert_eq!(
        claims(text(&reply.json, "access_token"))["amr"],
        json!(["pwd", "otp"])
    );
    let refreshed = app.refresh(text(&reply.json, "refresh_token")).await;
    assert_eq!(
        claims(text(&refreshed.json, "access_token"))["amr"],
        json!(["pwd", "otp"])
    );
    let spent = app.sign_in_mfa(&token, json!({"code": code})).await;
    assert_eq!(
        (spent.status, spent.error_code()),
        (401, "InvalidToken"),
        "single use"
    );
    let replay = app
        .sign_in_mfa(&challenge(&app).await, json!({"code": code}))
        .await;
    assert_eq!(
        (replay.status, replay.error_code()),
        (401, "InvalidCredentials"),
        "a code once"
    );
}

#[tokio::test]
async fn a_password_alone_signs_in_with_amr_pwd() {
    let (app, _) = in_memory_app();
    let session = app.given_session(ADA).await;
    assert_eq!(
        claims(text(&session, "access_token"))["amr"],
        json!(["pwd"])
    );
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    let code = with.recovery_code(3).to_uppercase();

    let reply = app
        .sign_in_mfa(&challenge(&app).await, json!({"recovery_code": code}))
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        claims(text(&reply.json, "access_token"))["amr"],
        json!(["pwd", "otp"])
    );
    assert_eq!(reply.json["mfa"]["recovery_codes_left"], 9);
    let again = app
        .sign_in_mfa(&challenge(&app).await, json!({"recovery_code": code}))
        .await;
    assert_eq!(
        (again.status, again.error_code()),
        (401, "InvalidCredentials")
    );
}

#[tokio::test]
async fn an_mfa_token_that_is_spent_expired_foreign_worn_out_or_outlived_its_account_is_refused() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    let (expired, worn, outlived) = (
        challenge(&app).await,
        challenge(&app).await,
        challenge(&app).await,
    );
    for i in 0..5 {
        let wrong = json!({"code": code_at(&with.secret, app.clock.now() + 3600 + i * 30)});
        assert_eq!(app.sign_in_mfa(&worn, wrong).await.status, 401);
        app.clock.advance(20); // past the lock each wrong code adds (8 s at most here)
    }
    app.clock.advance(300);
    let fresh = challenge(&app).await;
    app.clock.advance(60); // past the lock that sign-in's count brought
    let changed = app
        .post_as(
            paths::RECOVERY_CODES,
            with.access(),
            &json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let forged = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(ADA),
        URL_SAFE_NO_PAD.encode([7u8; 32])
    );
    let code = json!({"code": code_at(&with.secret, app.clock.now())});
    for (token, why) in [
        (expired.as_str(), "expired"),
        (worn.as_str(), "five wrong codes"),
        (
            fresh.as_str(),
            "the account changed since its password was checked",
        ),
        (outlived.as_str(), "expired, and the account changed"),
        (forged.as_str(), "never issued"),
    ] {
        let reply = app.sign_in_mfa(token, code.clone()).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (401, "InvalidToken"),
            "{why}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn wrong_codes_lock_the_account_and_a_right_password_never_clears_the_count() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    let mut answers = Vec::new();
    // A sign-in (the password counted, and not cleared) and a wrong code, over and over.
    for i in 0..2 {
        let token = challenge(&app).await;
        let wrong = json!({"code": code_at(&with.secret, app.clock.now() + 3600 + i * 30)});
        answers.push(app.sign_in_mfa(&token, wrong).await.status);
    }
    assert_eq!(answers, [401, 401]);
    let token = challenge(&app).await; // the fifth check of the run: free, but the last
    let code = json!({"code": code_at(&with.secret, app.clock.now())});
    let locked = app.sign_in_mfa(&token, code.clone()).await;
    assert_eq!(
        (locked.status, locked.error_code()),
        (429, "TooManyAttempts"),
        "even a right code waits out the lock: {}",
        locked.text
    );

    app.clock.advance(2);
    assert_eq!(app.sign_in_mfa(&token, code).await.status, 200);
    for _ in 0..4 {
        challenge(&app).await;
    }
    assert_eq!(
        app.sign_in(ADA, PASSWORD).await.status,
        200,
        "a right code cleared the count"
    );
}

#[tokio::test]
async fn activation_and_deactivation_of_an_account_with_totp_need_a_code() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    for path in [paths::DEACTIVATE, paths::ACTIVATE] {
        let body = json!({"email": ADA, "password": PASSWORD});
        let missing = app.post(path, &body).await;
        assert_eq!(
            (missing.status, missing.error_code()),
            (400, "ValidationError"),
            "{path}"
        );
        assert!(
            missing.json["detail"]["code"].is_string(),
            "{path}: {}",
            missing.text
        );
        let wrong = json!({"email": ADA, "password": PASSWORD, "code": "000000"});
        let wrong = app.post(path, &wrong).await;
        assert_eq!(
            (wrong.status, wrong.error_code()),
            (401, "InvalidCredentials"),
            "{path}"
        );
        let code = code_at(&with.secret, app.clock.now());
        let right = json!({"email": ADA, "password": PASSWORD, "code": code});
        let right = app.post(path, &right).await;
        assert_eq!(right.status, 200, "{path}: {}", right.text);
        assert_eq!(right.json["active"], path == paths::ACTIVATE);
        app.clock.advance(30);
    }
    let wrong_password = json!({"email": ADA, "password": "not it", "code": "000000"});
    assert_eq!(
        app.post(paths::DEACTIVATE, &wrong_password).await.status,
        401
    );
}
