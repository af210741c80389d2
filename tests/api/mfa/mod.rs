//! The second factor, row by row of its contract: enrolment, confirmation, recovery codes and
//! disabling (`enrolment`), and the sign-in challenge, its codes and the lockout, and what
//! activation and deactivation ask of an account with TOTP (`sign_in`).

mod enrolment;
mod sign_in;

use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{CodePurpose, TotpSecret};

use crate::common::totp::{code_at, secret_of};
use crate::common::{PASSWORD, TestApp, paths};

pub const ADA: &str = "ada@example.com";

pub fn text<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {body}"))
}

pub fn keys(body: &Value) -> Vec<&str> {
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
pub async fn verified_session(app: &TestApp<InMemoryStore>, email: &str) -> Value {
    app.given_user(email).await;
    let code = app.code_sent(email, CodePurpose::Verification);
    assert_eq!(app.verify(email, &code).await.status, 200);
    assert_eq!(app.activate(email, PASSWORD).await.status, 200);
    app.given_session(email).await
}

/// Ada with TOTP: her app's secret, the confirmation's body (recovery codes and a pair).
pub struct WithTotp {
    pub secret: TotpSecret,
    pub confirmed: Value,
}

impl WithTotp {
    pub fn access(&self) -> &str {
        text(&self.confirmed, "access_token")
    }

    pub fn recovery_code(&self, i: usize) -> &str {
        self.confirmed["recovery_codes"][i]
            .as_str()
            .expect("a recovery code")
    }
}

pub async fn with_totp(app: &TestApp<InMemoryStore>) -> WithTotp {
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
pub async fn challenge(app: &TestApp<InMemoryStore>) -> String {
    let reply = app.sign_in(ADA, PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    text(&reply.json, "mfa_token").to_owned()
}
