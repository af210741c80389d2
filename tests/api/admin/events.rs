//! `GET /admin/users/{id}/events/`: what each request wrote to the outbox, read back through
//! the admin API. A request that changes nothing writes no event; one that changes something
//! writes exactly its own, with the request's id and who made it.

use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{CodePurpose, EVENTS_PER_PAGE, FREE_FAILURES};

use super::{ADMIN_ARN, admin, id_of};
use crate::common::{PASSWORD, TestApp, credentials, in_memory_app, paths};

const ADA: &str = "ada@example.com";

/// The types of the account's events, oldest first, as the admin API pages through them.
async fn history(app: &TestApp<InMemoryStore>, id: &str) -> Vec<String> {
    let mut types = Vec::new();
    let mut target = format!("/admin/users/{id}/events/");
    loop {
        let page = admin(app, "GET", &target).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let events = page.json["events"].as_array().expect("events").clone();
        types.extend(
            events
                .iter()
                .map(|event| event["type"].as_str().expect("a type").to_owned()),
        );
        match page.json["next_cursor"].as_str() {
            Some(cursor) => target = format!("/admin/users/{id}/events/?cursor={cursor}"),
            None => break,
        }
    }
    types.reverse();
    types
}

async fn newest(app: &TestApp<InMemoryStore>, id: &str) -> Value {
    let page = admin(app, "GET", &format!("/admin/users/{id}/events/")).await;
    page.json["events"][0].clone()
}

#[tokio::test]
async fn each_change_writes_its_events_and_a_request_that_changes_nothing_writes_none() {
    let (app, _) = in_memory_app();
    let id = id_of(&app.given_user(ADA).await.clone());
    let steps: Vec<(&str, Vec<&str>)> = vec![
        ("sign-up", vec!["user.created"]),
        ("activation", vec!["user.activated"]),
        ("activation again", vec![]),
        ("a wrong password", vec![]),
        (
            "a reset of the unverified address",
            vec!["user.password_reset", "user.email_verified"],
        ),
        ("deactivation", vec!["user.deactivated"]),
    ];
    let mut expected: Vec<&str> = Vec::new();
    for (step, events) in steps {
        match step {
            "sign-up" => {}
            "activation" | "activation again" => {
                assert_eq!(app.activate(ADA, PASSWORD).await.status, 200, "{step}");
            }
            "a wrong password" => {
                assert_eq!(app.sign_in(ADA, "not the password").await.status, 401);
            }
            "a reset of the unverified address" => {
                app.post(paths::FORGOT, &json!({"email": ADA})).await;
                let code = app.code_sent(ADA, CodePurpose::PasswordReset);
                let body = json!({"email": ADA, "code": code, "new_password": PASSWORD});
                assert_eq!(app.post(paths::RESET, &body).await.status, 204, "{step}");
            }
            "deactivation" => {
                assert_eq!(app.deactivate(ADA, PASSWORD).await.status, 200, "{step}");
            }
            _ => unreachable!(),
        }
        expected.extend(events);
        assert_eq!(history(&app, &id).await, expected, "after {step}");
    }
}

#[tokio::test]
async fn an_event_names_its_account_request_and_actor_and_nothing_secret() {
    let (app, _) = in_memory_app();
    let id = id_of(&app.given_session(ADA).await);
    let event = newest(&app, &id).await;
    let fields: Vec<&str> = event
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "id",
            "type",
            "user_id",
            "sequence",
            "at",
            "request_id",
            "actor"
        ]
    );
    assert_eq!(event["type"], "user.activated");
    assert_eq!(event["user_id"], id.as_str());
    assert_eq!(event["sequence"], 2);
    assert_eq!(event["id"], format!("{id}.2"));
    assert_eq!(event["at"], app.clock.now());
    assert_eq!(event["request_id"], "test-request");
    assert_eq!(event["actor"], "user");

    assert_eq!(
        admin(&app, "POST", &format!("/admin/users/{id}/disable/"))
            .await
            .status,
        200
    );
    let disabled = newest(&app, &id).await;
    assert_eq!(disabled["type"], "user.disabled");
    assert_eq!(
        disabled["actor"], ADMIN_ARN,
        "an administrator's change names them"
    );
    assert!(
        !disabled.to_string().contains(ADA),
        "no address in an event"
    );
}

#[tokio::test]
async fn the_check_that_locks_an_account_writes_user_locked() {
    let (app, _) = in_memory_app();
    let id = id_of(&app.given_active_user(ADA).await);
    for _ in 0..FREE_FAILURES - 1 {
        assert_eq!(app.sign_in(ADA, "not the password").await.status, 401);
    }
    assert_eq!(history(&app, &id).await, ["user.created", "user.activated"]);
    assert_eq!(app.sign_in(ADA, "not the password").await.status, 401);
    assert_eq!(
        history(&app, &id).await,
        ["user.created", "user.activated", "user.locked"]
    );
    // Locked: refused before any check, so nothing is counted and nothing written.
    assert_eq!(app.sign_in(ADA, PASSWORD).await.status, 429);
    assert_eq!(history(&app, &id).await.len(), 3);
}

#[tokio::test]
async fn a_deleted_accounts_trail_outlives_it_and_pages_newest_first() {
    let (app, _) = in_memory_app();
    let id = id_of(&app.given_active_user(ADA).await);
    for _ in 0..EVENTS_PER_PAGE {
        assert_eq!(app.deactivate(ADA, PASSWORD).await.status, 200);
        assert_eq!(app.activate(ADA, PASSWORD).await.status, 200);
    }
    let signed_in = app.post(paths::SIGN_IN, &credentials(ADA, PASSWORD)).await;
    let access = signed_in.json["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let deleted = app
        .post_as(paths::DELETE, &access, &json!({"password": PASSWORD}))
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);

    let first = admin(&app, "GET", &format!("/admin/users/{id}/events/")).await;
    let events = first.json["events"].as_array().expect("events");
    assert_eq!(events.len(), EVENTS_PER_PAGE);
    assert_eq!(events[0]["type"], "user.deleted");
    let sequences: Vec<u64> = events
        .iter()
        .filter_map(|e| e["sequence"].as_u64())
        .collect();
    assert!(
        sequences.windows(2).all(|pair| pair[0] == pair[1] + 1),
        "newest first, no gaps"
    );
    let history = history(&app, &id).await;
    assert_eq!(history.len(), 2 + 2 * EVENTS_PER_PAGE + 1);
    assert_eq!(history.first().map(String::as_str), Some("user.created"));

    let forged = admin(
        &app,
        "GET",
        &format!("/admin/users/{id}/events/?cursor=c2VxOg"),
    )
    .await;
    assert_eq!(
        (forged.status, forged.error_code()),
        (400, "ValidationError")
    );
}
