//! The session use cases' outcomes when the store fails, is contended, or changes underneath.

use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::domain::{Password, RefreshToken, Session};
use user_service::service::{AccountStore, Accounts, Refusal, SignOut, TokenPair, UnitOfWork};

use crate::common::{PASSWORD, REUSE_GRACE, SESSIONS, TestClock};
use crate::support::{
    RacingStore, accounts, accounts_at, credentials, given_account, refusal, unavailable,
    unexpected,
};

/// Ada, active, signed in through `accounts`: her first pair.
async fn session<S: AccountStore>(store: &InMemoryStore, accounts: &Accounts<S>) -> TokenPair {
    given_account(store, "ada@example.com", true).await;
    accounts
        .sign_in(credentials("ada@example.com", PASSWORD))
        .await
        .expect("signed in")
        .complete()
        .expect("no second factor")
        .tokens
}

#[tokio::test]
async fn a_refresh_cancelled_by_a_concurrent_transaction_is_retried_and_succeeds() {
    let store = InMemoryStore::new();
    let accounts = accounts(store.clone());
    let pair = session(&store, &accounts).await;
    store.fail_next_commit(Fault::Contended);

    let result = accounts.refresh(pair.refresh.clone()).await;

    let next = result.expect("the second attempt rotates");
    assert_ne!(next.refresh, pair.refresh);
}

#[tokio::test]
async fn a_refresh_that_stays_contended_is_unavailable_not_refused() {
    let store = InMemoryStore::new();
    let accounts = accounts(store.clone());
    let pair = session(&store, &accounts).await;
    for _ in 0..3 {
        store.fail_next_commit(Fault::Contended);
    }

    let result = accounts.refresh(pair.refresh.clone()).await;

    assert!(unavailable(&result), "{result:?}");
    let again = accounts.refresh(pair.refresh).await;
    assert!(again.is_ok(), "nothing was spent: {again:?}");
}

#[tokio::test]
async fn store_failures_while_refreshing_are_store_errors_and_spend_nothing() {
    let store = InMemoryStore::new();
    let accounts = accounts(store.clone());
    let pair = session(&store, &accounts).await;
    store.fail_next_read(Fault::Unavailable);
    let result = accounts.refresh(pair.refresh.clone()).await;
    assert!(unavailable(&result), "{result:?}");

    store.fail_next_commit(Fault::Unexpected);
    let result = accounts.refresh(pair.refresh.clone()).await;
    assert!(unexpected(&result), "{result:?}");

    assert!(accounts.refresh(pair.refresh).await.is_ok());
}

#[tokio::test]
async fn a_deactivation_between_a_refreshs_read_and_write_wins() {
    let store = InMemoryStore::new();
    let pair = session(&store, &accounts(store.clone())).await;
    // Before the refresh commits, another request deactivates the account.
    let racing = accounts(RacingStore::new(store.clone(), 1, 1));

    let result = racing.refresh(pair.refresh.clone()).await;

    assert_eq!(
        refusal(&result),
        Some(Refusal::InvalidRefreshToken),
        "decided again on fresh data: {result:?}"
    );
    let session = store
        .find_session(pair.refresh.session())
        .await
        .expect("readable")
        .expect("stored");
    assert_eq!(
        session.generation(),
        pair.refresh.generation(),
        "not rotated"
    );
}

#[tokio::test]
async fn a_failed_session_write_signs_nobody_in() {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", true).await;
    store.fail_next_commit(Fault::Unavailable);

    let result = accounts(store.clone())
        .sign_in(credentials("ada@example.com", PASSWORD))
        .await;

    assert!(unavailable(&result), "{result:?}");
}

#[tokio::test]
async fn sign_out_reports_an_unavailable_store_and_changes_nothing() {
    let store = InMemoryStore::new();
    let accounts = accounts(store.clone());
    let pair = session(&store, &accounts).await;
    store.fail_next_commit(Fault::Unavailable);

    let result = accounts
        .sign_out(SignOut::Session(pair.refresh.clone()), true)
        .await;

    assert!(unavailable(&result), "{result:?}");
    assert!(accounts.refresh(pair.refresh).await.is_ok());
}

#[tokio::test]
async fn signing_out_an_unknown_session_writes_nothing_and_everywhere_is_refused() {
    let store = InMemoryStore::new();
    let accounts = accounts(store.clone());
    let pair = session(&store, &accounts).await;
    let stranger = RefreshToken::parse(&format!(
        "00000000-0000-4000-8000-000000000000.0.{}",
        "A".repeat(43)
    ))
    .expect("well-formed");
    let commits = store.commits();

    accounts
        .sign_out(SignOut::Session(stranger.clone()), false)
        .await
        .expect("quietly");
    let everywhere = accounts.sign_out(SignOut::Session(stranger), true).await;

    assert_eq!(
        refusal(&everywhere),
        Some(Refusal::InvalidRefreshToken),
        "ending every session of no session is no success: {everywhere:?}"
    );
    assert_eq!(store.commits(), commits);
    assert!(accounts.refresh(pair.refresh).await.is_ok());
}

#[tokio::test]
async fn a_reuse_whose_revocation_is_contended_is_unavailable_and_revokes_on_retry() {
    let (store, clock) = (InMemoryStore::new(), TestClock::default());
    let accounts = accounts_at(store.clone(), &clock);
    let first = session(&store, &accounts).await;
    let second = accounts
        .refresh(first.refresh.clone())
        .await
        .expect("rotated");
    clock.advance(REUSE_GRACE + 1);
    store.fail_next_commit(Fault::Contended);

    let result = accounts.refresh(first.refresh.clone()).await;

    assert!(unavailable(&result), "{result:?}");
    assert!(accounts.refresh(first.refresh).await.is_err());
    let after = accounts.refresh(second.refresh).await;
    assert_eq!(
        refusal(&after),
        Some(Refusal::InvalidRefreshToken),
        "the retried reuse revoked the family: {after:?}"
    );
}

#[tokio::test]
async fn deleting_an_account_with_more_sessions_than_a_transaction_holds_removes_them_all() {
    let store = InMemoryStore::new();
    let accounts = accounts(store.clone());
    let pair = session(&store, &accounts).await;
    let user = crate::support::stored(&store, "ada@example.com").await;
    for _ in 0..150 {
        let extra = Session::start(&user, 1_800_000_000, SESSIONS.lifetimes());
        let mut uow = UnitOfWork::begin(&store);
        uow.start_session(extra);
        uow.commit().await.expect("stored");
    }
    assert_eq!(
        store.sessions_of(user.id()).await.map(|s| s.len()).ok(),
        Some(151)
    );

    let bearer = accounts
        .authenticate_bearer(pair.access.reveal())
        .expect("a valid token");
    accounts
        .delete_account(
            &bearer,
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
