//! Routing errors and server-side failures: status, headers and a body that gives nothing away.

use serde_json::json;
use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::domain::{
    ChallengeId, CodePurpose, CodeRecord, Email, MfaChallenge, Session, SessionId, UserId,
};
use user_service::http::{REQUEST_DEADLINE, routes};
use user_service::service::{AccountStore, AtAddress, Change, CommitError, StoreError};

use crate::common::{PASSWORD, app, event, in_memory_app};

#[tokio::test]
async fn other_methods_on_a_known_path_are_405_allowing_what_the_route_table_says() {
    let (app, _) = in_memory_app();
    let table = routes::<InMemoryStore>();
    for route in &table {
        let served: Vec<&str> = (table.iter())
            .filter(|other| other.path == route.path)
            .map(|other| other.method.as_str())
            .collect();
        for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            if served.contains(&method) {
                continue;
            }
            for path in [route.path, route.path.trim_end_matches('/')] {
                let reply = app.send(&event(method, path, json!({}), None, false)).await;
                assert_eq!(reply.status, 405, "{method} {path}");
                assert_eq!(reply.headers["allow"], served.join(", "), "{method} {path}");
                assert_eq!(reply.error_code(), "MethodNotAllowed", "{method} {path}");
            }
        }
    }
}

/// A store that never answers, like a DynamoDB call stuck past every timeout.
#[derive(Clone)]
struct Stalled;

impl AccountStore for Stalled {
    async fn find_at(&self, _: &Email) -> Result<AtAddress, StoreError> {
        std::future::pending().await
    }

    async fn find_codes(
        &self,
        _: &Email,
        _: CodePurpose,
    ) -> Result<(AtAddress, CodeRecord), StoreError> {
        std::future::pending().await
    }

    async fn find_challenge(
        &self,
        _: &Email,
        _: ChallengeId,
    ) -> Result<(AtAddress, Option<MfaChallenge>), StoreError> {
        std::future::pending().await
    }

    async fn find_session(&self, _: SessionId) -> Result<Option<Session>, StoreError> {
        std::future::pending().await
    }

    async fn sessions_of(&self, _: UserId) -> Result<Vec<SessionId>, StoreError> {
        std::future::pending().await
    }

    async fn find_by_id(
        &self,
        id: user_service::domain::UserId,
    ) -> Result<Option<user_service::service::AccountRecord>, StoreError> {
        let _ = id;
        std::future::pending().await
    }

    async fn accounts(
        &self,
        prefix: &user_service::domain::EmailPrefix,
        after: Option<&user_service::domain::AccountCursor>,
        limit: usize,
    ) -> Result<user_service::service::AccountPage, StoreError> {
        let _ = (prefix, after, limit);
        std::future::pending().await
    }

    async fn events_of(
        &self,
        user: user_service::domain::UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<user_service::domain::AccountEvent>, StoreError> {
        let _ = (user, before, limit);
        std::future::pending().await
    }

    async fn find_sessions_of(&self, _: UserId) -> Result<Vec<Session>, StoreError> {
        std::future::pending().await
    }

    async fn commit(&self, _: Vec<Change>) -> Result<(), CommitError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_request_that_outlives_its_deadline_is_a_503_with_retry_after() {
    let app = app(Stalled);
    let started = tokio::time::Instant::now();

    let reply = app.sign_in("ada@example.com", PASSWORD).await;

    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.headers["retry-after"], "1");
    assert_eq!(reply.error_code(), "ServiceUnavailable");
    assert_eq!(
        started.elapsed(),
        REQUEST_DEADLINE,
        "cut off at the deadline, not later"
    );
}

#[tokio::test]
async fn any_other_path_is_404() {
    let (app, _) = in_memory_app();
    for path in [
        "/",
        "/users/",
        "/user/logout/",
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
