use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::service::AccountStore;
use user_service::service::{AuthenticationError, SignInError, StoreError, Tokens, sign_in};

use crate::common::{KEY_A, PASSWORD, TestClock, hasher, signing_document, tokens_with};
use crate::support::{credentials, given_account};

fn tokens() -> Tokens {
    tokens_with(&signing_document(KEY_A, None, None), &TestClock::default())
}

#[tokio::test]
async fn an_active_account_signs_in_starting_one_session_with_one_write() {
    let store = InMemoryStore::new();
    let account = given_account(&store, "ada@example.com", true).await;
    let commits = store.commits();

    let signed_in = sign_in(
        &store,
        &hasher(),
        &tokens(),
        credentials("ADA@example.com", PASSWORD),
    )
    .await
    .expect("signed in");

    assert_eq!(signed_in.user, account);
    assert_eq!(store.commits(), commits + 1);
    let session = store
        .find_session(signed_in.tokens.refresh.session())
        .await
        .expect("readable")
        .expect("stored");
    assert_eq!(session.user(), account.id());
    assert_eq!(session.current(), signed_in.tokens.refresh.digest());
}

#[tokio::test]
async fn each_refusal_has_its_own_outcome_and_writes_only_failure_counts() {
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
        let outcome = match sign_in(&store, &hasher(), &tokens(), credentials(email, password))
            .await
        {
            Err(SignInError::Authentication(AuthenticationError::UnknownEmail)) => "UnknownEmail",
            Err(SignInError::Authentication(AuthenticationError::WrongPassword)) => "WrongPassword",
            Err(SignInError::Inactive) => "Inactive",
            other => panic!("{email}: unexpected {other:?}"),
        };
        assert_eq!(outcome, expected, "{email} / {password}");
    }
    // Two failures counted, then cleared by the inactive account's right password; no session.
    assert_eq!(store.commits(), commits + 3);
}

#[tokio::test]
async fn an_unavailable_store_is_reported_as_such() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    store.fail_next_read(Fault::Unavailable);

    let result = sign_in(
        &store,
        &hasher(),
        &tokens(),
        credentials("ada@example.com", PASSWORD),
    )
    .await;

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
