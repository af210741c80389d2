//! Reading the pepper from Secrets Manager, with canned responses through the real SDK (there is
//! no local Secrets Manager to run).

#[path = "../common/mod.rs"]
mod common;

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
use user_service::adapters::secrets_manager::fetch_pepper;

use common::canned::Canned;

fn answering(canned: &Canned) -> Client {
    let config = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(canned.client())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn the_secret_string_is_the_pepper_read_with_one_call() {
    let canned = Canned::new(
        200,
        r#"{"ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pepper-AbCdEf",
            "Name": "pepper", "SecretString": "0123456789abcdef0123456789abcdef"}"#,
    );

    let pepper = fetch_pepper(&answering(&canned), "pepper").await;

    assert!(pepper.is_ok(), "{pepper:?}");
    assert_eq!(canned.requests(), 1);
}

#[tokio::test]
async fn an_unusable_secret_is_an_error_that_never_shows_its_value() {
    let cases = [
        (
            200,
            r#"{"Name": "pepper", "SecretBinary": "AAAA"}"#,
            "has no SecretString",
        ),
        (
            200,
            r#"{"Name": "pepper", "SecretString": "too-short-to-use"}"#,
            "at least 32 bytes",
        ),
        (
            400,
            r#"{"__type": "AccessDeniedException", "message": "no"}"#,
            "AccessDenied",
        ),
        (
            400,
            r#"{"__type": "ResourceNotFoundException", "message": "?"}"#,
            "ResourceNotFound",
        ),
    ];
    for (status, body, expected) in cases {
        let canned = Canned::new(status, body);

        let error = fetch_pepper(&answering(&canned), "pepper")
            .await
            .expect_err(body);

        let chain = format!("{error:#}");
        assert!(
            chain.starts_with("reading the pepper") || chain.contains(expected),
            "{chain}"
        );
        assert!(chain.contains(expected), "{body}: {chain}");
        assert!(
            !chain.contains("too-short-to-use"),
            "the value leaked: {chain}"
        );
    }
}
