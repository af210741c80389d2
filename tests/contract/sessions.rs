//! What every `AccountStore` promises about sessions and session epochs.

use user_service::domain::{Lifetimes, Session, SessionId, User, UserId};
use user_service::service::{AccountStore, CommitError, RECORDS_PER_COMMIT, StoreError};

use crate::suite::{commit, email, given, made_stale, stored};

const NOW: u64 = 1_800_000_000;
const TTL: Lifetimes = Lifetimes {
    token: 3600,
    session: 86_400,
};

async fn active<S: AccountStore>(store: &S, address: &str) -> User {
    let mut user = given(store, address).await;
    user.activate();
    commit(store, |uow| uow.save_status(&user))
        .await
        .expect("activated");
    stored(store, address).await
}

async fn session_of<S: AccountStore>(store: &S, id: SessionId) -> Option<Session> {
    store.find_session(id).await.expect("readable")
}

/// A session of `user`, started and stored.
async fn started<S: AccountStore>(store: &S, user: &User) -> Session {
    let session = Session::start(user, NOW, TTL);
    commit(store, |uow| uow.start_session(session.clone()))
        .await
        .expect("stored");
    session
}

pub async fn a_started_session_reads_back_exactly_and_others_read_as_nothing<S: AccountStore>(
    store: S,
) {
    let user = active(&store, "ada@example.com").await;

    let session = started(&store, &user).await;

    let read = session_of(&store, session.id()).await;
    assert!(read.as_ref().is_some_and(|read| !read.is_revoked()));
    assert_eq!(read, Some(session));
    assert_eq!(session_of(&store, SessionId::generate()).await, None);
}

pub async fn starting_a_session_under_a_taken_id_is_unexpected<S: AccountStore>(store: S) {
    let user = active(&store, "ada@example.com").await;
    let session = started(&store, &user).await;

    let result = commit(&store, |uow| uow.start_session(session.clone())).await;

    assert!(
        matches!(result, Err(CommitError::Store(StoreError::Unexpected(_)))),
        "{result:?}"
    );
}

pub async fn a_rotation_applies_once_per_generation<S: AccountStore>(store: S) {
    let user = active(&store, "ada@example.com").await;
    let session = started(&store, &user).await;
    let from = session.generation();
    let mut first = session.clone();
    first.rotate(NOW + 5, TTL);
    let mut second = session.clone();
    second.rotate(NOW + 6, TTL);

    commit(&store, |uow| uow.save_rotation(first.clone(), from))
        .await
        .expect("the first rotation applies");
    let result = commit(&store, |uow| uow.save_rotation(second, from)).await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(session_of(&store, session.id()).await, Some(first));
}

pub async fn of_concurrent_rotations_from_one_token_exactly_one_lands<S>(store: S)
where
    S: AccountStore + Clone + 'static,
{
    let user = active(&store, "ada@example.com").await;
    let session = started(&store, &user).await;
    let rotators: Vec<_> = (0..8)
        .map(|i| {
            let (store, mut mine, user) = (store.clone(), session.clone(), user.clone());
            tokio::spawn(async move {
                let from = mine.generation();
                mine.rotate(NOW + i, TTL);
                let result = commit(&store, |uow| {
                    uow.save_rotation(mine.clone(), from);
                    uow.require_unchanged(&user);
                })
                .await;
                (mine, result)
            })
        })
        .collect();
    let mut landed = Vec::new();
    for rotator in rotators {
        match rotator.await.expect("finished") {
            (mine, Ok(())) => landed.push(mine),
            (_, Err(CommitError::Conflict | CommitError::Contended)) => {}
            (_, Err(other)) => panic!("{other:?}"),
        }
    }
    assert_eq!(landed.len(), 1);
    assert_eq!(
        session_of(&store, session.id()).await.as_ref(),
        landed.first()
    );
}

pub async fn a_revoked_session_stays_revoked_and_rotates_no_more<S: AccountStore>(store: S) {
    let user = active(&store, "ada@example.com").await;
    let session = started(&store, &user).await;

    commit(&store, |uow| uow.revoke_session(session.id(), user.id()))
        .await
        .expect("revoked");
    let mut rotated = session.clone();
    rotated.rotate(NOW + 1, TTL);
    let result = commit(&store, |uow| {
        uow.save_rotation(rotated, session.generation())
    })
    .await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    let read = session_of(&store, session.id()).await.expect("kept");
    assert!(read.is_revoked());
    assert_eq!(read.generation(), session.generation());
}

pub async fn revoking_a_session_that_does_not_exist_conflicts_and_creates_nothing<
    S: AccountStore,
>(
    store: S,
) {
    let missing = SessionId::generate();

    let result = commit(&store, |uow| {
        uow.revoke_session(missing, UserId::generate())
    })
    .await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(session_of(&store, missing).await, None);
}

pub async fn ending_sessions_moves_the_epoch_and_version_on_whatever_version_was_read<
    S: AccountStore,
>(
    store: S,
) {
    let (stale, current) = made_stale(&store, "ada@example.com").await;
    let epoch = current.session_epoch();

    commit(&store, |uow| {
        uow.end_sessions(stale.email(), stale.id(), epoch)
    })
    .await
    .expect("no version condition");

    let after = stored(&store, "ada@example.com").await;
    assert_eq!(after.session_epoch(), epoch + 1);
    assert_eq!(after.version(), current.version() + 1);
    assert_eq!(after.is_active(), current.is_active(), "the epoch only");
    let again = commit(&store, |uow| {
        uow.end_sessions(stale.email(), stale.id(), epoch)
    })
    .await;
    assert!(
        matches!(again, Err(CommitError::Conflict)),
        "the sessions of that epoch had ended already: {again:?}"
    );
    assert_eq!(
        stored(&store, "ada@example.com").await.session_epoch(),
        epoch + 1
    );
}

pub async fn ending_the_sessions_of_an_account_that_is_gone_conflicts<S: AccountStore>(store: S) {
    let old = given(&store, "ada@example.com").await;
    commit(&store, |uow| uow.delete(&old))
        .await
        .expect("deleted");
    let new = given(&store, "ada@example.com").await;

    let result = commit(&store, |uow| uow.end_sessions(old.email(), old.id(), 0)).await;
    let nobody = commit(&store, |uow| {
        uow.end_sessions(&email("nobody@example.com"), old.id(), 0)
    })
    .await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert!(matches!(nobody, Err(CommitError::Conflict)), "{nobody:?}");
    assert_eq!(stored(&store, "ada@example.com").await, new);
}

pub async fn a_status_change_writes_the_session_epoch<S: AccountStore>(store: S) {
    let mut user = active(&store, "ada@example.com").await;
    user.deactivate();

    commit(&store, |uow| uow.save_status(&user))
        .await
        .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert_eq!(after.session_epoch(), user.session_epoch());
    assert!(after.session_epoch() > 0);
}

pub async fn a_rotation_with_a_stale_account_check_writes_nothing<S: AccountStore>(store: S) {
    let user = active(&store, "ada@example.com").await;
    let session = started(&store, &user).await;
    commit(&store, |uow| {
        uow.end_sessions(user.email(), user.id(), user.session_epoch())
    })
    .await
    .expect("signed out everywhere");
    let mut rotated = session.clone();
    rotated.rotate(NOW + 1, TTL);

    let result = commit(&store, |uow| {
        uow.save_rotation(rotated, session.generation());
        uow.require_unchanged(&user);
    })
    .await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(session_of(&store, session.id()).await, Some(session));
}

pub async fn an_accounts_sessions_are_listed_and_each_can_be_deleted<S: AccountStore>(store: S) {
    let ada = active(&store, "ada@example.com").await;
    let grace = active(&store, "grace@example.com").await;
    let (first, second) = (started(&store, &ada).await, started(&store, &ada).await);
    let other = started(&store, &grace).await;
    let listed = |mut ids: Vec<SessionId>| {
        ids.sort_by_key(ToString::to_string);
        ids
    };

    let sessions = store.sessions_of(ada.id()).await.expect("readable");

    assert_eq!(listed(sessions), listed(vec![first.id(), second.id()]));
    commit(&store, |uow| uow.delete_session(first.id()))
        .await
        .expect("deleted");
    commit(&store, |uow| uow.delete_session(SessionId::generate()))
        .await
        .expect("deleting a session that does not exist is no error");
    assert_eq!(session_of(&store, first.id()).await, None);
    let left = store.sessions_of(ada.id()).await.expect("readable");
    assert_eq!(left, vec![second.id()]);
    assert_eq!(session_of(&store, other.id()).await, Some(other));
}

pub async fn checks_are_counted_from_the_count_read_by_run_and_cleared_without_the_version<
    S: AccountStore,
>(
    store: S,
) {
    let user = active(&store, "ada@example.com").await;
    let window = user_service::domain::MAX_LOCK_SECONDS;
    let reserve = |read: &User, at: u64| {
        let read = read.clone();
        let store = &store;
        async move { commit(store, |uow| uow.reserve_attempt(&read, at)).await }
    };
    let now = || async { stored(&store, "ada@example.com").await };

    reserve(&user, NOW).await.expect("the first check of a run");
    let after_one = now().await;
    assert_eq!(after_one.failures().current(NOW), 1);
    assert_eq!(
        after_one.version(),
        user.version(),
        "the count is not account data"
    );
    let stale_read = reserve(&user, NOW + 1).await;
    assert!(
        matches!(stale_read, Err(CommitError::Conflict)),
        "counted from a read of no run, while one stands: {stale_read:?}"
    );
    reserve(&after_one, NOW + 1)
        .await
        .expect("one more of the run read");
    let again = reserve(&after_one, NOW + 2).await;
    assert!(
        matches!(again, Err(CommitError::Conflict)),
        "two checks counted from one read: only one lands: {again:?}"
    );
    let after_two = now().await;
    assert_eq!(after_two.failures().current(NOW + 2), 2);

    let later = NOW + 1 + window;
    assert_eq!(after_two.failures().current(later), 0, "the run ran out");
    reserve(&after_two, later).await.expect("a new run");
    assert_eq!(now().await.failures().current(later), 1);

    let before_clear = now().await;
    commit(&store, |uow| uow.clear_failures(&before_clear))
        .await
        .expect("cleared");
    let cleared = now().await;
    assert_eq!(cleared.failures().current(later), 0);
    assert_eq!(cleared.version(), user.version());
    reserve(&cleared, later)
        .await
        .expect("a cleared count starts a run");
}

pub async fn a_change_set_of_more_records_than_a_transaction_holds_writes_nothing<
    S: AccountStore,
>(
    store: S,
) {
    let user = active(&store, "ada@example.com").await;
    let sessions = |count: usize| -> Vec<Session> {
        (0..count)
            .map(|_| Session::start(&user, NOW, TTL))
            .collect()
    };
    let (too_many, as_many) = (
        sessions(RECORDS_PER_COMMIT + 1),
        sessions(RECORDS_PER_COMMIT),
    );

    let refused = commit(&store, |uow| {
        for session in &too_many {
            uow.start_session(session.clone());
        }
    })
    .await;
    let accepted = commit(&store, |uow| {
        for session in &as_many {
            uow.start_session(session.clone());
        }
    })
    .await;

    assert!(
        matches!(refused, Err(CommitError::Store(StoreError::Unexpected(_)))),
        "{refused:?}"
    );
    assert_eq!(
        session_of(&store, too_many[0].id()).await,
        None,
        "nothing written"
    );
    assert!(accepted.is_ok(), "{accepted:?}");
    assert_eq!(
        session_of(&store, as_many[RECORDS_PER_COMMIT - 1].id()).await,
        as_many.last().cloned()
    );
}
