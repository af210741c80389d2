//! Which route a request reaches: by the route API Gateway matched, whatever prefix a custom
//! domain's API mapping leaves in the raw path.

use serde_json::{Value, json};

use crate::common::{PASSWORD, event, in_memory_app, paths};

/// A sign-in event as API Gateway delivers it through a custom domain whose API mapping has
/// the path `accounts/v1`: the raw path keeps the prefix, the route key does not.
fn through_custom_domain(route_key: &str) -> Value {
    let body = json!({"email": "ada@example.com", "password": PASSWORD}).to_string();
    let mut event = event(
        "POST",
        paths::SIGN_IN,
        json!({"content-type": "application/json"}),
        Some(&body),
        false,
    );
    let prefixed = format!("/accounts/v1{}", paths::SIGN_IN);
    event["rawPath"] = json!(prefixed);
    event["requestContext"]["http"]["path"] = json!(prefixed);
    event["requestContext"]["domainName"] = json!("api.example.com");
    event["routeKey"] = json!(route_key);
    event["requestContext"]["routeKey"] = json!(route_key);
    event
}

#[tokio::test]
async fn behind_a_custom_domain_the_route_key_routes_not_the_prefixed_raw_path() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;

    let reply = app.send(&through_custom_domain("POST /user/signin/")).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["active"], true);
}

#[tokio::test]
async fn without_a_concrete_route_key_the_raw_path_routes() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    for route_key in ["$default", "ANY /{proxy+}"] {
        let mut event = through_custom_domain(route_key);
        assert_eq!(
            app.send(&event).await.status,
            404,
            "{route_key}: the prefix is part of the path"
        );

        event["rawPath"] = json!(paths::SIGN_IN);
        event["requestContext"]["http"]["path"] = json!(paths::SIGN_IN);
        assert_eq!(app.send(&event).await.status, 200, "{route_key}");
    }
}
