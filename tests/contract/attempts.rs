//! What every `AccountStore` promises about password checks against an address no account has
//! (kept with `PREVENT_USER_EXISTENCE_ERRORS`, so that the lockout treats unknown addresses as
//! it treats accounts): counted under the address, never an account, replaced by one.

use user_service::domain::{Failures, MAX_LOCK_SECONDS};
use user_service::service::{AccountStore, AtAddress, CommitError};

use crate::suite::{commit, email, given, read, stored, user};

const NOW: u64 = 1_800_000_000;

async fn at<S: AccountStore>(store: &S, address: &str) -> AtAddress {
    store.find_at(&email(address)).await.expect("readable")
}

/// The count at `address`, which must hold no account.
async fn count<S: AccountStore>(store: &S, address: &str, now: u64) -> u32 {
    match at(store, address).await {
        AtAddress::Nobody(failures) => failures.current(now),
        AtAddress::Account(user) => panic!("{address} holds an account: {user:?}"),
    }
}

pub async fn checks_against_an_address_no_account_has_are_counted_and_make_no_account<
    S: AccountStore,
>(
    store: S,
) {
    let address = email("nobody@example.com");
    assert_eq!(
        at(&store, "nobody@example.com").await,
        AtAddress::Nobody(Failures::default())
    );

    commit(&store, |uow| {
        uow.reserve_attempt_at(&address, None, NOW, Failures::default())
    })
    .await
    .expect("the first check of a run");
    let stale = commit(&store, |uow| {
        uow.reserve_attempt_at(&address, None, NOW + 1, Failures::default())
    })
    .await;

    assert!(matches!(stale, Err(CommitError::Conflict)), "{stale:?}");
    assert_eq!(count(&store, "nobody@example.com", NOW + 1).await, 1);
    assert_eq!(read(&store, "nobody@example.com").await, None, "no account");
    let AtAddress::Nobody(one) = at(&store, "nobody@example.com").await else {
        panic!("no account");
    };
    commit(&store, |uow| {
        uow.reserve_attempt_at(&address, None, NOW + 2, one)
    })
    .await
    .expect("one more, from the count read");
    assert_eq!(count(&store, "nobody@example.com", NOW + 2).await, 2);
    let later = NOW + 2 + MAX_LOCK_SECONDS;
    assert_eq!(
        count(&store, "nobody@example.com", later).await,
        0,
        "the run ran out"
    );
}

pub async fn an_account_takes_over_an_address_that_was_guessed_at<S: AccountStore>(store: S) {
    for address in ["grace@example.com", "hopper@example.com"] {
        commit(&store, |uow| {
            uow.reserve_attempt_at(&email(address), None, NOW, Failures::default())
        })
        .await
        .expect("counted");
    }

    let created = given(&store, "grace@example.com").await;
    let moving = given(&store, "ada@example.com").await;
    let mut moved = moving.clone();
    moved.change_email(email("hopper@example.com"));
    commit(&store, |uow| uow.save_email(&moved))
        .await
        .expect("a move onto a guessed-at address");

    assert_eq!(
        created.failures().current(NOW),
        0,
        "the account starts clean"
    );
    let hopper = stored(&store, "hopper@example.com").await;
    assert_eq!(hopper.id(), moving.id());
    assert_eq!(hopper.failures().current(NOW), 0);
    let again = commit(&store, |uow| uow.create(user("grace@example.com"))).await;
    assert!(
        matches!(again, Err(CommitError::EmailTaken)),
        "{again:?}: an account, not a count"
    );
}

pub async fn an_unowned_count_conflicts_once_an_account_has_the_address<S: AccountStore>(store: S) {
    let account = given(&store, "ada@example.com").await;

    let result = commit(&store, |uow| {
        uow.reserve_attempt_at(&email("ada@example.com"), None, NOW, Failures::default())
    })
    .await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(
        stored(&store, "ada@example.com").await,
        account,
        "the account untouched"
    );
}
