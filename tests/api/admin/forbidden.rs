//! Without the IAM principal API Gateway's `AWS_IAM` authorization puts in the context, every
//! admin route answers 403 `Forbidden`, before it reads anything of the request.

use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::http::routes;

use super::{ADMIN_ARN, admin_event, iam_context, id_of};
use crate::common::{PASSWORD, in_memory_app};

/// Contexts that name no IAM principal, and why.
fn no_principal() -> Vec<(Option<Value>, &'static str)> {
    vec![
        (None, "no authorizer context"),
        (Some(json!({})), "an empty authorizer context"),
        (
            Some(json!({"jwt": {"claims": {"sub": "x"}, "scopes": ["account"]}})),
            "a JWT authorizer's context",
        ),
        (Some(json!({"iam": {}})), "an IAM context without userArn"),
        (Some(json!({"iam": iam_context("")})), "an empty userArn"),
        (
            Some(json!({"iam": iam_context("ops")})),
            "a userArn that is no ARN",
        ),
        (
            Some(json!({"lambda": {"userArn": ADMIN_ARN}})),
            "a Lambda authorizer's context",
        ),
    ]
}

#[tokio::test]
async fn every_admin_route_refuses_a_request_without_an_iam_principal_with_403() {
    let (app, store) = in_memory_app();
    let id = id_of(&app.given_session("ada@example.com").await);
    let commits = store.commits();
    let admin_routes: Vec<_> = (routes::<InMemoryStore>().into_iter())
        .filter(|route| route.needs_iam())
        .collect();
    assert_eq!(admin_routes.len(), 7);
    for route in &admin_routes {
        for target in [
            route.path.replace("{id}", &id),
            route.path.replace("{id}", "not-a-uuid"),
        ] {
            for (authorizer, why) in no_principal() {
                let event = admin_event(route.method.as_str(), &target, authorizer);
                let reply = app.send(&event).await;
                let context = format!("{} {target}, {why}: {}", route.method, reply.text);
                assert_eq!(
                    (reply.status, reply.error_code()),
                    (403, "Forbidden"),
                    "{context}"
                );
            }
        }
    }
    assert_eq!(store.commits(), commits, "nothing written");
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_route_key_with_the_id_routes_behind_a_custom_domain() {
    let (app, _) = in_memory_app();
    let id = id_of(&app.given_active_user("ada@example.com").await);
    let mut event = admin_event(
        "GET",
        &format!("/accounts/v1/admin/users/{id}/"),
        Some(json!({"iam": iam_context(ADMIN_ARN)})),
    );
    event["routeKey"] = json!("GET /admin/users/{id}/");
    event["requestContext"]["routeKey"] = json!("GET /admin/users/{id}/");
    event["pathParameters"] = json!({"id": id});

    let reply = app.send(&event).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["id"], json!(id));
}
