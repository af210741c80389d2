use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::service::Refusal;

use crate::common::{PASSWORD, hasher};
use crate::support::{accounts, command, credentials, refusal, stored, unavailable, unexpected};

#[tokio::test]
async fn a_new_account_is_stored_inactive_with_a_verifiable_hash() {
    let store = InMemoryStore::new();

    let user = accounts(store.clone())
        .create_user(command("ada@example.com"))
        .await
        .expect("created");

    assert!(!user.is_active());
    assert_eq!(stored(&store, "ada@example.com").await, user);
    assert_eq!(
        store.commits(),
        2,
        "the account, then its verification code"
    );
    let verified = hasher()
        .verify(
            &credentials("ada@example.com", PASSWORD).password,
            user.password_hash(),
        )
        .await
        .expect("verifiable");
    assert!(verified);
}

#[tokio::test]
async fn a_taken_email_is_refused_and_the_first_account_is_untouched() {
    let store = InMemoryStore::new();
    let accounts = accounts(store.clone());
    let first = accounts
        .create_user(command("ada@example.com"))
        .await
        .expect("created");

    let second = accounts.create_user(command("ada@example.com")).await;

    assert_eq!(refusal(&second), Some(Refusal::EmailTaken), "{second:?}");
    assert_eq!(
        stored(&store, "ada@example.com").await,
        first,
        "same id, hash and state"
    );
    assert_eq!(store.accounts().len(), 1);
    assert_eq!(
        store.commits(),
        2,
        "the first account and its code; the refused commit wrote nothing"
    );
}

#[tokio::test]
async fn uniqueness_is_decided_on_the_normalised_address() {
    let accounts = accounts(InMemoryStore::new());
    accounts
        .create_user(command("Ada@Example.com"))
        .await
        .expect("created");

    let second = accounts.create_user(command("  ada@EXAMPLE.COM ")).await;

    assert_eq!(refusal(&second), Some(Refusal::EmailTaken), "{second:?}");
}

#[tokio::test]
async fn a_sign_up_cancelled_by_a_concurrent_transaction_is_retried() {
    let store = InMemoryStore::new();
    store.fail_next_commit(Fault::Contended);

    let user = accounts(store.clone())
        .create_user(command("ada@example.com"))
        .await
        .expect("the second attempt lands");

    assert_eq!(stored(&store, "ada@example.com").await, user);
}

#[tokio::test]
async fn a_failing_store_leaves_nothing_behind() {
    for (fault, is_unavailable) in [(Fault::Unavailable, true), (Fault::Unexpected, false)] {
        let store = InMemoryStore::new();
        store.fail_next_commit(fault);

        let result = accounts(store.clone())
            .create_user(command("ada@example.com"))
            .await;

        let matched = if is_unavailable {
            unavailable(&result)
        } else {
            unexpected(&result)
        };
        assert!(matched, "{fault:?}: {result:?}");
        assert!(store.accounts().is_empty(), "{fault:?}: nothing written");
        assert_eq!(store.commits(), 0);
    }
}
