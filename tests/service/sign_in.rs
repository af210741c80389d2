use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::service::{AuthenticationError, SignInError, StoreError, sign_in};

use crate::common::{PASSWORD, hasher};
use crate::support::{credentials, given_account};

#[tokio::test]
async fn an_active_account_signs_in_without_writing() {
    let store = InMemoryStore::new();
    let account = given_account(&store, "ada@example.com", true).await;
    let commits = store.commits();

    let user = sign_in(&store, &hasher(), credentials("ADA@example.com", PASSWORD)).await;

    assert_eq!(user.ok(), Some(account));
    assert_eq!(store.commits(), commits);
}

#[tokio::test]
async fn each_refusal_has_its_own_outcome_and_writes_nothing() {
    let store = InMemoryStore::new();
    given_account(&store, "inactive@example.com", false).await;
    given_account(&store, "active@example.com", true).await;
    let commits = store.commits();

    let cases = [
        ("nobody@example.com", PASSWORD, "UnknownEmail"),
        ("active@example.com", "wrong password", "WrongPassword"),
        ("inactive@example.com", "wrong password", "WrongPassword"),
        ("inactive@example.com", PASSWORD, "Inactive"),
    ];
    for (email, password, expected) in cases {
        let outcome = match sign_in(&store, &hasher(), credentials(email, password)).await {
            Err(SignInError::Authentication(AuthenticationError::UnknownEmail)) => "UnknownEmail",
            Err(SignInError::Authentication(AuthenticationError::WrongPassword)) => "WrongPassword",
            Err(SignInError::Inactive) => "Inactive",
            other => panic!("{email}: unexpected {other:?}"),
        };
        assert_eq!(outcome, expected, "{email} / {password}");
    }
    assert_eq!(store.commits(), commits);
}

#[tokio::test]
async fn an_unavailable_store_is_reported_as_such() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    store.fail_next_read(Fault::Unavailable);

    let result = sign_in(&store, &hasher(), credentials("ada@example.com", PASSWORD)).await;

    assert!(
        matches!(
            result,
            Err(SignInError::Authentication(AuthenticationError::Store(
                StoreError::Unavailable(_)
            )))
        ),
        "{result:?}"
    );
}
