use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::service::{CreateUserError, StoreError, create_user};

use crate::common::{PASSWORD, hasher};
use crate::support::{command, credentials, stored};

#[tokio::test]
async fn a_new_account_is_stored_inactive_with_a_verifiable_hash() {
    let store = InMemoryStore::new();

    let user = create_user(&store, &hasher(), command("ada@example.com"))
        .await
        .expect("created");

    assert!(!user.is_active());
    assert_eq!(stored(&store, "ada@example.com").await, user);
    assert_eq!(store.commits(), 1);
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
    let first = create_user(&store, &hasher(), command("ada@example.com"))
        .await
        .expect("created");

    let second = create_user(&store, &hasher(), command("ada@example.com")).await;

    assert!(
        matches!(second, Err(CreateUserError::EmailTaken)),
        "{second:?}"
    );
    assert_eq!(
        stored(&store, "ada@example.com").await,
        first,
        "same id, hash and state"
    );
    assert_eq!(store.accounts().len(), 1);
    assert_eq!(store.commits(), 1, "the refused commit wrote nothing");
}

#[tokio::test]
async fn uniqueness_is_decided_on_the_normalised_address() {
    let store = InMemoryStore::new();
    create_user(&store, &hasher(), command("Ada@Example.com"))
        .await
        .expect("created");

    let second = create_user(&store, &hasher(), command("  ada@EXAMPLE.COM ")).await;

    assert!(
        matches!(second, Err(CreateUserError::EmailTaken)),
        "{second:?}"
    );
}

#[tokio::test]
async fn a_failing_store_leaves_nothing_behind() {
    for (fault, unavailable) in [(Fault::Unavailable, true), (Fault::Unexpected, false)] {
        let store = InMemoryStore::new();
        store.fail_next_commit(fault);

        let result = create_user(&store, &hasher(), command("ada@example.com")).await;

        let matched = match result {
            Err(CreateUserError::Store(StoreError::Unavailable(_))) => unavailable,
            Err(CreateUserError::Store(StoreError::Unexpected(_))) => !unavailable,
            _ => false,
        };
        assert!(matched, "{fault:?}: {result:?}");
        assert!(store.accounts().is_empty(), "{fault:?}: nothing written");
        assert_eq!(store.commits(), 0);
    }
}
