//! What moto never does, through the SDK's real parsing and retries: throttling, a rejection,
//! and no SES at all. Each is an `Err` saying what we were doing, never holding the code.

use aws_config::BehaviorVersion;
use aws_sdk_sesv2::config::{Credentials, Region};
use user_service::adapters::ses::SesMailer;
use user_service::domain::CodePurpose;
use user_service::service::Mailer;

use super::common::canned::Canned;
use super::{mail, settings};

fn answering(canned: &Canned) -> SesMailer {
    let config = aws_sdk_sesv2::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(canned.client())
        .build();
    SesMailer::new(
        aws_sdk_sesv2::Client::from_conf(config),
        settings("no-reply@example.com"),
    )
}

/// Sends one password-reset mail with `mailer` and returns the error's whole chain, checking
/// that the code is nowhere in it.
async fn failure(mailer: &SesMailer) -> String {
    let mail = mail("ada@example.com", CodePurpose::PasswordReset);
    let error = mailer.send(&mail).await.expect_err("must fail");
    let (chain, debug) = (format!("{error:#}"), format!("{error:?}"));
    assert!(
        !chain.contains(&mail.code) && !debug.contains(&mail.code),
        "{debug}"
    );
    assert!(
        chain.starts_with("sending the password_reset mail through SES: "),
        "{chain}"
    );
    chain
}

#[tokio::test]
async fn throttling_is_retried_by_the_sdk_then_an_error() {
    let canned = Canned::new(
        429,
        r#"{"__type": "TooManyRequestsException", "message": "Maximum sending rate exceeded."}"#,
    );

    let chain = failure(&answering(&canned)).await;

    assert!(chain.contains("TooManyRequests"), "{chain}");
    assert_eq!(canned.requests(), 3, "the SDK's standard retries");
}

#[tokio::test]
async fn a_rejected_message_is_an_error_at_once() {
    let canned = Canned::new(
        400,
        r#"{"__type": "MessageRejected", "message": "Email address is not verified."}"#,
    );

    let chain = failure(&answering(&canned)).await;

    assert!(chain.contains("MessageRejected"), "{chain}");
    assert_eq!(canned.requests(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn an_unreachable_ses_is_an_error_within_the_operation_timeout() {
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url("http://127.0.0.1:1")
        .load()
        .await;
    let mailer = SesMailer::from_config(&sdk, settings("no-reply@example.com"));
    let started = std::time::Instant::now();

    let chain = failure(&mailer).await;

    assert!(chain.contains("dispatch failure"), "{chain}");
    assert!(
        started.elapsed() <= user_service::adapters::ses::OPERATION_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
}
