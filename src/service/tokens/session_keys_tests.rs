use super::*;
use crate::domain::Lifetimes;
use crate::domain::fixtures::ada;

const K0: &str = "the-first-session-key-of-32-bytes-or-more";
const K1: &str = "the-second-session-key-of-32-bytes-or-more";
const LIFETIMES: Lifetimes = Lifetimes {
    token: 100,
    session: 1000,
};

fn session() -> Session {
    Session::start(&ada(), 1_700_000_000, LIFETIMES)
}

#[test]
fn every_generation_of_a_session_has_its_own_genuine_token() {
    let keys = SessionKeys::parse(K0).expect("a key");
    let mut session = session();
    let first = keys.token(&session);
    session.rotate(1_700_000_001, LIFETIMES);
    let second = keys.token(&session);

    assert_ne!(first, second);
    assert!(
        keys.is_genuine(&session, &first),
        "an old generation is still recognised"
    );
    assert!(keys.is_genuine(&session, &second));
    assert_eq!(
        keys.token(&session),
        second,
        "derived, so the same every time"
    );
}

#[test]
fn a_forged_token_or_another_keys_is_not_genuine() {
    let keys = SessionKeys::parse(K0).expect("a key");
    let session = session();
    let genuine = keys.token(&session);
    let forged = RefreshToken::new(session.id(), 0, [7; SECRET_BYTES]);
    let other = SessionKeys::parse(K1).expect("a key");
    let foreign = RefreshToken::parse(&genuine.reveal()).expect("well-formed");

    assert!(!keys.is_genuine(&session, &forged));
    assert!(
        !other.is_genuine(&session, &foreign),
        "the key is not other's"
    );
    let another = Session::start(&ada(), 1_700_000_000, LIFETIMES);
    assert!(
        !keys.is_genuine(&another, &genuine),
        "another session's token"
    );
}

#[test]
fn after_a_rotation_sessions_of_the_previous_key_keep_working_and_move_on() {
    let before = SessionKeys::parse(K0).expect("a key");
    let mut session = session();
    let old = before.token(&session);
    let after = SessionKeys::parse(&format!(r#"{{"current": "{K1}", "previous": ["{K0}"]}}"#))
        .expect("a document");

    assert!(after.is_genuine(&session, &old));
    session.rotate(1_700_000_001, LIFETIMES);
    let new = after.token(&session);
    assert!(after.is_genuine(&session, &new));
    assert!(
        after.is_genuine(&session, &old),
        "a token of the previous key is still recognised, so its reuse still revokes"
    );
    assert!(
        !before.is_genuine(&session, &new),
        "the new token is the new key's"
    );
}

#[test]
fn bad_secrets_are_refused_without_showing_any_key() {
    let cases = [
        ("short".to_owned(), "at least 32 bytes"),
        (format!(r#"{{"current": "{K0}""#), "JSON Eof"),
        (
            format!(r#"{{"current": "{K0}", "next": "{K1}"}}"#),
            "JSON Data",
        ),
        (
            r#"{"current": "short"}"#.to_owned(),
            "current: must be at least",
        ),
        (
            format!(r#"{{"current": "{K0}", "previous": ["{K0}"]}}"#),
            "the same key twice",
        ),
    ];
    for (text, expected) in cases {
        let reason = SessionKeys::parse(&text).expect_err(&text).to_string();
        assert!(reason.contains(expected), "{text}: {reason}");
        assert!(
            !reason.contains(K0) && !reason.contains(K1),
            "leaked: {reason}"
        );
    }
    assert_eq!(
        format!("{:?}", SessionKeys::parse(K0).expect("a key")),
        "SessionKeys(<redacted>)"
    );
}

#[test]
fn a_code_verifies_only_as_bound_and_across_a_rotation() {
    use crate::domain::{CodePurpose, Email, OneTimeCode, UserId};
    let old = SessionKeys::parse(&"o".repeat(32)).expect("a key");
    let rotated = SessionKeys::parse(&format!(
        r#"{{"current": "{}", "previous": ["{}"]}}"#,
        "n".repeat(32),
        "o".repeat(32)
    ))
    .expect("a document");
    let (ada, address) = (
        UserId::generate(),
        Email::parse("ada@example.com").expect("valid"),
    );
    let binding = CodeBinding {
        purpose: CodePurpose::PasswordReset,
        account: ada,
        address: &address,
        to: None,
    };
    let code = OneTimeCode::parse("01234567", CodePurpose::PasswordReset).expect("valid");
    let digest = old.code_digest(&binding, &code);

    assert!(old.is_code(&digest, &binding, &code));
    assert!(
        rotated.is_code(&digest, &binding, &code),
        "a previous key still verifies"
    );
    let other = OneTimeCode::parse("01234568", CodePurpose::PasswordReset).expect("valid");
    assert!(!old.is_code(&digest, &binding, &other));
    let elsewhere = [
        CodeBinding {
            purpose: CodePurpose::EmailChange,
            ..binding
        },
        CodeBinding {
            account: UserId::generate(),
            ..binding
        },
        CodeBinding {
            to: Some(&address),
            ..binding
        },
    ];
    for bound in elsewhere {
        assert!(!old.is_code(&digest, &bound, &code), "{bound:?}");
    }
}
