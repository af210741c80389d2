use super::*;
use crate::domain::{RecoveryCode, RecoveryDigest};

const A: &str = "totp-key-a-totp-key-a-totp-key-a-totp-key-a";
const B: &str = "totp-key-b-totp-key-b-totp-key-b-totp-key-b";
const C: &str = "totp-key-c-totp-key-c-totp-key-c-totp-key-c";

fn keys(text: &str) -> TotpKeys {
    TotpKeys::parse(text).expect("valid keys")
}

fn secret() -> TotpSecret {
    TotpSecret::generate().expect("random")
}

#[test]
fn a_sealed_secret_opens_for_its_account_and_shows_nothing_of_the_secret() {
    let (keys, secret, account) = (keys(A), secret(), UserId::generate());
    let sealed = keys.seal(&secret, account).expect("sealed");
    assert_eq!(sealed.bytes().len(), 8 + 12 + 20 + 16);
    assert!(!sealed.bytes().windows(20).any(|w| w == secret.expose()));
    let (opened, stale) = keys.open(&sealed, account).expect("opens");
    assert_eq!(opened, secret);
    assert!(!stale);
    let again = keys.seal(&secret, account).expect("sealed");
    assert_ne!(again, sealed, "a fresh nonce each time");
}

#[test]
fn a_sealed_secret_does_not_open_for_another_account_or_tampered_with() {
    let (keys, account) = (keys(A), UserId::generate());
    let sealed = keys.seal(&secret(), account).expect("sealed");
    assert!(
        keys.open(&sealed, UserId::generate()).is_err(),
        "another account"
    );
    for i in [8, 20, sealed.bytes().len() - 1] {
        let mut bytes = sealed.bytes().to_vec();
        bytes[i] ^= 1;
        assert!(
            keys.open(&SealedSecret::from_bytes(bytes), account)
                .is_err(),
            "byte {i}"
        );
    }
    assert!(
        keys.open(&SealedSecret::from_bytes(vec![0; 10]), account)
            .is_err()
    );
}

#[test]
fn a_rotation_keeps_every_sealed_secret_readable_and_says_which_to_seal_anew() {
    let account = UserId::generate();
    let before = keys(&format!(r#"{{"current": "{A}", "next": "{B}"}}"#));
    let sealed = before.seal(&secret(), account).expect("sealed");
    let after = keys(&format!(
        r#"{{"current": "{B}", "next": "{C}", "previous": ["{A}"], "rotated_at": "2026-12-02T00:00:00Z"}}"#
    ));
    let (_, stale) = after
        .open(&sealed, account)
        .expect("a previous key still opens");
    assert!(stale, "sealed under a previous key: seal anew");
    let newer = after.seal(&secret(), account).expect("sealed");
    let (_, stale) = (before.open(&newer, account)).expect("an older instance knew B as next");
    assert!(!stale, "and never seals it back under A");
    let retired = keys(C);
    let error = retired
        .open(&sealed, account)
        .expect_err("A is no longer listed");
    assert!(format!("{error:#}").contains("not configured"));
}

#[test]
fn bad_key_secrets_are_refused_without_quoting_them() {
    let cases = [
        ("short", "current: must be at least 32 bytes"),
        (
            r#"{"current": "short"}"#,
            "current: must be at least 32 bytes",
        ),
        (
            &format!(r#"{{"current": "{A}", "previous": ["{A}"]}}"#),
            "must not list the same key twice",
        ),
        (
            &format!(r#"{{"current": "{A}", "nxet": "{B}"}}"#),
            "must be a key or a key document",
        ),
    ];
    for (text, expected) in cases {
        let error = TotpKeys::parse(text).expect_err(text).to_string();
        assert!(error.contains(expected), "{text}: {error}");
        assert!(!error.contains(A) && !error.contains(B), "{error}");
    }
}

#[test]
fn debug_output_hides_the_keys() {
    assert_eq!(format!("{:?}", keys(A)), "TotpKeys(<redacted>)");
}

#[test]
fn a_recovery_digest_names_its_key_matches_its_code_and_account_only_and_survives_a_rotation() {
    let (before, account) = (keys(A), UserId::generate());
    let codes = RecoveryCode::generate_set().expect("random");
    let digests: Vec<RecoveryDigest> = codes
        .iter()
        .map(|c| before.recovery_digest(account, c))
        .collect();
    assert_eq!(
        &digests[0].bytes()[..8],
        &before.current.id,
        "the key id first"
    );
    assert_eq!(before.recovery_index(&digests, account, &codes[7]), Some(7));
    assert_eq!(
        before.recovery_index(&digests, UserId::generate(), &codes[7]),
        None,
        "another account's"
    );
    let stranger = RecoveryCode::generate().expect("random");
    assert_eq!(before.recovery_index(&digests, account, &stranger), None);
    let rotated = keys(&format!(r#"{{"current": "{B}", "previous": ["{A}"]}}"#));
    assert_eq!(
        rotated.recovery_index(&digests, account, &codes[2]),
        Some(2),
        "a previous key still checks"
    );
    assert_eq!(
        keys(B).recovery_index(&digests, account, &codes[2]),
        None,
        "its key retired: void"
    );
}
