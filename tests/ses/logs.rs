//! No log line holds the code, at any level: a mail sent through moto and a refused one, with
//! `RUST_LOG=trace`. Unlike DynamoDB's (tests/logs), SES's SDK logs no request body even at
//! TRACE without the telemetry's guard (it logs responses only, which hold a message id): the
//! second test shows the capture does see its TRACE lines, and no code in them. (Seen failing:
//! the adapter logging `code = %mail.code` at INFO.)

use tracing::subscriber::set_default;
use user_service::domain::CodePurpose;
use user_service::service::Mailer;
use user_service::telemetry;

use super::common::capture::Capture;
use super::moto::{mailer, verify};
use super::{mail, settings, unique};

/// One subscriber at a time: tracing caches per call site whether anyone listens, and two
/// threads installing theirs at once can compute it against the wrong one (see tests/logs).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Sends one mail from a verified sender and one from an unverified one; returns the code.
async fn send_two() -> String {
    let sender = unique("sender");
    verify(&sender).await;
    let mail = mail(&unique("logged"), CodePurpose::PasswordReset);
    mailer(settings(&sender))
        .await
        .send(&mail)
        .await
        .expect("sent");
    let refused = mailer(settings(&unique("unverified")))
        .await
        .send(&mail)
        .await;
    let error = refused.expect_err("an unverified sender");
    tracing::error!(error = %format!("{error:#}"), "mail not sent");
    mail.code
}

#[tokio::test]
async fn no_log_line_holds_the_code_even_at_trace_level() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let capture = Capture::default();
    let _guard = set_default(telemetry::subscriber(capture.clone(), Some("trace")));

    let code = send_two().await;

    let text = capture.text();
    assert!(text.contains("mail not sent"), "the capture works: {text}");
    assert!(!text.contains(&code), "the code was logged: {text}");
}

#[tokio::test]
async fn without_the_guard_the_sdks_trace_lines_are_captured_and_hold_no_code_either() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let capture = Capture::default();
    let unguarded = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .finish();
    let _guard = set_default(unguarded);

    let code = send_two().await;

    let text = capture.text();
    assert!(
        text.contains("read HTTP response body"),
        "the SDK's TRACE lines: {text}"
    );
    assert!(!text.contains(&code), "the SDK logged the code: {text}");
}
