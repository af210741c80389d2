//! Listing and revoking one's own sessions: what the use cases read and write, with an index
//! that lags behind the table, as DynamoDB's may.

use std::sync::{Arc, Mutex};

use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{Session, SessionId, UserId};
use user_service::service::{
    AccountStore, Accounts, Bearer, Change, CommitError, Refusal, StoreError, TokenPair,
};

use crate::common::PASSWORD;
use crate::support::{accounts, credentials, given_account, refusal};

/// A store whose sessions index has not caught up with the sessions named in `lagging`, and
/// which keeps every change set it commits.
#[derive(Clone, Default)]
struct LaggingIndex {
    inner: InMemoryStore,
    lagging: Arc<Mutex<Vec<SessionId>>>,
    committed: Arc<Mutex<Vec<Vec<Change>>>>,
}

impl LaggingIndex {
    fn lag_behind(&self, session: SessionId) {
        self.lagging.lock().expect("not poisoned").push(session);
    }

    fn committed(&self) -> Vec<Vec<Change>> {
        self.committed.lock().expect("not poisoned").clone()
    }
}

impl AccountStore for LaggingIndex {
    crate::common::delegate::delegate!(inner; find_at, find_codes, find_challenge, find_session, sessions_of, find_by_id, accounts, events_of);

    async fn find_sessions_of(&self, user: UserId) -> Result<Vec<Session>, StoreError> {
        let mut sessions = self.inner.find_sessions_of(user).await?;
        let lagging = self.lagging.lock().expect("not poisoned").clone();
        sessions.retain(|session| !lagging.contains(&session.id()));
        Ok(sessions)
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        let result = self.inner.commit(changes.clone()).await;
        self.committed.lock().expect("not poisoned").push(changes);
        result
    }
}

/// `email` signed in through `accounts` (the account made active if need be).
async fn signed_in(
    store: &LaggingIndex,
    accounts: &Accounts<LaggingIndex>,
    email: &str,
) -> (TokenPair, Bearer) {
    if store
        .inner
        .find_by_email(&crate::support::email(email))
        .await
        .ok()
        .flatten()
        .is_none()
    {
        given_account(&store.inner, email, true).await;
    }
    let pair = (accounts.sign_in(credentials(email, PASSWORD)).await)
        .expect("signed in")
        .complete()
        .expect("no second factor")
        .tokens;
    let bearer = accounts
        .authenticate_bearer(pair.access.reveal())
        .expect("a valid access token");
    (pair, bearer)
}

#[tokio::test]
async fn the_callers_session_missing_from_a_lagging_index_is_read_by_id_and_listed_as_current() {
    let store = LaggingIndex::default();
    let accounts = accounts(store.clone());
    let (_, older) = signed_in(&store, &accounts, "ada@example.com").await;
    let (_, newest) = signed_in(&store, &accounts, "ada@example.com").await;
    store.lag_behind(newest.session);

    let own = accounts.list_sessions(&newest).await.expect("listed");

    let mut listed: Vec<SessionId> = own.sessions.iter().map(Session::id).collect();
    listed.sort_by_key(ToString::to_string);
    let mut expected = vec![older.session, newest.session];
    expected.sort_by_key(ToString::to_string);
    assert_eq!(listed, expected);
    assert_eq!(own.current, newest.session);
    let seen_from_older = accounts.list_sessions(&older).await.expect("listed");
    assert_eq!(
        seen_from_older
            .sessions
            .iter()
            .map(Session::id)
            .collect::<Vec<_>>(),
        vec![older.session],
        "another session missing from the index is not looked for: the index is the list"
    );
}

#[tokio::test]
async fn a_revocation_names_the_callers_account_as_the_sessions_owner() {
    let store = LaggingIndex::default();
    let accounts = accounts(store.clone());
    let (_, caller) = signed_in(&store, &accounts, "ada@example.com").await;
    let (_, other) = signed_in(&store, &accounts, "ada@example.com").await;
    let before = store.committed().len();

    accounts
        .revoke_session(&caller, Some(other.session))
        .await
        .expect("revoked");

    let written = store.committed().split_off(before);
    assert!(
        matches!(written.as_slice(), [changes] if matches!(changes.as_slice(),
            [Change::RevokeSession { session, owner }]
                if *session == other.session && *owner == caller.id)),
        "{written:?}"
    );
}

#[tokio::test]
async fn another_accounts_session_a_missing_one_and_an_ended_one_of_ones_own_write_nothing() {
    let store = LaggingIndex::default();
    let accounts = accounts(store.clone());
    let (_, ada) = signed_in(&store, &accounts, "ada@example.com").await;
    let (_, ended) = signed_in(&store, &accounts, "ada@example.com").await;
    let (_, grace) = signed_in(&store, &accounts, "grace@example.com").await;
    accounts
        .revoke_session(&ada, Some(ended.session))
        .await
        .expect("revoked");
    let before = store.committed().len();

    let foreign = accounts.revoke_session(&ada, Some(grace.session)).await;
    let missing = accounts
        .revoke_session(&ada, Some(SessionId::generate()))
        .await;
    let unparsed = accounts.revoke_session(&ada, None).await;
    let again = accounts.revoke_session(&ada, Some(ended.session)).await;

    for (result, why) in [
        (&foreign, "foreign"),
        (&missing, "missing"),
        (&unparsed, "no id"),
    ] {
        assert_eq!(refusal(result), Some(Refusal::SessionNotFound), "{why}");
    }
    assert!(
        again.is_ok(),
        "an own session ended already: done: {again:?}"
    );
    assert_eq!(store.committed().len(), before, "nothing written");
    let hers = store
        .inner
        .find_session(grace.session)
        .await
        .expect("readable");
    assert!(hers.is_some_and(|session| !session.is_revoked()));
}
