use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::service::{AccountStore, Refusal};

use crate::common::PASSWORD;
use crate::support::{CHECK, accounts, credentials, given_account, refusal, unavailable};

#[tokio::test]
async fn an_active_account_signs_in_starting_one_session_with_one_write() {
    let store = InMemoryStore::new();
    let account = given_account(&store, "ada@example.com", true).await;
    let commits = store.commits();

    let signed_in = accounts(store.clone())
        .sign_in(credentials("ADA@example.com", PASSWORD))
        .await
        .expect("signed in")
        .complete()
        .expect("no second factor");

    assert_eq!(signed_in.user, account);
    assert_eq!(store.commits(), commits + CHECK + 1);
    let session = store
        .find_session(signed_in.tokens.refresh.session())
        .await
        .expect("readable")
        .expect("stored");
    assert_eq!(session.user(), account.id());
    assert_eq!(session.generation(), signed_in.tokens.refresh.generation());
    assert_eq!(session.generation(), 0, "a new session's first token");
}

#[tokio::test]
async fn each_refusal_has_its_own_outcome_and_writes_only_failure_counts() {
    let store = InMemoryStore::new();
    given_account(&store, "inactive@example.com", false).await;
    given_account(&store, "active@example.com", true).await;
    let accounts = accounts(store.clone());
    let commits = store.commits();

    let cases = [
        ("nobody@example.com", PASSWORD, Refusal::UnknownEmail),
        (
            "active@example.com",
            "wrong password",
            Refusal::WrongPassword,
        ),
        (
            "inactive@example.com",
            "wrong password",
            Refusal::WrongPassword,
        ),
        ("inactive@example.com", PASSWORD, Refusal::NotActivated),
    ];
    for (email, password, expected) in cases {
        let outcome = accounts.sign_in(credentials(email, password)).await;
        assert_eq!(
            refusal(&outcome),
            Some(expected),
            "{email} / {password}: {outcome:?}"
        );
    }
    // Every check counted before it ran (three), the inactive account's right password cleared
    // its count; no session.
    assert_eq!(store.commits(), commits + 4);
}

#[tokio::test]
async fn an_unavailable_store_is_reported_as_such() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    store.fail_next_read(Fault::Unavailable);

    let result = accounts(store.clone())
        .sign_in(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(unavailable(&result), "{result:?}");
}
