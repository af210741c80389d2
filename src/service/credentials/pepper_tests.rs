use super::*;

const P0: &str = "the-first-pepper-ever-32-bytes-long";
const P1: &str = "the-second-pepper-also-32-bytes-long";
const P2: &str = "the-third-pepper-again-32-bytes-long";

fn id(secret: &str) -> PepperId {
    Pepper::new(secret).expect("long enough").id()
}

fn role(peppers: &Peppers, keyid: &[u8]) -> Option<(PepperId, PepperAge)> {
    peppers
        .made_with(keyid)
        .map(|(pepper, age)| (pepper.id(), age))
}

#[test]
fn a_peppers_id_is_a_published_derivation_that_scripts_can_repeat() {
    // scripts/pepper.py computes the same: SHA-256("user-service pepper\0" || secret)[..8].
    let pepper = Pepper::new(&b"a-test-pepper-of-at-least-32-bytes!"[..]).expect("long enough");
    assert_eq!(format!("{:?}", pepper.id()), "PepperId(b0a744e1fa1a36b4)");
    assert_ne!(id(P0), id(P1));
}

#[test]
fn a_plain_secret_is_one_current_pepper_that_also_made_the_untagged_hashes() {
    let peppers = Peppers::parse(P0).expect("a pepper");

    assert_eq!(peppers.current().id(), id(P0));
    assert_eq!(role(&peppers, b""), Some((id(P0), PepperAge::Current)));
    assert_eq!(
        role(&peppers, id(P0).as_bytes()),
        Some((id(P0), PepperAge::Current))
    );
    assert_eq!(role(&peppers, id(P1).as_bytes()), None);
}

#[test]
fn a_document_names_each_peppers_age_and_the_oldest_made_the_untagged_hashes() {
    let text = format!(r#"{{"current": "{P1}", "next": "{P2}", "previous": ["{P0}"]}}"#);
    let peppers = Peppers::parse(&text).expect("a document");

    assert_eq!(peppers.current().id(), id(P1));
    assert_eq!(
        role(&peppers, id(P2).as_bytes()),
        Some((id(P2), PepperAge::Newer))
    );
    assert_eq!(
        role(&peppers, id(P1).as_bytes()),
        Some((id(P1), PepperAge::Current))
    );
    assert_eq!(
        role(&peppers, id(P0).as_bytes()),
        Some((id(P0), PepperAge::Older))
    );
    assert_eq!(role(&peppers, b""), Some((id(P0), PepperAge::Older)));
    assert_eq!(role(&peppers, b"unknown!"), None);
}

#[test]
fn next_and_previous_may_be_left_out_or_empty() {
    for text in [
        format!(r#"{{"current": "{P0}"}}"#),
        format!(r#"{{"current": "{P0}", "next": null, "previous": []}}"#),
    ] {
        let peppers = Peppers::parse(&text).expect("a document");
        assert_eq!(
            role(&peppers, b""),
            Some((id(P0), PepperAge::Current)),
            "{text}"
        );
    }
}

#[test]
fn the_scripts_rotation_time_is_accepted_and_ignored() {
    // scripts/pepper.py records when `next` was last replaced, to refuse a second rotation
    // within a day; the function has no use for it.
    let text = format!(
        r#"{{"current": "{P0}", "next": "{P1}", "previous": [], "rotated_at": "2026-12-01T12:00:00Z"}}"#
    );
    let peppers = Peppers::parse(&text).expect("a document with its rotation time");
    assert_eq!(role(&peppers, b""), Some((id(P0), PepperAge::Current)));
    assert_eq!(
        role(&peppers, id(P1).as_bytes()),
        Some((id(P1), PepperAge::Newer))
    );
}

#[test]
fn a_bad_secret_is_refused_without_showing_any_value() {
    let cases = [
        ("too-short".to_owned(), "at least 32 bytes"),
        (format!(r#"{{"current": "{P0}-but-typo""#), "JSON Eof error"),
        (format!(r#"{{"next": "{P0}"}}"#), "JSON Data error"),
        (
            format!(r#"{{"current": "{P0}", "previous": "{P1}"}}"#),
            "JSON Data error",
        ),
        (
            format!(r#"{{"current": "{P0}", "nxet": "{P1}"}}"#),
            "JSON Data error",
        ),
        (format!(r#"{{"current": ["{P0}"]}}"#), "JSON Data error"),
        (
            r#"{"current": "short"}"#.to_owned(),
            "current: must be at least 32",
        ),
        (
            format!(r#"{{"current": "{P0}", "next": "short"}}"#),
            "next: must be",
        ),
        (
            format!(r#"{{"current": "{P0}", "previous": ["short"]}}"#),
            "previous: must be",
        ),
        (
            format!(r#"{{"current": "{P0}", "next": "{P0}"}}"#),
            "the same pepper twice",
        ),
        (
            format!(r#"{{"current": "{P0}", "previous": ["{P1}", "{P1}"]}}"#),
            "the same pepper twice",
        ),
    ];
    for (text, expected) in cases {
        let reason = Peppers::parse(&text).expect_err(&text).to_string();
        assert!(reason.contains(expected), "{text}: {reason}");
        for secret in [P0, P1, "short", "too-short"] {
            assert!(
                !reason.contains(secret),
                "{text}: the value leaked: {reason}"
            );
        }
    }
}

#[test]
fn no_pepper_is_ever_printed() {
    assert!(Pepper::new(&b"too short"[..]).is_err());
    let pepper = Pepper::new(P0).expect("long enough");
    assert_eq!(format!("{pepper:?}"), "Pepper(<redacted>)");
    let peppers = Peppers::parse(&format!(r#"{{"current": "{P0}"}}"#)).expect("valid");
    assert_eq!(format!("{peppers:?}"), "Peppers(<redacted>)");
}
