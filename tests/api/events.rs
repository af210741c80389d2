//! Replays `events/*.json`, the samples users pass to `cargo lambda invoke --data-file`.

use std::path::Path;

use serde_json::Value;

use crate::common::in_memory_app;

/// The documented order (events/README.md) and what each event gets in it.
const SEQUENCE: [(&str, u16, Option<&str>, Option<bool>); 10] = [
    ("create-user.json", 200, None, Some(false)),
    (
        "create-user-malformed.json",
        400,
        Some("MalformedRequest"),
        None,
    ),
    ("signin-inactive.json", 400, Some("UserInactive"), None),
    ("activate.json", 200, None, Some(true)),
    ("signin.json", 200, None, Some(true)),
    ("signin-custom-domain.json", 200, None, Some(true)),
    (
        "signin-wrong-password.json",
        401,
        Some("InvalidCredentials"),
        None,
    ),
    ("deactivate.json", 200, None, Some(false)),
    ("me-invalid-token.json", 401, Some("InvalidToken"), None),
    ("jwks.json", 200, None, None),
];

fn events_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/events"))
}

#[tokio::test]
async fn the_sample_events_replay_to_their_documented_outcomes() {
    let (app, _) = in_memory_app();
    for (file, status, code, active) in SEQUENCE {
        let text = std::fs::read_to_string(events_dir().join(file)).expect("readable event");
        let event: Value = serde_json::from_str(&text).expect("JSON event");

        let reply = app.send(&event).await;

        assert_eq!(reply.status, status, "{file}: {}", reply.text);
        assert_eq!(reply.json["error"].as_str(), code, "{file}");
        assert_eq!(reply.json["active"].as_bool(), active, "{file}");
        assert_eq!(reply.headers["content-type"], "application/json", "{file}");
    }
}

#[test]
fn every_event_file_is_in_the_replayed_sequence() {
    let mut files: Vec<String> = std::fs::read_dir(events_dir())
        .expect("events/ exists")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    let mut replayed: Vec<String> = SEQUENCE.iter().map(|(f, ..)| (*f).to_owned()).collect();
    replayed.sort();
    assert_eq!(files, replayed);
}
