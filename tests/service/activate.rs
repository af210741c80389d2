use user_service::adapters::in_memory::{Fault, InMemoryStore};

use crate::common::PASSWORD;
use crate::support::{
    CHECK, RacingStore, accounts, assert_refusals_change_nothing, credentials, given_account,
    stored, unavailable,
};

#[tokio::test]
async fn activation_writes_once_and_moves_the_version_on() {
    let store = InMemoryStore::new();
    let before = given_account(&store, "ada@example.com", false).await;
    let commits = store.commits();

    let user = accounts(store.clone())
        .activate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(user.expect("activated").is_active());
    let after = stored(&store, "ada@example.com").await;
    assert!(after.is_active());
    assert_eq!(after.version(), before.version() + 1);
    assert_eq!(store.commits(), commits + CHECK + 1);
}

#[tokio::test]
async fn activating_an_active_account_succeeds_without_a_write() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    let commits = store.commits();

    let user = accounts(store.clone())
        .activate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(user.expect("still active").is_active());
    assert_eq!(store.commits(), commits + CHECK, "no write of the account");
}

#[tokio::test]
async fn wrong_credentials_change_nothing() {
    assert_refusals_change_nothing(false, async |accounts, creds| {
        accounts.activate(creds).await
    })
    .await;
}

#[tokio::test]
async fn a_failed_write_leaves_the_account_as_it_was() {
    let store = InMemoryStore::new();
    let before = given_account(&store, "ada@example.com", false).await;
    let commits = store.commits();
    store.fail_next_commit(Fault::Unavailable);

    let result = accounts(store.clone())
        .activate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(unavailable(&result), "{result:?}");
    assert_eq!(stored(&store, "ada@example.com").await, before);
    assert_eq!(store.commits(), commits);
}

#[tokio::test]
async fn a_concurrent_change_is_never_overwritten_the_decision_is_retaken() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", false).await;
    // Before our write lands, someone else activates the account (version 1 -> 2).
    let racing = RacingStore::new(store.clone(), 1, 1);

    let user = accounts(racing)
        .activate(credentials("ada@example.com", PASSWORD))
        .await;

    // Our stale write was refused; on re-reading, the account was already active.
    assert!(user.expect("activated").is_active());
    let after = stored(&store, "ada@example.com").await;
    assert!(after.is_active());
    assert_eq!(after.version(), 2, "only the concurrent write landed");
}

#[tokio::test]
async fn endless_contention_gives_up_as_unavailable_without_writing() {
    let store = InMemoryStore::new();
    let before = given_account(&store, "ada@example.com", false).await;
    // Before every write of ours, someone activates and deactivates the account again.
    let racing = RacingStore::new(store.clone(), usize::MAX, 2);

    let result = accounts(racing)
        .activate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(unavailable(&result), "{result:?}");
    let after = stored(&store, "ada@example.com").await;
    assert!(!after.is_active(), "none of our three attempts landed");
    assert_eq!(
        after.version(),
        before.version() + 6,
        "only the other writer's six writes"
    );
}
