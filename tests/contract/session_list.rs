//! What every `AccountStore` promises about reading an account's sessions whole (the list of
//! sessions) and about revoking one on behalf of its owner only.

use user_service::domain::{
    Lifetimes, Session, SessionId, SessionOrigin, SourceIp, User, UserAgent, UserId,
};
use user_service::service::{AccountStore, CommitError};

use crate::suite::{commit, given, stored};

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

fn from_firefox() -> SessionOrigin {
    SessionOrigin {
        user_agent: UserAgent::parse("Mozilla/5.0 (X11; Linux x86_64) Firefox/146.0").ok(),
        source_ip: SourceIp::parse("2001:db8::7").ok(),
    }
}

async fn read_back<S: AccountStore>(store: &S, id: SessionId) -> Session {
    (store.find_session(id).await.expect("readable")).expect("stored")
}

fn by_id(mut sessions: Vec<Session>) -> Vec<Session> {
    sessions.sort_by_key(|session| session.id().to_string());
    sessions
}

pub async fn an_accounts_sessions_read_back_whole_as_stored_and_no_other_accounts<
    S: AccountStore,
>(
    store: S,
) {
    let ada = active(&store, "ada@example.com").await;
    let grace = active(&store, "grace@example.com").await;
    let firefox = Session::start(&ada, NOW, TTL).started_from(from_firefox());
    let unknown = Session::start(&ada, NOW + 1, TTL);
    let revoked = Session::start(&ada, NOW + 2, TTL);
    let hers = Session::start(&grace, NOW, TTL).started_from(from_firefox());
    commit(&store, |uow| {
        for session in [&firefox, &unknown, &revoked, &hers] {
            uow.start_session(session.clone());
        }
    })
    .await
    .expect("started");
    let mut rotated = firefox.clone();
    rotated.rotate(NOW + 60, TTL);
    commit(&store, |uow| {
        uow.save_rotation(rotated.clone(), firefox.generation());
        uow.revoke_session(revoked.id(), ada.id());
    })
    .await
    .expect("rotated and revoked");

    let listed = store.find_sessions_of(ada.id()).await.expect("readable");

    let expected = vec![
        read_back(&store, firefox.id()).await,
        read_back(&store, unknown.id()).await,
        read_back(&store, revoked.id()).await,
    ];
    assert_eq!(by_id(listed.clone()), by_id(expected), "whole, as stored");
    let read = listed
        .iter()
        .find(|s| s.id() == firefox.id())
        .expect("listed");
    assert_eq!(
        read, &rotated,
        "the rotation, with the origin kept through it"
    );
    assert_eq!(read.origin(), &from_firefox());
    assert_eq!(read.last_used_at(), NOW + 60);
    assert_eq!(read.created_at(), NOW);
    let plain = listed
        .iter()
        .find(|s| s.id() == unknown.id())
        .expect("listed");
    assert_eq!(
        plain.origin(),
        &SessionOrigin::default(),
        "an origin may be unknown"
    );
    assert!(
        listed
            .iter()
            .any(|s| s.id() == revoked.id() && s.is_revoked())
    );
    let none = store.find_sessions_of(UserId::generate()).await;
    assert!(none.is_ok_and(|sessions| sessions.is_empty()));
}

pub async fn a_session_is_revoked_for_its_owner_only_and_another_accounts_revocation_conflicts<
    S: AccountStore,
>(
    store: S,
) {
    let ada = active(&store, "ada@example.com").await;
    let grace = active(&store, "grace@example.com").await;
    let hers = Session::start(&grace, NOW, TTL);
    let mine = Session::start(&ada, NOW, TTL);
    commit(&store, |uow| {
        uow.start_session(hers.clone());
        uow.start_session(mine.clone());
    })
    .await
    .expect("started");

    let foreign = commit(&store, |uow| uow.revoke_session(hers.id(), ada.id())).await;
    let with_it = commit(&store, |uow| {
        uow.revoke_session(mine.id(), ada.id());
        uow.revoke_session(hers.id(), ada.id());
    })
    .await;

    assert!(matches!(foreign, Err(CommitError::Conflict)), "{foreign:?}");
    assert!(matches!(with_it, Err(CommitError::Conflict)), "{with_it:?}");
    assert_eq!(read_back(&store, hers.id()).await, hers, "hers untouched");
    assert_eq!(
        read_back(&store, mine.id()).await,
        mine,
        "nothing of the set applied"
    );
    commit(&store, |uow| uow.revoke_session(hers.id(), grace.id()))
        .await
        .expect("its owner revokes it");
    assert!(read_back(&store, hers.id()).await.is_revoked());
}
