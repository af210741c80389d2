//! `GET /admin/users/`: pages of accounts, by address prefix, with a cursor.

use std::collections::BTreeSet;

use base64::Engine;
use serde_json::Value;

use super::admin;
use crate::common::{TestApp, in_memory_app};
use user_service::adapters::in_memory::InMemoryStore;

/// Every page from the first, following the cursors: the pages' addresses.
async fn every_page(app: &TestApp<InMemoryStore>, query: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let target = match &cursor {
            Some(cursor) => format!("/admin/users/?{query}&cursor={cursor}"),
            None => format!("/admin/users/?{query}"),
        };
        let reply = admin(app, "GET", &target).await;
        assert_eq!(reply.status, 200, "{target}: {}", reply.text);
        let users = reply.json["users"].as_array().expect("users");
        pages.push(
            users
                .iter()
                .map(|user| user["email"].as_str().expect("an address").to_owned())
                .collect(),
        );
        match &reply.json["next_cursor"] {
            Value::String(next) => cursor = Some(next.clone()),
            Value::Null => return pages,
            other => panic!("next_cursor {other}"),
        }
        assert!(pages.len() < 20, "the pages end");
    }
}

#[tokio::test]
async fn pages_of_a_prefix_hold_each_of_its_accounts_once_and_no_other() {
    let (app, _) = in_memory_app();
    let mut adas = BTreeSet::new();
    for n in 0..7 {
        let address = format!("ada{n}@example.com");
        app.given_user(&address).await;
        adas.insert(address);
    }
    for n in 0..3 {
        app.given_user(&format!("grace{n}@example.com")).await;
    }

    let pages = every_page(&app, "email_prefix=ADA&limit=3").await;

    assert!(pages.iter().all(|page| page.len() <= 3), "{pages:?}");
    let listed: Vec<&String> = pages.iter().flatten().collect();
    let unique: BTreeSet<String> = listed.iter().map(|a| (*a).clone()).collect();
    assert_eq!(listed.len(), unique.len(), "no account twice: {pages:?}");
    assert_eq!(unique, adas);
}

#[tokio::test]
async fn without_a_prefix_every_account_is_listed_fifty_a_page_by_default() {
    let (app, _) = in_memory_app();
    for n in 0..52 {
        app.given_user(&format!("user{n}@example.com")).await;
    }

    let pages = every_page(&app, "").await;

    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [50, 2]);
}

#[tokio::test]
async fn a_listed_account_shows_no_secret_and_no_session_count() {
    let (app, _) = in_memory_app();
    app.given_session("ada@example.com").await;

    let reply = admin(&app, "GET", "/admin/users/?limit=1").await;

    let user = &reply.json["users"][0];
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["disabled"], false);
    assert!(user.get("live_sessions").is_none());
    assert!(user.get("password_hash").is_none() && !reply.text.contains("argon2"));
    assert_eq!(reply.json["next_cursor"], Value::Null);
}

#[tokio::test]
async fn bad_parameters_are_400_naming_each() {
    let (app, _) = in_memory_app();
    let forged = |key: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key);
    let cases = [
        ("limit=0".to_owned(), "limit", "below 1"),
        ("limit=201".to_owned(), "limit", "above 200"),
        ("limit=ten".to_owned(), "limit", "no number"),
        ("limit=-1".to_owned(), "limit", "negative"),
        ("limit=1&limit=2".to_owned(), "limit", "given twice"),
        ("cursor=not%20base64".to_owned(), "cursor", "not base64url"),
        (
            format!("cursor={}", forged("SESSION#x")),
            "cursor",
            "a key that is no address",
        ),
        (
            format!("email_prefix={}", "a".repeat(255)),
            "email_prefix",
            "too long",
        ),
    ];
    for (query, field, why) in cases {
        let reply = admin(&app, "GET", &format!("/admin/users/?{query}")).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (400, "ValidationError"),
            "{why}: {}",
            reply.text
        );
        assert!(
            reply.json["detail"][field].is_string(),
            "{why}: {}",
            reply.text
        );
    }
}
