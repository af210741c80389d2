//! Reading the pepper and the signing keys from Secrets Manager, with canned responses through
//! the real SDK, down to each failure's message. (The end-to-end run reads both from moto.)
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

#[path = "../common/mod.rs"]
mod common;

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
use user_service::adapters::secrets_manager::{fetch_signing_keys, resolve};
use user_service::config::SecretSource;
use user_service::domain::Password;
use user_service::service::{HashCost, PasswordHasher, Pepper, Peppers};

use common::canned::Canned;

/// The pepper of secret `pepper`, as a cold start reads it.
async fn fetch_peppers(client: &Client, secret_id: &str) -> anyhow::Result<Peppers> {
    let source = SecretSource::SecretsManager(secret_id.to_owned());
    resolve(client, source, "the pepper", Peppers::parse).await
}

fn answering(canned: &Canned) -> Client {
    let config = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(canned.client())
        .build();
    Client::from_conf(config)
}

const SECRET_STRING: &str = "0123456789abcdef0123456789abcdef";

/// A cheap hasher with `pepper`.
fn hasher(pepper: impl Into<Peppers>) -> PasswordHasher {
    PasswordHasher::new(pepper, HashCost::new(64, 1, 1).expect("valid"))
}

#[tokio::test]
async fn the_secret_string_is_the_pepper_read_with_one_call() {
    let canned = Canned::new(
        200,
        format!(
            r#"{{"ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pepper-AbCdEf",
                "Name": "pepper", "SecretString": "{SECRET_STRING}"}}"#
        ),
    );

    let fetched = fetch_peppers(&answering(&canned), "pepper")
        .await
        .expect("a pepper");

    assert_eq!(canned.requests(), 1);
    // A pepper cannot be read back, so compare what it does: a hash made with the fetched
    // pepper verifies under the secret's value, and under no other.
    let password = Password::parse("correct horse".to_owned()).expect("valid");
    let hash = hasher(fetched).hash(&password).await.expect("hashes");
    let expected = hasher(Pepper::new(SECRET_STRING).expect("long enough"));
    assert!(expected.verify(&password, &hash).await.expect("verifies"));
    let other = hasher(Pepper::new("0123456789abcdef0123456789abcdeF").expect("long enough"));
    assert!(
        other.verify(&password, &hash).await.is_err(),
        "the hash names a pepper the other hasher does not have"
    );
}

#[tokio::test]
async fn a_document_of_versioned_peppers_is_read_too() {
    let previous = "the-previous-pepper-of-32-bytes-or-more";
    let document = serde_json::json!({"current": SECRET_STRING, "previous": [previous]});
    let answer = serde_json::json!({"Name": "pepper", "SecretString": document.to_string()});
    let canned = Canned::new(200, answer.to_string());

    let fetched = fetch_peppers(&answering(&canned), "pepper")
        .await
        .expect("peppers");

    let password = Password::parse("correct horse".to_owned()).expect("valid");
    let old = hasher(Pepper::new(previous).expect("long enough"))
        .hash(&password)
        .await
        .expect("hashes");
    let hasher = hasher(fetched);
    assert!(hasher.verify(&password, &old).await.expect("verifies"));
    assert!(hasher.is_weaker(&old), "made with the previous pepper");
    let new = hasher.hash(&password).await.expect("hashes");
    let current = self::hasher(Pepper::new(SECRET_STRING).expect("long enough"));
    assert!(current.verify(&password, &new).await.expect("verifies"));
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
            200,
            r#"{"Name": "pepper", "SecretString": "{\"current\": \"too-short-to-use\"}"}"#,
            "current: must be at least 32 bytes",
        ),
        (
            200,
            r#"{"Name": "pepper", "SecretString": "{\"current\": [\"too-short-to-use\"]}"}"#,
            "a pepper or a pepper document",
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

        let error = fetch_peppers(&answering(&canned), "pepper")
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

#[tokio::test]
async fn the_signing_keys_are_read_with_one_call_and_a_placeholder_is_refused_unshown() {
    let document = common::signing_document(common::KEY_A, Some(common::KEY_B), None);
    let answer = |secret: &str| {
        serde_json::json!({"Name": "signing-keys", "SecretString": secret}).to_string()
    };
    let canned = Canned::new(200, answer(&document));

    let keys = fetch_signing_keys(&answering(&canned), "signing-keys")
        .await
        .expect("keys");

    assert_eq!(canned.requests(), 1);
    assert_eq!(keys.jwks().keys.len(), 2);

    // What CloudFormation generates before `make deploy` writes the keys.
    let placeholder = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4";
    let canned = Canned::new(200, answer(placeholder));
    let error = fetch_signing_keys(&answering(&canned), "signing-keys")
        .await
        .expect_err("a placeholder is no key document");
    let chain = format!("{error:#}");
    assert!(chain.contains("signing-key document"), "{chain}");
    assert!(!chain.contains(placeholder), "the value leaked: {chain}");
}
