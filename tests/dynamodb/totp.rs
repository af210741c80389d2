//! Driving the second factor through the app as a client with an authenticator app would: a
//! verified, active, signed-in account; an enrolment; codes computed from the secret it
//! answered.

use serde_json::{Value, json};
use user_service::adapters::dynamodb::DynamoDbStore;
use user_service::domain::{CodePurpose, TOTP_STEP_SECONDS, TotpSecret};

use crate::common::{PASSWORD, TestApp};

pub const ENROL: &str = "/user/mfa/totp/";
pub const CONFIRM: &str = "/user/mfa/totp/confirm/";
pub const SIGN_IN_MFA: &str = "/user/signin/mfa/";

/// What the app's clock says.
pub fn now(app: &TestApp<DynamoDbStore>) -> u64 {
    app.clock.clock().now()
}

/// The code an authenticator app holding `secret` (Base32, as enrolment answers it) shows at
/// `time`.
pub fn code_at(secret: &str, time: u64) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret).expect("Base32");
    let secret = TotpSecret::from_bytes(bytes.as_ref()).expect("a TOTP secret");
    secret.code_at(time).reveal().to_owned()
}

/// A code no app holding `secret` shows around `time` (the step before, its own, the next).
pub fn wrong_code(secret: &str, time: u64) -> String {
    let step = TOTP_STEP_SECONDS;
    let valid: Vec<String> = [time - step, time, time + step]
        .into_iter()
        .map(|t| code_at(secret, t))
        .collect();
    ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|candidate| !valid.iter().any(|code| code == candidate))
        .expect("three codes cannot be four")
        .to_owned()
}

/// Signs up `email`, verifies its address with the code mailed, activates and signs in:
/// the 200 body of the sign-in.
pub async fn verified_session(app: &TestApp<DynamoDbStore>, email: &str) -> Value {
    app.given_user(email).await;
    let code = app.code_sent(email, CodePurpose::Verification);
    let reply = app.verify(email, &code).await;
    assert_eq!(reply.status, 200, "verifying {email}: {}", reply.text);
    let reply = app.activate(email, PASSWORD).await;
    assert_eq!(reply.status, 200, "activating {email}: {}", reply.text);
    app.given_session(email).await
}

/// The access token of a sign-in's body.
pub fn access(body: &Value) -> &str {
    body["access_token"].as_str().expect("an access token")
}

/// Starts an enrolment as `access`; the secret answered (Base32).
pub async fn enrol(app: &TestApp<DynamoDbStore>, access: &str) -> String {
    let reply = app
        .post_as(ENROL, access, &json!({"password": PASSWORD}))
        .await;
    assert_eq!(reply.status, 200, "enrolment: {}", reply.text);
    reply.json["secret"].as_str().expect("a secret").to_owned()
}

/// Confirms the enrolment of `secret` as `access` with the code of now: the 200 body.
pub async fn confirm(app: &TestApp<DynamoDbStore>, access: &str, secret: &str) -> Value {
    let code = code_at(secret, now(app));
    let reply = app.post_as(CONFIRM, access, &json!({"code": code})).await;
    assert_eq!(reply.status, 200, "confirmation: {}", reply.text);
    reply.json
}

/// A verified, active account under `email` with TOTP confirmed: its secret, and the
/// confirmation's body (the recovery codes and a token pair).
pub async fn with_totp(app: &TestApp<DynamoDbStore>, email: &str) -> (String, Value) {
    let signed_in = verified_session(app, email).await;
    let secret = enrol(app, access(&signed_in)).await;
    let confirmed = confirm(app, access(&signed_in), &secret).await;
    (secret, confirmed)
}
