//! No log line ever contains a password, a password hash, the pepper, a signing key, a
//! token (access or refresh), a mailed code, or anything of a second factor (a TOTP secret,
//! sealed or not, a TOTP code, a recovery code, an `mfa_token`), at any level.
//!
//! The flows run against DynamoDB Local with `RUST_LOG=trace`, the most verbose setting, and
//! the captured JSON lines are searched for every secret involved. A control test shows that
//! the same search does find the hash when the telemetry's guard is left out, so the main test
//! is able to fail.
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

#[path = "../common/mod.rs"]
mod common;

use serde_json::json;
use tracing::subscriber::set_default;
use user_service::adapters::dynamodb::DynamoDbStore;
use user_service::domain::Email;
use user_service::service::AccountStore;
use user_service::telemetry;

use common::capture::Capture;
use common::dynamodb::Local;
use common::{KEY_A, KEY_B, PASSWORD, PEPPER, app, credentials, sign_up_body};

/// Serialises the tests of this file. Each installs a subscriber for its own thread; when two
/// threads do so at the same moment, tracing's per-callsite cache of "is anyone interested?"
/// can be computed against the wrong one, and the first events of a test go missing.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn stored_hash(local: &Local, email: &str) -> String {
    let email = Email::parse(email).expect("valid");
    let user = local
        .store()
        .find_by_email(&email)
        .await
        .expect("readable")
        .expect("stored");
    user.password_hash().expose().to_owned()
}

/// The parts of a PHC string that are secret material: the salt and the digest.
fn secret_parts(hash: &str) -> Vec<String> {
    hash.rsplit('$').take(2).map(str::to_owned).collect()
}

#[tokio::test]
async fn no_secret_reaches_the_log_even_at_trace_level() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let local = Local::new().await;
    let app = app(local.store());
    let capture = Capture::default();
    let _guard = set_default(telemetry::subscriber(capture.clone(), Some("trace")));
    let wrong = "an-incorrect-password-guess";
    let short = "tiny";

    let requests = [
        ("/user/", sign_up_body("ada@example.com"), 200),
        ("/user/", sign_up_body("ada@example.com"), 409),
        (
            "/user/signin/",
            credentials("ada@example.com", PASSWORD),
            400,
        ),
        (
            "/user/activate/",
            credentials("ada@example.com", PASSWORD),
            200,
        ),
        (
            "/user/signin/",
            credentials("ada@example.com", PASSWORD),
            200,
        ),
        ("/user/signin/", credentials("ada@example.com", wrong), 401),
        (
            "/user/deactivate/",
            credentials("ada@example.com", PASSWORD),
            200,
        ),
        (
            "/user/",
            json!({"name": "A", "surname": "B", "email": "b@x.io", "password": short}),
            400,
        ),
        (
            "/user/",
            json!({"name": "A", "surname": "B", "email": 5, "password": [PASSWORD]}),
            400,
        ),
    ];
    for (path, body, status) in &requests {
        assert_eq!(app.post(path, body).await.status, *status, "{path} {body}");
    }
    let tokens = session_flow(&app).await;
    let mut codes = code_flow(&app).await;
    let (mfa_secrets, mfa_codes) = mfa_flow(&local, &app).await;
    codes.extend(mfa_codes);
    // A server error, whose whole cause chain is logged.
    let missing = app_for_missing_table(&local);
    assert_eq!(
        missing.sign_in("ada@example.com", PASSWORD).await.status,
        500
    );

    let logs = capture.text();
    let hash = stored_hash(&local, "ada@example.com").await;
    let mut secrets = vec![
        PASSWORD.to_owned(),
        wrong.to_owned(),
        short.to_owned(),
        PEPPER.to_owned(),
    ];
    secrets.extend(secret_parts(&hash));
    secrets.push(hash);
    secrets.extend(tokens);
    secrets.extend(mfa_secrets);
    secrets.extend(
        [KEY_A, KEY_B]
            .iter()
            .flat_map(|pem| pem.lines().filter(|line| !line.starts_with("-----")))
            .map(str::to_owned),
    );
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret was logged: {secret}"
        );
    }
    for code in &codes {
        assert!(!holds_number(&logs, code), "a code was logged: {code}");
    }
    assert_eq!(
        logs.matches("request handled").count(),
        requests.len() + SESSION_REQUESTS + CODE_REQUESTS + MFA_REQUESTS + 1,
        "one line per request:\n{logs}"
    );
    assert!(
        logs.contains("ResourceNotFoundException"),
        "the 500's cause is logged:\n{logs}"
    );
    assert!(
        logs.contains("aws_smithy_runtime"),
        "the SDK's own logs were captured too"
    );
    for line in logs.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is a JSON object");
    }
}

const SESSION_REQUESTS: usize = 8;

/// Signs in, refreshes, reads the account, presents a spent and a forged token and signs out:
/// [`SESSION_REQUESTS`] requests. Returns every token and token secret handed out or forged.
async fn session_flow(app: &common::TestApp<DynamoDbStore>) -> Vec<String> {
    assert_eq!(app.activate("ada@example.com", PASSWORD).await.status, 200);
    let first = app.sign_in("ada@example.com", PASSWORD).await.json;
    let token = |body: &serde_json::Value, name: &str| body[name].as_str().expect(name).to_owned();
    let second = app.refresh(&token(&first, "refresh_token")).await.json;
    assert_eq!(app.me(&token(&second, "access_token")).await.status, 200);
    let forged = format!("{}x", token(&second, "access_token"));
    assert_eq!(app.me(&forged).await.status, 401);
    assert_eq!(
        app.refresh(&token(&first, "refresh_token")).await.status,
        401
    );
    assert_eq!(
        app.sign_out(&token(&second, "refresh_token"), true)
            .await
            .status,
        204
    );
    assert_eq!(
        app.refresh(&token(&second, "refresh_token")).await.status,
        401
    );
    let mut tokens = Vec::new();
    for body in [&first, &second] {
        for name in ["access_token", "refresh_token"] {
            let text = token(body, name);
            // The secret part of each: a JWT's signature, a refresh token's secret.
            tokens.push(text.rsplit('.').next().expect("a part").to_owned());
            tokens.push(text);
        }
    }
    tokens.push(forged);
    tokens
}

/// Whether `text` holds `digits` as a number of its own: not inside a longer run of digits,
/// nor the fraction of a timestamp or a duration (`.123456`), where six digits turn up by
/// chance. A code that leaked would stand alone (`"code":"123456"`, `code=123456`).
fn holds_number(text: &str, digits: &str) -> bool {
    text.match_indices(digits).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + digits.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

const CODE_REQUESTS: usize = 3;

/// Presents a wrong and the right verification code and asks for another (too soon):
/// [`CODE_REQUESTS`] requests. Returns every code mailed.
async fn code_flow(app: &common::TestApp<DynamoDbStore>) -> Vec<String> {
    use user_service::domain::CodePurpose;
    let code = app.code_sent("ada@example.com", CodePurpose::Verification);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(app.verify("ada@example.com", wrong).await.status, 400);
    assert_eq!(app.resend("ada@example.com").await.status, 429);
    assert_eq!(app.verify("ada@example.com", &code).await.status, 200);
    let codes: Vec<String> = app
        .mailbox
        .sent()
        .into_iter()
        .map(|mail| mail.code)
        .collect();
    assert!(!codes.is_empty());
    codes
}

const MFA_REQUESTS: usize = 8;

/// Enrols Ada (verified by `code_flow`) in TOTP, confirms, and signs in with a wrong code, a
/// right one and a recovery code: [`MFA_REQUESTS`] requests. Returns the secrets handed out
/// (the TOTP secret and its URI, the sealed secret as a store would log it, recovery codes,
/// `mfa_token`s, tokens) and the TOTP codes sent.
async fn mfa_flow(
    local: &Local,
    app: &common::TestApp<DynamoDbStore>,
) -> (Vec<String>, Vec<String>) {
    use base64::Engine;
    use common::paths;
    use common::totp::{code_at, secret_of};

    let text = |body: &serde_json::Value, name: &str| body[name].as_str().expect(name).to_owned();
    let session = app.sign_in("ada@example.com", PASSWORD).await.json;
    let access = text(&session, "access_token");
    let body = json!({"password": PASSWORD});
    let enrolment = app.post_as(paths::TOTP, &access, &body).await.json;
    let secret = secret_of(&enrolment);
    let first = code_at(&secret, app.clock.now());
    let confirm = json!({"code": first});
    let confirmed = app.post_as(paths::TOTP_CONFIRM, &access, &confirm).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    app.clock.advance(30);
    let challenge = || async {
        text(
            &app.sign_in("ada@example.com", PASSWORD).await.json,
            "mfa_token",
        )
    };
    let one = challenge().await;
    let wrong = code_at(&secret, app.clock.now() + 3600);
    let right = code_at(&secret, app.clock.now());
    assert_eq!(
        app.sign_in_mfa(&one, json!({"code": wrong})).await.status,
        401
    );
    let signed_in = app.sign_in_mfa(&one, json!({"code": right})).await.json;
    // A second factor passed changes the account: challenges issued before it are void.
    let two = challenge().await;
    let recovery = confirmed.json["recovery_codes"][0]
        .as_str()
        .expect("a code")
        .to_owned();
    let recovered = app
        .sign_in_mfa(&two, json!({"recovery_code": recovery}))
        .await;
    assert_eq!(recovered.status, 200, "{}", recovered.text);

    let user = local
        .store()
        .find_by_email(&Email::parse("ada@example.com").expect("valid"))
        .await
        .expect("readable")
        .expect("stored");
    let sealed = user
        .second_factor()
        .totp()
        .expect("sealed")
        .bytes()
        .to_vec();
    let mut secrets = vec![
        secret.base32(),
        text(&enrolment, "otpauth_uri"),
        base64::engine::general_purpose::STANDARD.encode(&sealed),
        one.clone(),
        two.clone(),
    ];
    for token in [&one, &two] {
        secrets.push(token.rsplit('.').next().expect("a secret").to_owned());
    }
    for code in confirmed.json["recovery_codes"].as_array().expect("codes") {
        let code = code.as_str().expect("a code");
        secrets.push(code.to_owned());
        secrets.push(code.replace('-', ""));
    }
    for body in [&confirmed.json, &signed_in, &recovered.json] {
        secrets.push(text(body, "access_token"));
        secrets.push(text(body, "refresh_token"));
    }
    (secrets, vec![first, wrong, right])
}

fn app_for_missing_table(local: &Local) -> common::TestApp<DynamoDbStore> {
    app(DynamoDbStore::new(local.client.clone(), "no-such-table"))
}

#[tokio::test]
async fn without_the_guard_the_sdk_would_log_the_hash_at_trace_level() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let local = Local::new().await;
    let app = app(local.store());
    app.given_user("ada@example.com").await;
    let hash = stored_hash(&local, "ada@example.com").await;
    let capture = Capture::default();
    let unguarded = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .finish();
    let _guard = set_default(unguarded);

    app.sign_in("ada@example.com", PASSWORD).await;

    let digest = secret_parts(&hash).remove(0);
    assert!(
        capture.text().contains(&digest),
        "the control did not see the hash"
    );
}

#[test]
fn a_code_standing_alone_is_found_and_a_timestamps_digits_are_not_a_code() {
    assert!(holds_number(r#"{"code":"123456"}"#, "123456"));
    assert!(holds_number("code=123456 sent", "123456"));
    assert!(!holds_number("2026-12-01T10:00:00.123456Z", "123456"));
    assert!(!holds_number("id 91234567", "123456"));
}
