use super::*;

fn peppered(document: &str) -> PasswordHasher {
    PasswordHasher::new(Peppers::parse(document).expect("valid peppers"), cheap())
}

/// The instance started after a rotation: `NEW` current, `OLD` previous.
fn rotated() -> PasswordHasher {
    peppered(&format!(r#"{{"current": "{NEW}", "previous": ["{OLD}"]}}"#))
}

/// An instance started before it, which read `NEW` as the next pepper.
fn before_rotation() -> PasswordHasher {
    peppered(&format!(r#"{{"current": "{OLD}", "next": "{NEW}"}}"#))
}

#[tokio::test]
async fn every_new_hash_names_its_pepper() {
    let hash = hasher(PEPPER, cheap())
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");
    // The id of PEPPER (see pepper_tests.rs), in PHC's unpadded Base64.
    assert!(
        hash.expose()
            .starts_with("$argon2id$v=19$m=64,t=1,p=1,keyid=sKdE4foaNrQ$"),
        "{}",
        hash.expose()
    );
}

#[tokio::test]
async fn after_a_rotation_old_hashes_verify_and_are_re_made_with_the_new_pepper() {
    let old = peppered(OLD)
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");
    let hasher = rotated();

    assert!(
        hasher
            .verify(&password("pw-123456"), &old)
            .await
            .expect("verifies")
    );
    assert!(
        !hasher
            .verify(&password("pw-1234567"), &old)
            .await
            .expect("verifies")
    );
    assert!(
        hasher.is_weaker(&old),
        "a previous pepper's hash is re-made"
    );

    let new = hasher.hash(&password("pw-123456")).await.expect("hashes");
    assert!(!hasher.is_weaker(&new));
    assert!(
        !peppered(OLD)
            .verify(&password("pw-123456"), &new)
            .await
            .is_ok_and(|ok| ok),
        "the new hash really uses the new pepper"
    );
}

#[tokio::test]
async fn an_instance_started_before_a_rotation_verifies_new_hashes_and_leaves_them_alone() {
    let new = rotated()
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");
    let older_instance = before_rotation();

    assert!(
        older_instance
            .verify(&password("pw-123456"), &new)
            .await
            .expect("verifies")
    );
    assert!(
        !older_instance.is_weaker(&new),
        "no re-hashing back and forth"
    );
}

#[tokio::test]
async fn a_hash_without_a_pepper_id_was_made_with_the_oldest_pepper() {
    let legacy = untagged(
        &peppered(OLD)
            .hash(&password("pw-123456"))
            .await
            .expect("hashes"),
    );

    let unversioned = peppered(OLD);
    assert!(
        unversioned
            .verify(&password("pw-123456"), &legacy)
            .await
            .expect("verifies")
    );
    assert!(
        !unversioned.is_weaker(&legacy),
        "its pepper is still the current one"
    );

    let hasher = rotated();
    assert!(
        hasher
            .verify(&password("pw-123456"), &legacy)
            .await
            .expect("verifies")
    );
    assert!(
        hasher.is_weaker(&legacy),
        "its pepper is now a previous one"
    );
}

#[tokio::test]
async fn a_hash_whose_pepper_was_retired_is_an_error_not_a_wrong_password() {
    let old = peppered(OLD)
        .hash(&password("pw-123456"))
        .await
        .expect("hashes");

    let error = peppered(NEW)
        .verify(&password("pw-123456"), &old)
        .await
        .expect_err("the pepper is gone");

    assert!(
        format!("{error:#}").contains("no longer configured"),
        "{error:#}"
    );
}
