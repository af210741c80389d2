//! Routing errors and server-side failures: status, headers and a body that gives nothing away.

use serde_json::json;
use user_service::adapters::in_memory::Fault;

use crate::common::{PASSWORD, event, in_memory_app};

#[tokio::test]
async fn other_methods_on_the_four_paths_are_405_with_allow_post() {
    let (app, _) = in_memory_app();
    for path in [
        "/user/",
        "/user/signin",
        "/user/activate/",
        "/user/deactivate",
    ] {
        for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let reply = app.send(&event(method, path, json!({}), None, false)).await;
            assert_eq!(reply.status, 405, "{method} {path}");
            assert_eq!(reply.headers["allow"], "POST", "{method} {path}");
            assert_eq!(reply.error_code(), "MethodNotAllowed", "{method} {path}");
        }
    }
}

#[tokio::test]
async fn any_other_path_is_404() {
    let (app, _) = in_memory_app();
    for path in [
        "/",
        "/users/",
        "/user/signout/",
        "/user/signin/extra",
        "/USER/",
    ] {
        let reply = app.post(path, &json!({})).await;
        assert_eq!(
            reply.json,
            json!({"status_code": 404, "error": "NotFound", "detail": "Not found"}),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_unavailable_store_is_503_with_retry_after_and_no_internals() {
    let (app, store) = in_memory_app();
    app.given_user("ada@example.com").await;
    store.fail_next_read(Fault::Unavailable);

    let reply = app.sign_in("ada@example.com", PASSWORD).await;

    assert_eq!(reply.status, 503);
    assert_eq!(reply.headers["retry-after"], "1");
    assert_eq!(
        reply.json,
        json!({"status_code": 503, "error": "ServiceUnavailable",
               "detail": "The service is temporarily unavailable; try again"})
    );
}

#[tokio::test]
async fn an_unexpected_failure_is_500_with_a_fixed_body() {
    let (app, store) = in_memory_app();
    store.fail_next_commit(Fault::Unexpected);

    let reply = app
        .post("/user/", &crate::common::sign_up_body("ada@example.com"))
        .await;

    assert_eq!(
        reply.json,
        json!({"status_code": 500, "error": "InternalError", "detail": "Internal server error"})
    );
    assert!(
        !reply.text.contains("injected"),
        "the cause stays in the log"
    );
    assert!(store.accounts().is_empty());
}
