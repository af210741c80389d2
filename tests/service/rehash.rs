//! Hashes keep up with `ARGON2_PARAMS` and the pepper: a password verified against a hash made
//! with weaker settings or a previous pepper is re-hashed and written back, once, with one
//! conditional write. And a locked
//! account costs no hashing at all.

use user_service::adapters::in_memory::InMemoryStore;
use user_service::service::{
    Accounts, HashCost, HashMemoryLimit, PasswordHasher, Pepper, Peppers, Refusal, ServiceError,
    SignedIn,
};

use crate::common::{KEY_A, PASSWORD, PEPPER, TestClock, accounts_with, signing_document};
use crate::support::{CHECK, credentials, given_account, refusal, stored};

fn hasher(memory_kib: u32, passes: u32) -> PasswordHasher {
    let cost = HashCost::new(memory_kib, passes, 1).expect("valid");
    PasswordHasher::new(Pepper::new(PEPPER).expect("long enough"), cost)
}

/// The use cases over `store`, hashing with `hasher`.
fn accounts(store: &InMemoryStore, hasher: &PasswordHasher) -> Accounts<InMemoryStore> {
    let document = signing_document(KEY_A, None, None);
    accounts_with(
        store.clone(),
        hasher.clone(),
        &document,
        &TestClock::default(),
    )
}

/// Ada signs in with her password through `hasher`.
async fn sign_in_ada(
    store: &InMemoryStore,
    hasher: &PasswordHasher,
) -> Result<SignedIn, ServiceError> {
    let signed_in = accounts(store, hasher)
        .sign_in(credentials("ada@example.com", PASSWORD))
        .await?;
    Ok(signed_in.complete().expect("no second factor"))
}

#[tokio::test]
async fn a_weaker_hash_is_rehashed_at_the_current_cost_once_and_still_signs_in() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await; // the test hasher: m=64, t=1
    let stronger = hasher(128, 2);
    let commits = store.commits();

    sign_in_ada(&store, &stronger).await.expect("signed in");

    assert_eq!(
        store.commits(),
        commits + CHECK + 2,
        "the check, the re-hash, then the session"
    );
    let hash = stored(&store, "ada@example.com")
        .await
        .password_hash()
        .expose()
        .to_owned();
    assert!(hash.contains("m=128,t=2,p=1"), "{hash}");
    sign_in_ada(&store, &stronger)
        .await
        .expect("signed in with the new hash");
    assert_eq!(
        store.commits(),
        commits + 2 * CHECK + 3,
        "no second re-hash: the check and the session only"
    );
}

#[tokio::test]
async fn a_hash_made_with_a_previous_pepper_is_rehashed_with_the_current_one_once() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await; // made with PEPPER
    let new_pepper = "the-pepper-after-the-rotation-32-bytes";
    let document = format!(r#"{{"current": "{new_pepper}", "previous": ["{PEPPER}"]}}"#);
    let cost = HashCost::new(64, 1, 1).expect("valid");
    let rotated = PasswordHasher::new(Peppers::parse(&document).expect("valid"), cost.clone());
    let commits = store.commits();

    for _ in 0..2 {
        sign_in_ada(&store, &rotated).await.expect("signed in");
    }

    assert_eq!(
        store.commits(),
        commits + 2 * CHECK + 3,
        "the re-hash once, then a check and a session each time"
    );
    let hash = stored(&store, "ada@example.com").await;
    let only_new = PasswordHasher::new(Pepper::new(new_pepper).expect("long enough"), cost);
    let password = user_service::domain::Password::parse(PASSWORD.to_owned()).expect("valid");
    assert!(
        only_new
            .verify(&password, hash.password_hash())
            .await
            .expect("the hash names the new pepper"),
        "the previous pepper can now be retired for this account"
    );
}

#[tokio::test]
async fn a_hash_at_least_as_strong_as_the_current_cost_is_left_alone() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    let before = stored(&store, "ada@example.com").await;
    let weaker_memory = hasher(32, 1);
    let commits = store.commits();

    sign_in_ada(&store, &weaker_memory)
        .await
        .expect("signed in");

    assert_eq!(
        store.commits(),
        commits + CHECK + 1,
        "the check and the session only"
    );
    assert_eq!(
        stored(&store, "ada@example.com").await.password_hash(),
        before.password_hash()
    );
}

#[tokio::test]
async fn a_locked_account_costs_no_hashing() {
    let store = InMemoryStore::new();
    // A hash this hasher refuses to compute (over its memory limit): verifying it would fail
    // with an error, so a clean refusal proves nothing was verified.
    let heavy = hasher(4096, 1);
    accounts(&store, &heavy)
        .create_user(crate::support::command("ada@example.com"))
        .await
        .expect("created");
    let now = crate::common::unix_now();
    for _ in 0..5 {
        let user = stored(&store, "ada@example.com").await;
        let mut uow = user_service::service::UnitOfWork::begin(&store);
        uow.reserve_attempt(&user, now);
        uow.commit().await.expect("counted");
    }
    let limited = hasher(64, 1).limited_to(HashMemoryLimit::for_function_memory(8));

    let result = accounts(&store, &limited)
        .activate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(
        refusal(&result).is_some_and(|refused| refused.is(&Refusal::Locked { retry_after: 0 })),
        "refused before any hashing: {result:?}"
    );
}
