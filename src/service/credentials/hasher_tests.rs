use argon2::{PasswordHasher as _, PasswordVerifier as _};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::*;

const PEPPER: &[u8] = b"a-test-pepper-of-at-least-32-bytes!";

fn cheap() -> HashCost {
    HashCost::new(64, 1, 1).expect("valid parameters")
}

fn hasher(pepper: &[u8], cost: HashCost) -> PasswordHasher {
    PasswordHasher::new(Pepper::new(pepper).expect("long enough"), cost)
}

fn password(raw: &str) -> Password {
    Password::parse(raw.to_owned()).expect("valid password")
}

#[tokio::test]
async fn a_hash_verifies_its_password_and_no_other() {
    let hasher = hasher(PEPPER, cheap());
    let hash = hasher
        .hash(&password("correct horse"))
        .await
        .expect("hashes");
    assert!(
        hasher
            .verify(&password("correct horse"), &hash)
            .await
            .expect("verifies")
    );
    assert!(
        !hasher
            .verify(&password("correct horsE"), &hash)
            .await
            .expect("verifies")
    );
    assert!(
        !hasher
            .verify(&password("correct horse "), &hash)
            .await
            .expect("verifies")
    );
}

#[tokio::test]
async fn each_hash_gets_its_own_salt() {
    let hasher = hasher(PEPPER, cheap());
    let first = hasher
        .hash(&password("same password"))
        .await
        .expect("hashes");
    let second = hasher
        .hash(&password("same password"))
        .await
        .expect("hashes");
    assert_ne!(first, second);
}

#[tokio::test]
async fn a_hash_verifies_in_another_process_with_the_same_pepper_only() {
    let hash = hasher(PEPPER, cheap())
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");

    let restarted = hasher(PEPPER, cheap());
    assert!(
        restarted
            .verify(&password("pw-123456"), &hash)
            .await
            .expect("verifies")
    );

    // Another pepper cannot verify it: the hash names its pepper, and without that name (as
    // hashes made before peppers had ids) the password simply does not match.
    let other_pepper = hasher(b"another-pepper-also-32-bytes-long!!", cheap());
    let named = other_pepper.verify(&password("pw-123456"), &hash).await;
    assert!(named.is_err(), "{named:?}");
    assert!(
        !other_pepper
            .verify(&password("pw-123456"), &untagged(&hash))
            .await
            .expect("verifies")
    );
}

#[tokio::test]
async fn argon2_hashes_the_hmac_of_the_password_not_the_password() {
    let hash = hasher(PEPPER, cheap())
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(PEPPER).expect("any key length");
    mac.update(b"pw-123456");
    let peppered = mac.finalize().into_bytes();

    let plain = Argon2::default();
    assert!(plain.verify_password(&peppered, hash.expose()).is_ok());
    assert!(plain.verify_password(b"pw-123456", hash.expose()).is_err());
}

#[tokio::test]
async fn hashes_made_by_the_argon2_crate_itself_verify_both_ways() {
    // Hashes stored before the hasher reused its memory were made by `hash_password`; ours
    // are assembled from `hash_password_into_with_memory`: each side accepts the other's.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(PEPPER).expect("any key length");
    mac.update(b"pw-123456");
    let peppered = mac.finalize().into_bytes();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, cheap().0);
    let theirs = argon2.hash_password(&peppered).expect("hashes").to_string();
    let theirs = PasswordHash::parse(theirs).expect("PHC");
    let hasher = hasher(PEPPER, cheap());

    assert!(
        hasher
            .verify(&password("pw-123456"), &theirs)
            .await
            .expect("verifies")
    );
    assert!(
        !hasher
            .verify(&password("pw-1234567"), &theirs)
            .await
            .expect("verifies")
    );
    let ours = hasher.hash(&password("pw-123456")).await.expect("hashes");
    assert!(argon2.verify_password(&peppered, ours.expose()).is_ok());
}

#[tokio::test]
async fn the_default_cost_is_owasps_and_travels_with_the_hash() {
    let cost = HashCost::default();
    assert!(cost.meets_owasp_minimum());
    let hasher = hasher(PEPPER, cost);

    let hash = hasher.hash(&password("pw-123456")).await.expect("hashes");

    assert!(
        hash.expose()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1,keyid="),
        "parameters are in the PHC string"
    );
    assert!(
        hasher
            .verify(&password("pw-123456"), &hash)
            .await
            .expect("verifies")
    );
}

#[tokio::test]
async fn hashes_made_under_older_parameters_still_verify() {
    let old = hasher(PEPPER, cheap())
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");
    let current = hasher(PEPPER, HashCost::default());
    assert!(
        current
            .verify(&password("pw-123456"), &old)
            .await
            .expect("verifies")
    );
}

#[tokio::test]
async fn an_unusable_stored_hash_is_an_error_not_a_wrong_password() {
    let hash = PasswordHash::parse("$argon2id$garbage".to_owned()).expect("looks like PHC");
    let result = hasher(PEPPER, cheap())
        .verify(&password("pw-123456"), &hash)
        .await;
    assert!(result.is_err());
}

#[tokio::test]
async fn a_stored_hash_needing_more_memory_than_the_function_allows_is_refused_unrun() {
    // A 128 MB function allows 32 MiB per hash; this hash names 64 MiB.
    let limit = HashMemoryLimit::for_function_memory(128);
    let greedy = hasher(PEPPER, HashCost::new(65_536, 1, 1).expect("valid"))
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");
    let fits = hasher(PEPPER, cheap())
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");
    let limited = hasher(PEPPER, cheap()).limited_to(limit);

    let refused = limited.verify(&password("pw-123456"), &greedy).await;
    let error = format!("{:#}", refused.expect_err("above the limit"));
    assert!(error.contains("65536 KiB"), "{error}");
    assert!(
        limited
            .verify(&password("pw-123456"), &fits)
            .await
            .expect("within the limit")
    );
}

#[tokio::test]
async fn a_stored_hash_asking_for_more_than_four_times_our_passes_or_lanes_is_refused_unrun() {
    let ours = hasher(PEPPER, cheap()); // t=1, p=1
    let cases = [
        (
            HashCost::new(64, 4, 1).expect("valid"),
            true,
            "four times the passes",
        ),
        (
            HashCost::new(64, 5, 1).expect("valid"),
            false,
            "five times the passes",
        ),
        (
            HashCost::new(64, 1, 4).expect("valid"),
            true,
            "four times the lanes",
        ),
        (
            HashCost::new(64, 1, 5).expect("valid"),
            false,
            "five times the lanes",
        ),
    ];
    for (cost, admitted, why) in cases {
        let stored = hasher(PEPPER, cost)
            .hash(&password("pw-123456"))
            .await
            .expect("hashes");

        let verified = ours.verify(&password("pw-123456"), &stored).await;

        match admitted {
            true => assert!(verified.expect(why), "{why}"),
            false => {
                let error = format!("{:#}", verified.expect_err(why));
                assert!(error.contains("at most 4×"), "{why}: {error}");
            }
        }
    }
}

const OLD: &str = "the-pepper-before-the-rotation-32b";
const NEW: &str = "the-pepper-after-the-rotation-32by";

/// `hash` as it was written before peppers were versioned: without a `keyid`.
fn untagged(hash: &PasswordHash) -> PasswordHash {
    let phc = hash.expose();
    let start = phc.find(",keyid=").expect("a tagged hash");
    let end = start + phc[start..].find('$').expect("more fields");
    PasswordHash::parse(format!("{}{}", &phc[..start], &phc[end..])).expect("still PHC")
}

/// Hashes across a pepper rotation.
#[path = "hasher_rotation_tests.rs"]
mod rotation;
