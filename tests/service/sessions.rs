//! The session use cases' outcomes when the store fails, is contended, or changes underneath.

use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::domain::{Password, RefreshToken, Session};
use user_service::service::{
    AccountStore, RefreshError, SignInError, SignOutError, StoreError, TokenPair, Tokens,
    UnitOfWork, delete_account, refresh, sign_in, sign_out,
};

use crate::common::{KEY_A, PASSWORD, TestClock, hasher, signing_document, tokens_with};
use crate::support::{RacingStore, credentials, given_account};

fn tokens() -> Tokens {
    tokens_with(&signing_document(KEY_A, None, None), &TestClock::default())
}

async fn session(store: &InMemoryStore, tokens: &Tokens) -> TokenPair {
    given_account(store, "ada@example.com", true).await;
    sign_in(
        store,
        &hasher(),
        tokens,
        credentials("ada@example.com", PASSWORD),
    )
    .await
    .expect("signed in")
    .tokens
}

fn unavailable<T: std::fmt::Debug>(result: &Result<T, RefreshError>) -> bool {
    matches!(result, Err(RefreshError::Store(StoreError::Unavailable(_))))
}

#[tokio::test]
async fn a_refresh_cancelled_by_a_concurrent_transaction_is_retried_and_succeeds() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    let pair = session(&store, &tokens).await;
    store.fail_next_commit(Fault::Contended);

    let result = refresh(&store, &tokens, pair.refresh.clone()).await;

    let next = result.expect("the second attempt rotates");
    assert_ne!(next.refresh, pair.refresh);
}

#[tokio::test]
async fn a_refresh_that_stays_contended_is_unavailable_not_refused() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    let pair = session(&store, &tokens).await;
    for _ in 0..3 {
        store.fail_next_commit(Fault::Contended);
    }

    let result = refresh(&store, &tokens, pair.refresh.clone()).await;

    assert!(unavailable(&result), "{result:?}");
    let again = refresh(&store, &tokens, pair.refresh).await;
    assert!(again.is_ok(), "nothing was spent: {again:?}");
}

#[tokio::test]
async fn store_failures_while_refreshing_are_store_errors_and_spend_nothing() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    let pair = session(&store, &tokens).await;
    store.fail_next_read(Fault::Unavailable);
    let result = refresh(&store, &tokens, pair.refresh.clone()).await;
    assert!(unavailable(&result), "{result:?}");

    store.fail_next_commit(Fault::Unexpected);
    let result = refresh(&store, &tokens, pair.refresh.clone()).await;
    assert!(
        matches!(result, Err(RefreshError::Store(StoreError::Unexpected(_)))),
        "{result:?}"
    );

    assert!(refresh(&store, &tokens, pair.refresh).await.is_ok());
}

#[tokio::test]
async fn a_deactivation_between_a_refreshs_read_and_write_wins() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    let pair = session(&store, &tokens).await;
    // Before the refresh commits, another request deactivates the account.
    let racing = RacingStore::new(store.clone(), 1, 1);

    let result = refresh(&racing, &tokens, pair.refresh.clone()).await;

    assert!(
        matches!(result, Err(RefreshError::Invalid(_))),
        "decided again on fresh data: {result:?}"
    );
    let session = store
        .find_session(pair.refresh.session())
        .await
        .expect("readable")
        .expect("stored");
    assert_eq!(session.current(), pair.refresh.digest(), "not rotated");
}

#[tokio::test]
async fn a_failed_session_write_signs_nobody_in() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    given_account(&store, "ada@example.com", true).await;
    store.fail_next_commit(Fault::Unavailable);

    let result = sign_in(
        &store,
        &hasher(),
        &tokens,
        credentials("ada@example.com", PASSWORD),
    )
    .await;

    assert!(
        matches!(result, Err(SignInError::Store(StoreError::Unavailable(_)))),
        "{result:?}"
    );
}

#[tokio::test]
async fn sign_out_reports_an_unavailable_store_and_changes_nothing() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    let pair = session(&store, &tokens).await;
    store.fail_next_commit(Fault::Unavailable);

    let result = sign_out(&store, &tokens, pair.refresh.clone(), true).await;

    assert!(
        matches!(result, Err(SignOutError::Store(StoreError::Unavailable(_)))),
        "{result:?}"
    );
    assert!(refresh(&store, &tokens, pair.refresh).await.is_ok());
}

#[tokio::test]
async fn signing_out_an_unknown_session_reads_once_and_writes_nothing() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    let pair = session(&store, &tokens).await;
    let stranger = RefreshToken::parse(&format!(
        "00000000-0000-4000-8000-000000000000.{}",
        "A".repeat(43)
    ))
    .expect("well-formed");
    let commits = store.commits();

    sign_out(&store, &tokens, stranger, true)
        .await
        .expect("quietly");

    assert_eq!(store.commits(), commits);
    assert!(refresh(&store, &tokens, pair.refresh).await.is_ok());
}

#[tokio::test]
async fn a_reuse_whose_revocation_is_contended_is_unavailable_and_revokes_on_retry() {
    let (store, clock) = (InMemoryStore::new(), TestClock::default());
    let tokens = tokens_with(&signing_document(KEY_A, None, None), &clock);
    let first = session(&store, &tokens).await;
    let second = refresh(&store, &tokens, first.refresh.clone())
        .await
        .expect("rotated");
    clock.advance(tokens.policy.reuse_grace + 1);
    store.fail_next_commit(Fault::Contended);

    let result = refresh(&store, &tokens, first.refresh.clone()).await;

    assert!(unavailable(&result), "{result:?}");
    assert!(refresh(&store, &tokens, first.refresh).await.is_err());
    let after = refresh(&store, &tokens, second.refresh).await;
    assert!(
        matches!(after, Err(RefreshError::Invalid(_))),
        "the retried reuse revoked the family: {after:?}"
    );
}

#[tokio::test]
async fn deleting_an_account_with_more_sessions_than_a_transaction_holds_removes_them_all() {
    let (store, tokens) = (InMemoryStore::new(), tokens());
    let pair = session(&store, &tokens).await;
    let user = crate::support::stored(&store, "ada@example.com").await;
    for _ in 0..150 {
        let (extra, _) = Session::start(&user, 1_800_000_000, 60).expect("random");
        let mut uow = UnitOfWork::begin(&store);
        uow.start_session(extra);
        uow.commit().await.expect("stored");
    }
    assert_eq!(
        store.sessions_of(user.id()).await.map(|s| s.len()).ok(),
        Some(151)
    );

    delete_account(
        &store,
        &hasher(),
        &tokens,
        pair.access.reveal(),
        Password::parse(PASSWORD.to_owned()).expect("valid"),
    )
    .await
    .expect("deleted");

    assert_eq!(
        store.sessions_of(user.id()).await.map(|s| s.len()).ok(),
        Some(0)
    );
    assert!(store.accounts().is_empty());
}
