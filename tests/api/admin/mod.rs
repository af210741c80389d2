//! The admin routes (`/admin/…`): API Gateway events carrying (or not) the IAM context that
//! `AWS_IAM` authorization writes, in; the account as an administrator sees it, out.

mod accounts;
mod disabling;
mod events;
mod forbidden;
mod listing;
mod local;

use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;

use crate::common::{Reply, TestApp, event};

/// The caller the tests sign as.
pub const ADMIN_ARN: &str = "arn:aws:iam::123456789012:user/ops";

/// `requestContext.authorizer.iam` as API Gateway writes it for a SigV4-signed request.
pub fn iam_context(user_arn: &str) -> Value {
    json!({"accessKey": "AKIAIOSFODNN7EXAMPLE", "accountId": "123456789012",
        "callerId": "AIDAJQABLZS4A3QDU576Q", "principalOrgId": null,
        "userArn": user_arn, "userId": "AIDAJQABLZS4A3QDU576Q"})
}

/// An event for `method` on `target` (a path, with `?query` or without), its authorizer
/// context `authorizer` (`None`: none at all).
pub fn admin_event(method: &str, target: &str, authorizer: Option<Value>) -> Value {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut event = event(method, path, json!({}), None, false);
    event["rawQueryString"] = json!(query);
    if let Some(authorizer) = authorizer {
        event["requestContext"]["authorizer"] = authorizer;
    }
    event
}

/// `method target` as [`ADMIN_ARN`].
pub async fn admin(app: &TestApp<InMemoryStore>, method: &str, target: &str) -> Reply {
    let authorizer = json!({"iam": iam_context(ADMIN_ARN)});
    app.send(&admin_event(method, target, Some(authorizer)))
        .await
}

/// The id of the account `body` (a sign-up's or sign-in's answer) shows.
pub fn id_of(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_owned()
}
