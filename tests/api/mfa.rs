//! The second factor, row by row of its contract: enrolment, confirmation, the sign-in
//! challenge, recovery codes, disabling, and what activation and deactivation ask of an
//! account with TOTP.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{CodePurpose, TotpSecret};

use crate::common::totp::{code_at, secret_of};
use crate::common::{PASSWORD, TestApp, in_memory_app, paths};

const ADA: &str = "ada@example.com";

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

fn text<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {body}"))
}

fn keys(body: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = body
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// An active account whose address is verified, signed in: the sign-in's body.
async fn verified_session(app: &TestApp<InMemoryStore>, email: &str) -> Value {
    app.given_user(email).await;
    let code = app.code_sent(email, CodePurpose::Verification);
    assert_eq!(app.verify(email, &code).await.status, 200);
    assert_eq!(app.activate(email, PASSWORD).await.status, 200);
    app.given_session(email).await
}

/// Ada with TOTP: her app's secret, the confirmation's body (recovery codes and a pair).
struct WithTotp {
    secret: TotpSecret,
    confirmed: Value,
}

impl WithTotp {
    fn access(&self) -> &str {
        text(&self.confirmed, "access_token")
    }

    fn recovery_code(&self, i: usize) -> &str {
        self.confirmed["recovery_codes"][i]
            .as_str()
            .expect("a recovery code")
    }
}

async fn with_totp(app: &TestApp<InMemoryStore>) -> WithTotp {
    let session = verified_session(app, ADA).await;
    let access = text(&session, "access_token");
    let enrolment = app
        .post_as(paths::TOTP, access, &json!({"password": PASSWORD}))
        .await;
    assert_eq!(enrolment.status, 200, "{}", enrolment.text);
    let secret = secret_of(&enrolment.json);
    let code = code_at(&secret, app.clock.now());
    let confirmed = app
        .post_as(paths::TOTP_CONFIRM, access, &json!({"code": code}))
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    // The next code a test sends is of a later step than the one just used.
    app.clock.advance(30);
    WithTotp {
        secret,
        confirmed: confirmed.json,
    }
}

/// The `mfa_token` a sign-in with the right password answers.
async fn challenge(app: &TestApp<InMemoryStore>) -> String {
    let reply = app.sign_in(ADA, PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    text(&reply.json, "mfa_token").to_owned()
}

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
