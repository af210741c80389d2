//! What the outbox promises on every store: each change's events are written with it, or not
//! at all; an account's events are numbered 1, 2, 3, … without gaps, whatever wrote them; and
//! they read back newest first, outliving the account.

use user_service::domain::{AccountEvent, Actor, EventKind, FREE_FAILURES, UserId};
use user_service::service::{AccountStore, CommitError, UnitOfWork, origin};

use crate::suite::{commit, given, hash, stored, user};

const NOW: u64 = 1_800_000_000;

async fn events_of<S: AccountStore>(store: &S, id: UserId) -> Vec<AccountEvent> {
    store.events_of(id, None, 100).await.expect("readable")
}

/// The types of `id`'s events, oldest first, checking they are numbered 1, 2, 3, ….
async fn history<S: AccountStore>(store: &S, id: UserId) -> Vec<EventKind> {
    let mut events = events_of(store, id).await;
    events.reverse();
    let sequences: Vec<u64> = events.iter().map(|event| event.sequence).collect();
    let expected: Vec<u64> = (1..=events.len() as u64).collect();
    assert_eq!(sequences, expected, "numbered without gaps, newest first");
    events.into_iter().map(|event| event.kind).collect()
}

pub async fn every_change_writes_its_events_with_it_numbered_without_gaps<S: AccountStore>(
    store: S,
) {
    let ada = given(&store, "ada@example.com").await;
    let mut changed = ada.clone();
    changed.activate();
    commit(&store, |uow| uow.save_status(&changed))
        .await
        .expect("written");
    // A reset of an unverified address proves it too: two events, one write.
    let mut reset = stored(&store, "ada@example.com").await;
    reset.reset_password(hash("cmVzZXQ"));
    commit(&store, |uow| uow.save_reset(&reset))
        .await
        .expect("written");
    // A write with nothing to tell (new names) publishes nothing and takes no number.
    let mut renamed = stored(&store, "ada@example.com").await;
    renamed.rename(
        Some(user_service::domain::PersonName::parse("Augusta").expect("valid")),
        None,
    );
    commit(&store, |uow| uow.save_names(&renamed))
        .await
        .expect("written");
    let mut disabled = stored(&store, "ada@example.com").await;
    disabled.disable();
    commit(&store, |uow| uow.save_disabled(&disabled))
        .await
        .expect("written");
    let last = stored(&store, "ada@example.com").await;
    commit(&store, |uow| uow.delete(&last))
        .await
        .expect("deleted");

    assert_eq!(
        history(&store, ada.id()).await,
        [
            EventKind::Created,
            EventKind::Activated,
            EventKind::PasswordReset,
            EventKind::EmailVerified,
            EventKind::Disabled,
            EventKind::Deleted,
        ],
        "the deleted account's trail outlives it"
    );
    assert!(
        store
            .sessions_of(ada.id())
            .await
            .expect("readable")
            .is_empty(),
        "event items stay out of the sessions index"
    );
}

pub async fn an_event_carries_its_time_request_actor_and_expiry<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let mut changed = ada.clone();
    changed.activate();
    let actor = Actor::parse("arn:aws:iam::123456789012:user/ops").expect("an ARN");
    let write = async {
        let mut uow = UnitOfWork::stamped(&store, NOW, 30).acting_as(actor.clone());
        uow.save_status(&changed);
        uow.commit().await
    };
    origin::serving(Some("req-7".to_owned()), write)
        .await
        .expect("written");

    let newest = events_of(&store, ada.id()).await.remove(0);
    assert_eq!(
        newest,
        AccountEvent {
            kind: EventKind::Activated,
            user: ada.id(),
            sequence: 2,
            at: NOW,
            expires_at: NOW + 30 * 86_400,
            request_id: Some("req-7".to_owned()),
            actor,
        }
    );
    assert_eq!(newest.id(), format!("{}.2", ada.id()));
}

pub async fn a_cancelled_change_set_writes_none_of_its_events<S: AccountStore>(store: S) {
    given(&store, "ada@example.com").await;
    let impostor = user("ada@example.com");
    let refused = commit(&store, |uow| uow.create(impostor.clone())).await;
    assert!(
        matches!(refused, Err(CommitError::EmailTaken)),
        "{refused:?}"
    );
    assert!(events_of(&store, impostor.id()).await.is_empty());

    // A stale write: the version moved on, so neither it nor its event is written.
    let ada = stored(&store, "ada@example.com").await;
    let mut first = ada.clone();
    first.activate();
    commit(&store, |uow| uow.save_status(&first))
        .await
        .expect("written");
    let mut stale = ada.clone();
    stale.verify_email();
    let refused = commit(&store, |uow| uow.save_verified(&stale)).await;
    assert!(matches!(refused, Err(CommitError::Conflict)), "{refused:?}");
    assert_eq!(
        history(&store, ada.id()).await,
        [EventKind::Created, EventKind::Activated]
    );
}

pub async fn the_check_that_locks_an_account_writes_its_event_once_of_a_burst<S: AccountStore>(
    store: S,
) {
    given(&store, "ada@example.com").await;
    for at in NOW..NOW + u64::from(FREE_FAILURES) - 1 {
        let read = stored(&store, "ada@example.com").await;
        commit(&store, |uow| uow.reserve_attempt(&read, at))
            .await
            .expect("counted");
    }
    // Four checks counted: none locked. Two checks read the same count; each would lock.
    let read = stored(&store, "ada@example.com").await;
    let at = NOW + 10;
    let (one, other) = tokio::join!(
        commit(&store, |uow| uow.reserve_attempt(&read, at)),
        commit(&store, |uow| uow.reserve_attempt(&read, at)),
    );
    assert!(
        one.is_ok() != other.is_ok(),
        "exactly one lands: {one:?} {other:?}"
    );
    let id = read.id();
    assert_eq!(
        history(&store, id).await,
        [EventKind::Created, EventKind::Locked]
    );
    let locked = stored(&store, "ada@example.com").await;
    assert_eq!(
        locked.version(),
        read.version(),
        "a lock is not a change of the account"
    );

    // A change read before the lock numbers its event as the lock did: it must read again.
    let mut stale = read.clone();
    stale.activate();
    let refused = commit(&store, |uow| uow.save_status(&stale)).await;
    assert!(matches!(refused, Err(CommitError::Conflict)), "{refused:?}");
    let mut fresh = stored(&store, "ada@example.com").await;
    fresh.activate();
    commit(&store, |uow| uow.save_status(&fresh))
        .await
        .expect("written");
    assert_eq!(
        history(&store, id).await,
        [EventKind::Created, EventKind::Locked, EventKind::Activated]
    );
}

pub async fn an_accounts_events_page_newest_first_before_a_sequence<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let grace = given(&store, "grace@example.com").await;
    for _ in 0..3 {
        let mut changed = stored(&store, "ada@example.com").await;
        if changed.is_active() {
            changed.deactivate();
        } else {
            changed.activate();
        }
        commit(&store, |uow| uow.save_status(&changed))
            .await
            .expect("written");
    }
    let sequences = |events: Vec<AccountEvent>| -> Vec<u64> {
        events.iter().map(|event| event.sequence).collect()
    };
    let page = |before, limit| store.events_of(ada.id(), before, limit);
    assert_eq!(sequences(page(None, 2).await.expect("read")), [4, 3]);
    assert_eq!(sequences(page(Some(3), 2).await.expect("read")), [2, 1]);
    assert_eq!(
        sequences(page(Some(1), 2).await.expect("read")),
        Vec::<u64>::new()
    );
    assert_eq!(
        sequences(events_of(&store, grace.id()).await),
        [1],
        "another account's are its own"
    );
    assert!(events_of(&store, UserId::generate()).await.is_empty());
}
