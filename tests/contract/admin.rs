//! What the administrators' reads and write promise on every store: `SetDisabled`, an account
//! by id, and pages of accounts.

use std::collections::BTreeSet;

use user_service::domain::{AccountCursor, EmailPrefix, Lifetimes, Session};
use user_service::service::{AccountStore, CommitError};

use crate::suite::{commit, email, given, hash, made_stale, stored};

pub async fn set_disabled_writes_the_flag_and_the_epoch_and_nothing_else<S: AccountStore>(
    store: S,
) {
    let before = given(&store, "ada@example.com").await;
    let mut changed = before.clone();
    assert!(changed.disable());
    // Unsaved changes of other kinds must not be written along with it.
    changed.activate();
    changed.replace_password_hash(hash("bm90IHNhdmVk"));

    commit(&store, |uow| uow.save_disabled(&changed))
        .await
        .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert!(after.is_disabled());
    assert_eq!(after.session_epoch(), before.session_epoch() + 1);
    assert_eq!(after.version(), before.version() + 1);
    assert!(!after.is_active(), "the flag only");
    assert_eq!(after.password_hash(), before.password_hash());
    assert_eq!(after.created_at(), before.created_at());

    let mut enabled = after.clone();
    assert!(enabled.enable());
    commit(&store, |uow| uow.save_disabled(&enabled))
        .await
        .expect("written");
    let again = stored(&store, "ada@example.com").await;
    assert!(!again.is_disabled());
    assert_eq!(
        again.session_epoch(),
        after.session_epoch(),
        "no epoch back"
    );
}

pub async fn set_disabled_on_a_stale_version_conflicts_and_writes_nothing<S: AccountStore>(
    store: S,
) {
    let (mut stale, current) = made_stale(&store, "ada@example.com").await;
    stale.disable();

    let result = commit(&store, |uow| uow.save_disabled(&stale)).await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(stored(&store, "ada@example.com").await, current);
}

pub async fn an_account_is_found_by_its_id_wherever_it_lives_and_not_once_gone<S: AccountStore>(
    store: S,
) {
    let ada = given(&store, "ada@example.com").await;
    given(&store, "grace@example.com").await;

    let found = store.find_by_id(ada.id()).await.expect("readable");
    let record = found.expect("found");
    assert_eq!(record.user, ada);
    assert!(record.updated_at >= ada.created_at());

    let mut moved = ada.clone();
    moved.change_email(email("lovelace@example.com"));
    commit(&store, |uow| uow.save_email(&moved))
        .await
        .expect("moved");
    let found = store.find_by_id(ada.id()).await.expect("readable");
    assert_eq!(
        found.map(|record| record.user.email().clone()),
        Some(email("lovelace@example.com"))
    );

    let gone = stored(&store, "lovelace@example.com").await;
    commit(&store, |uow| uow.delete(&gone))
        .await
        .expect("deleted");
    assert_eq!(store.find_by_id(ada.id()).await.expect("readable"), None);
    let never = user_service::domain::UserId::generate();
    assert_eq!(store.find_by_id(never).await.expect("readable"), None);
}

pub async fn pages_hold_every_account_of_a_prefix_once_and_end<S: AccountStore>(store: S) {
    let mut adas = BTreeSet::new();
    for n in 0..7 {
        let address = format!("ada{n}@example.com");
        given(&store, &address).await;
        adas.insert(address);
    }
    for n in 0..3 {
        given(&store, &format!("grace{n}@example.com")).await;
    }
    // Items of other kinds share the table and are never listed.
    let owner = stored(&store, "ada0@example.com").await;
    let session = Session::start(
        &owner,
        1_800_000_000,
        Lifetimes {
            token: 60,
            session: 60,
        },
    );
    commit(&store, |uow| uow.start_session(session))
        .await
        .expect("started");
    let prefix = EmailPrefix::parse("ada").expect("valid");

    let mut listed = Vec::new();
    let mut after: Option<AccountCursor> = None;
    for _ in 0..20 {
        let page = store
            .accounts(&prefix, after.as_ref(), 2)
            .await
            .expect("readable");
        assert!(page.accounts.len() <= 2);
        listed.extend(
            page.accounts
                .iter()
                .map(|r| r.user.email().as_ref().to_owned()),
        );
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }

    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(listed.len(), unique.len(), "no account twice: {listed:?}");
    assert_eq!(unique, adas);
    let everyone = (store.accounts(&EmailPrefix::parse("").expect("valid"), None, 200))
        .await
        .expect("readable");
    assert_eq!(everyone.accounts.len(), 10);
    assert_eq!(everyone.next, None);
}

pub async fn a_cursor_whose_account_is_gone_still_leads_on<S: AccountStore>(store: S) {
    for n in 0..5 {
        given(&store, &format!("ada{n}@example.com")).await;
    }
    let all = EmailPrefix::parse("").expect("valid");
    let first = store.accounts(&all, None, 2).await.expect("readable");
    let cursor = first.next.expect("more");
    let last = first.accounts.last().expect("two").user.clone();
    commit(&store, |uow| uow.delete(&last))
        .await
        .expect("deleted");

    let mut rest = Vec::new();
    let mut after = Some(cursor);
    while let Some(cursor) = after {
        let page = store
            .accounts(&all, Some(&cursor), 2)
            .await
            .expect("readable");
        rest.extend(page.accounts.into_iter().map(|r| r.user.id()));
        after = page.next;
    }

    let seen: std::collections::HashSet<_> = (first.accounts.iter().map(|r| r.user.id()))
        .chain(rest.iter().copied())
        .collect();
    assert_eq!(
        seen.len(),
        5,
        "every account, the deleted one on the first page"
    );
    assert_eq!(rest.len(), 3);
}
