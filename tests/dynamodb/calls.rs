//! Each operation makes the fewest DynamoDB calls possible, and only the calls the adapter
//! declares (and `template.yaml` grants).

use std::collections::BTreeSet;

use user_service::adapters::dynamodb::OPERATIONS;

use crate::common::dynamodb::Local;
use crate::common::{PASSWORD, credentials, sign_up_body};

#[tokio::test]
async fn each_endpoint_makes_exactly_its_budgeted_calls() {
    let local = Local::new().await;
    let app = local.app();
    let ada = credentials("ada@example.com", PASSWORD);
    let steps = [
        (
            "/user/",
            sign_up_body("ada@example.com"),
            200,
            vec!["TransactWriteItems"],
        ),
        (
            "/user/",
            sign_up_body("ada@example.com"),
            409,
            vec!["TransactWriteItems"],
        ),
        ("/user/signin/", ada.clone(), 400, vec!["GetItem"]),
        ("/user/deactivate/", ada.clone(), 200, vec!["GetItem"]),
        (
            "/user/activate/",
            ada.clone(),
            200,
            vec!["GetItem", "UpdateItem"],
        ),
        ("/user/activate/", ada.clone(), 200, vec!["GetItem"]),
        ("/user/signin/", ada.clone(), 200, vec!["GetItem"]),
        (
            "/user/signin/",
            credentials("ada@example.com", "wrong!!!"),
            401,
            vec!["GetItem"],
        ),
        (
            "/user/signin/",
            credentials("eve@example.com", PASSWORD),
            404,
            vec!["GetItem"],
        ),
        (
            "/user/deactivate/",
            ada.clone(),
            200,
            vec!["GetItem", "UpdateItem"],
        ),
        ("/user/", serde_json::json!({}), 400, vec![]),
    ];
    let mut called = BTreeSet::new();
    for (path, body, status, expected) in steps {
        let reply = app.post(path, &body).await;
        assert_eq!(reply.status, status, "{path} {body}: {}", reply.text);
        let calls = local.calls.take();
        assert_eq!(calls, expected, "{path} {body}");
        called.extend(calls);
    }
    let declared: BTreeSet<String> = OPERATIONS.iter().map(|(op, _)| (*op).to_owned()).collect();
    assert_eq!(
        called, declared,
        "the adapter calls exactly the operations it declares"
    );
}
