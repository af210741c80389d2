//! The event `make admin` sends (`scripts/admin_event.py`) is one the handler serves as an
//! admin request of its caller.

use serde_json::Value;

use super::id_of;
use crate::common::in_memory_app;

/// The event `scripts/admin_event.py` prints for `method target`.
fn make_admin_event(method: &str, target: &str) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/admin_event.py");
    let output = std::process::Command::new("python3")
        .args([
            script,
            method,
            target,
            "arn:aws:iam::000000000000:user/local-admin",
        ])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON event")
}

#[tokio::test]
async fn the_events_make_admin_sends_are_served_as_admin_requests() {
    let (app, _) = in_memory_app();
    let id = id_of(&app.given_active_user("ada@example.com").await);

    let listed = app
        .send(&make_admin_event(
            "GET",
            "/admin/users/?email_prefix=ada&limit=1",
        ))
        .await;
    let disabled = app
        .send(&make_admin_event(
            "POST",
            &format!("/admin/users/{id}/disable/"),
        ))
        .await;

    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.json["users"][0]["id"], id.as_str());
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.json["disabled"], true);
}
