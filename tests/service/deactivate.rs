use user_service::adapters::in_memory::InMemoryStore;

use crate::common::PASSWORD;
use crate::support::{
    CHECK, RacingStore, accounts, assert_refusals_change_nothing, credentials, given_account,
    stored,
};

#[tokio::test]
async fn deactivation_writes_once_and_the_account_can_be_reactivated() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    let accounts = accounts(store.clone());
    let commits = store.commits();

    let user = accounts
        .deactivate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(!user.expect("deactivated").is_active());
    assert!(!stored(&store, "ada@example.com").await.is_active());
    assert_eq!(store.commits(), commits + CHECK + 1);

    let again = accounts
        .activate(credentials("ada@example.com", PASSWORD))
        .await;
    assert!(again.expect("reactivated").is_active());
}

#[tokio::test]
async fn deactivating_an_inactive_account_succeeds_without_a_write() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", false).await;
    let commits = store.commits();

    let user = accounts(store.clone())
        .deactivate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(!user.expect("still inactive").is_active());
    assert_eq!(store.commits(), commits + CHECK, "no write of the account");
}

#[tokio::test]
async fn wrong_credentials_change_nothing() {
    assert_refusals_change_nothing(true, async |accounts, creds| {
        accounts.deactivate(creds).await
    })
    .await;
}

#[tokio::test]
async fn a_concurrent_reactivation_is_not_overwritten() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    // Before our write lands, someone else deactivates the account.
    let racing = RacingStore::new(store.clone(), 1, 1);

    let user = accounts(racing)
        .deactivate(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(!user.expect("deactivated").is_active());
    assert!(!stored(&store, "ada@example.com").await.is_active());
}
