//! The API description: served, cacheable, and exactly the route table.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::http::{DEFAULT_ASSETS_URL, VIEWER_PACKAGE, routes};

use crate::common::{ISSUER, PASSWORD, in_memory_app, paths};

fn operations(document: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            found.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    found
}

#[tokio::test]
async fn the_document_is_served_cacheable_without_the_store_and_describes_every_route() {
    let (app, store) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    store.fail_next_read(Fault::Unavailable);

    let reply = app.get(paths::OPENAPI, json!({})).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.headers["cache-control"], "public, max-age=300");
    assert_eq!(reply.json["openapi"], "3.1.0");
    let routes: BTreeSet<String> = routes::<InMemoryStore>()
        .iter()
        .map(|route| format!("{} {}", route.method, route.path))
        .collect();
    assert_eq!(operations(&reply.json), routes);
    if let Ok(dir) = std::env::var("OPENAPI_OUT") {
        std::fs::write(format!("{dir}/openapi.json"), &reply.text).expect("writable");
    }
    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.status,
        503,
        "the queued fault was still there: nothing read"
    );
}

#[tokio::test]
async fn each_operation_lists_its_error_codes_under_their_statuses() {
    let (app, _) = in_memory_app();
    let document = app.get(paths::OPENAPI, json!({})).await.json;
    let responses = |path: &str, method: &str| document["paths"][path][method]["responses"].clone();
    let codes = |responses: &Value, status: &str| -> Value {
        responses[status]["content"]["application/json"]["schema"]["allOf"][1]["properties"]
            ["error"]["enum"]
            .clone()
    };

    let sign_in = responses("/user/signin/", "post");
    assert_eq!(
        codes(&sign_in, "400"),
        json!([
            "MalformedRequest",
            "ValidationError",
            "UserInactive",
            "EmailNotVerified"
        ])
    );
    assert_eq!(codes(&sign_in, "401"), json!(["InvalidCredentials"]));
    assert_eq!(codes(&sign_in, "404"), json!(["UserNotFound"]));
    assert!(sign_in["503"]["headers"]["Retry-After"].is_object());
    let me = responses("/user/me/", "get");
    assert_eq!(codes(&me, "401"), json!(["InvalidToken"]));
    assert!(me["401"]["headers"]["WWW-Authenticate"].is_object());
    assert_eq!(
        document["paths"]["/user/me/"]["get"]["security"],
        json!([{"bearer": []}])
    );
    let jwks = responses("/.well-known/jwks.json", "get");
    assert!(jwks.get("503").is_none(), "no store, no 503");
    assert_eq!(
        document["components"]["schemas"]["SignUp"]["properties"]["password"]["minLength"], 8,
        "the configured minimum"
    );
}

#[tokio::test]
async fn the_docs_page_loads_the_pinned_viewer_with_its_integrity_and_this_document() {
    let (app, _) = in_memory_app();

    let reply = app.get(paths::DOCS, json!({})).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(reply.headers["cache-control"], "public, max-age=300");
    assert!(
        reply
            .text
            .contains(&format!(r#"data-url="{ISSUER}/openapi.json""#)),
        "{}",
        reply.text
    );
    assert!(reply.text.contains(&format!(
        r#"src="{DEFAULT_ASSETS_URL}/dist/browser/standalone.js" integrity="sha384-"#
    )));
    assert!(DEFAULT_ASSETS_URL.ends_with(VIEWER_PACKAGE));
}

#[tokio::test]
async fn operations_are_grouped_by_the_journey_and_listed_in_the_route_tables_order() {
    let (app, _) = in_memory_app();
    let reply = app.get(paths::OPENAPI, json!({})).await;

    let tags: Vec<&str> = reply.json["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|tag| tag["name"].as_str())
        .collect();
    assert_eq!(tags, ["accounts", "sessions", "documents", "admin"]);
    let listed: Vec<&String> = reply.json["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .collect();
    let mut table: Vec<&str> = routes::<InMemoryStore>().iter().map(|r| r.path).collect();
    table.dedup();
    assert_eq!(listed, table, "the document keeps the table's order");
    for (path, item) in reply.json["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("an item") {
            let tag = operation["tags"][0].as_str().unwrap_or_default();
            assert!(tags.contains(&tag), "{method} {path}: tag {tag:?}");
        }
    }
    let discovery = &reply.json["components"]["schemas"]["OpenIdConfiguration"]["examples"][0];
    assert_eq!(discovery["issuer"], ISSUER);
    assert_eq!(
        discovery["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
}

/// Every `$ref` of the document (`#/components/…`) names something the document holds: a
/// dangling one makes the whole document invalid for every client generator.
#[tokio::test]
async fn every_reference_in_the_document_resolves() {
    fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(fields) => {
                for (key, inner) in fields {
                    match (key.as_str(), inner.as_str()) {
                        ("$ref", Some(target)) => found.push(target),
                        _ => refs(inner, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
            _ => {}
        }
    }
    let (app, _) = in_memory_app();
    let document = app.get(paths::OPENAPI, json!({})).await.json;
    let mut found = Vec::new();
    refs(&document, &mut found);

    let dangling: BTreeSet<&str> = (found.into_iter())
        .filter(|target| {
            let pointer = target.strip_prefix('#').unwrap_or(target);
            document.pointer(pointer).is_none()
        })
        .collect();
    assert!(dangling.is_empty(), "references to nothing: {dangling:?}");
}
