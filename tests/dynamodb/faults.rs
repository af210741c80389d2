//! Failures DynamoDB Local never produces (throttling, transaction conflicts, outages), fed to
//! the real SDK as canned HTTP responses, so its parsing and retries run exactly as in AWS.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::{Credentials, Region};
use serde_json::json;
use user_service::adapters::dynamodb::DynamoDbStore;
use user_service::domain::Password;

use crate::common::canned::Canned;
use crate::common::dynamodb::Calls;
use crate::common::{PASSWORD, app, credentials, hasher, paths, sign_up_body};

const MAX_ATTEMPTS: u32 = 3;
/// How often a sign-up is tried when DynamoDB cancels it for a concurrent transaction (the
/// service's one retry loop, `service/retrying.rs`).
const SIGN_UP_ATTEMPTS: u32 = 3;

fn config(calls: &Calls) -> aws_sdk_dynamodb::config::Builder {
    aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .interceptor(calls.clone())
}

/// A store whose every DynamoDB call gets `status` and `body`.
fn canned_store(canned: &Canned) -> DynamoDbStore {
    let config = config(&Calls::default())
        .http_client(canned.client())
        .build();
    DynamoDbStore::new(aws_sdk_dynamodb::Client::from_conf(config), "users")
}

fn error(kind: &str, message: &str) -> serde_json::Value {
    json!({"__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"), "message": message})
}

fn cancelled(reasons: &[&str]) -> serde_json::Value {
    let reasons: Vec<_> = reasons.iter().map(|code| json!({"Code": code})).collect();
    json!({
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons",
        "CancellationReasons": reasons,
    })
}

#[tokio::test]
async fn each_dynamodb_failure_maps_to_its_status_after_the_sdks_retries() {
    let sign_in = ("/user/signin/", credentials("ada@example.com", PASSWORD));
    let sign_up = ("/user/", sign_up_body("ada@example.com"));
    let cases = [
        (
            "throttled read",
            400,
            error("ThrottlingException", "Rate exceeded"),
            &sign_in,
            503,
            MAX_ATTEMPTS,
        ),
        (
            "provisioned throughput exceeded",
            400,
            error("ProvisionedThroughputExceededException", "Slow down"),
            &sign_in,
            503,
            MAX_ATTEMPTS,
        ),
        (
            "DynamoDB outage",
            500,
            error("InternalServerError", "Oops"),
            &sign_in,
            503,
            MAX_ATTEMPTS,
        ),
        (
            "transaction conflict on every attempt",
            400,
            cancelled(&["TransactionConflict", "None", "None"]),
            &sign_up,
            503,
            SIGN_UP_ATTEMPTS,
        ),
        (
            "throttled transaction",
            400,
            cancelled(&["None", "ThrottlingError", "None"]),
            &sign_up,
            503,
            1,
        ),
        (
            "e-mail taken",
            400,
            cancelled(&["ConditionalCheckFailed", "None", "None"]),
            &sign_up,
            409,
            1,
        ),
        (
            "uuid collision",
            400,
            cancelled(&["None", "ConditionalCheckFailed", "None"]),
            &sign_up,
            500,
            1,
        ),
        (
            "missing table",
            400,
            error("ResourceNotFoundException", "No table"),
            &sign_in,
            500,
            1,
        ),
        (
            "missing permission",
            400,
            error("AccessDeniedException", "Not allowed"),
            &sign_in,
            500,
            1,
        ),
        (
            "corrupt item",
            200,
            json!({"Item": {"pk": {"S": "EMAIL#ada@example.com"}}}),
            &sign_in,
            500,
            1,
        ),
    ];
    for (why, status, body, (path, request), expected, requests) in cases {
        let canned = Canned::new(status, body);

        let reply = app(canned_store(&canned)).post(path, request).await;

        assert_eq!(reply.status, expected, "{why}: {}", reply.text);
        assert_eq!(canned.requests(), requests as usize, "{why}: requests sent");
        assert!(
            !reply.text.contains("amazonaws"),
            "{why}: internals leaked: {}",
            reply.text
        );
        assert!(
            !reply.text.contains("Exception"),
            "{why}: internals leaked: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn an_unreachable_dynamodb_is_503_after_the_sdks_retries() {
    let calls = Calls::default();
    let config = config(&calls).endpoint_url("http://127.0.0.1:1").build();
    let store = DynamoDbStore::new(aws_sdk_dynamodb::Client::from_conf(config), "users");

    let reply = app(store).sign_in("ada@example.com", PASSWORD).await;

    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.headers["retry-after"], "1");
    assert_eq!(
        calls.attempts(),
        MAX_ATTEMPTS as usize,
        "the SDK retried before giving up"
    );
}

#[tokio::test]
async fn the_loser_of_a_same_email_race_that_dynamodb_cancels_gets_409_on_its_retry() {
    // What DynamoDB answers the loser of two overlapping sign-ups: first the transaction is
    // cancelled for the conflict (DynamoDB Local never does this), then, retried, it meets
    // the winner's item.
    let canned = Canned::sequence([
        (400, cancelled(&["TransactionConflict", "None", "None"])),
        (400, cancelled(&["ConditionalCheckFailed", "None", "None"])),
    ]);

    let reply = app(canned_store(&canned)).sign_up("ada@example.com").await;

    assert_eq!(reply.status, 409, "{}", reply.text);
    assert_eq!(reply.error_code(), "EmailTaken");
    assert_eq!(canned.requests(), 2, "one retry");
}

#[tokio::test]
async fn a_sign_up_cancelled_once_for_a_conflict_succeeds_on_its_retry() {
    let canned = Canned::sequence([
        (400, cancelled(&["None", "TransactionConflict", "None"])),
        (200, json!({})),
    ]);

    let reply = app(canned_store(&canned)).sign_up("ada@example.com").await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        canned.requests(),
        2 + 2,
        "the sign-up, then its verification mail's read and write"
    );
}

#[tokio::test]
async fn a_status_change_whose_update_meets_a_transaction_conflict_is_retried_not_a_503() {
    let password = Password::parse(PASSWORD.to_owned()).expect("valid");
    let hash = hasher().hash(&password).await.expect("hashes");
    let account = json!({"Item": {
        "pk": {"S": "EMAIL#ada@example.com"}, "kind": {"S": "account"},
        "id": {"S": "5f0c6f2e-8d1a-4c1b-9a55-0d5a3e3c1b2a"}, "email": {"S": "ada@example.com"},
        "name": {"S": "Ada"}, "surname": {"S": "Lovelace"},
        "password_hash": {"S": hash.expose()},
        "active": {"BOOL": false}, "version": {"N": "1"},
        "created_at": {"N": "1700000000"}, "updated_at": {"N": "1700000000"}}});
    // GetItem, the check counted and cleared, the status and its event's transaction cancelled
    // by a concurrent one; then all of it again, and the status written.
    let canned = Canned::sequence([
        (200, account.clone()),
        (200, json!({})),
        (200, json!({})),
        (400, cancelled(&["TransactionConflict", "None"])),
        (200, account),
        (200, json!({})),
        (200, json!({})),
        (200, json!({})),
    ]);

    let reply = app(canned_store(&canned))
        .activate("ada@example.com", PASSWORD)
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["active"], true);
    assert_eq!(
        canned.requests(),
        8,
        "read, count, clear, refused write; read, count, clear, write"
    );
}

/// DynamoDB cancels a `TransactGetItems` while a write to one of its items is in flight: a busy
/// address, not a fault. The read of an address and its codes is tried again, and answered as
/// unavailable (503, try again) if writes keep cancelling it, never as a 500.
#[tokio::test]
async fn a_read_of_an_address_and_its_codes_that_writes_cancel_is_tried_again_then_a_503() {
    let conflict = || (400, cancelled(&["None", "TransactionConflict"]));
    let forgot = json!({"email": "nobody@example.com"});

    let canned = Canned::sequence([
        conflict(),
        conflict(),
        (200, json!({"Responses": [{}, {}]})),
        (200, json!({})),
    ]);
    let reply = app(canned_store(&canned))
        .post(paths::FORGOT, &forgot)
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(
        canned.requests(),
        4,
        "two cancelled reads, the read, the count"
    );

    let canned = Canned::new(conflict().0, conflict().1);
    let reply = app(canned_store(&canned))
        .post(paths::FORGOT, &forgot)
        .await;
    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.error_code(), "ServiceUnavailable");
}
