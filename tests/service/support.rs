//! Commands, credentials and a store that loses races on purpose.

use std::sync::atomic::{AtomicUsize, Ordering};

use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{Email, NewEmail, Password, PasswordPolicy, PersonName, User};
use user_service::service::{
    AccountStore, Accounts, Change, CommitError, CreateUser, Credentials, Refusal, ServiceError,
    UnitOfWork,
};

use user_service::adapters::in_memory::Mailbox;

use crate::common::{
    KEY_A, PASSWORD, TestClock, accounts_mailing, accounts_with, hasher, signing_document,
};

/// The use cases over `store`, with the test hasher, one signing key and a clock that starts
/// at the real time.
pub fn accounts<S: AccountStore>(store: S) -> Accounts<S> {
    accounts_at(store, &TestClock::default())
}

/// The same, at the time `clock` says.
pub fn accounts_at<S: AccountStore>(store: S, clock: &TestClock) -> Accounts<S> {
    accounts_with(store, hasher(), &signing_document(KEY_A, None, None), clock)
}

/// The use cases over `store` with what a test of mails needs at hand: the mailbox they
/// mail into and the clock they read.
pub struct Mailing<S> {
    pub accounts: Accounts<S>,
    pub mailbox: Mailbox,
    pub clock: TestClock,
}

pub fn mailing<S: AccountStore>(store: S) -> Mailing<S> {
    let (mailbox, clock) = (Mailbox::new(), TestClock::default());
    let document = signing_document(KEY_A, None, None);
    let accounts = accounts_mailing(store, hasher(), &document, &clock, &mailbox);
    Mailing {
        accounts,
        mailbox,
        clock,
    }
}

/// The refusal `result` ended with, if it is one.
pub fn refusal<T>(result: &Result<T, ServiceError>) -> Option<Refusal> {
    match result {
        Err(ServiceError::Refused(refusal)) => Some(*refusal),
        _ => None,
    }
}

/// Whether `result` says the store (or the time) was unavailable.
pub fn unavailable<T>(result: &Result<T, ServiceError>) -> bool {
    matches!(result, Err(ServiceError::Unavailable(_)))
}

/// Whether `result` is a failure the client must not be told about.
pub fn unexpected<T>(result: &Result<T, ServiceError>) -> bool {
    matches!(result, Err(ServiceError::Unexpected(_)))
}

/// The writes of a password check that succeeds: counted before Argon2 runs, cleared after.
pub const CHECK: usize = 2;

pub fn email(raw: &str) -> Email {
    Email::parse(raw).expect("valid e-mail")
}

pub fn command(raw_email: &str) -> CreateUser {
    CreateUser {
        name: PersonName::parse("Ada").expect("valid"),
        surname: PersonName::parse("Lovelace").expect("valid"),
        email: NewEmail::parse(raw_email).expect("a valid new address"),
        password: PasswordPolicy::default()
            .parse(PASSWORD.to_owned())
            .expect("valid password"),
    }
}

pub fn credentials(raw_email: &str, password: &str) -> Credentials {
    Credentials {
        email: email(raw_email),
        password: Password::parse(password.to_owned()).expect("valid password"),
        second_factor: None,
    }
}

/// The stored account for `raw_email`.
pub async fn stored(store: &InMemoryStore, raw_email: &str) -> User {
    store
        .find_by_email(&email(raw_email))
        .await
        .expect("readable")
        .expect("stored")
}

/// Registers an account directly and returns it, active or not.
pub async fn given_account(store: &InMemoryStore, raw_email: &str, active: bool) -> User {
    let accounts = accounts(store.clone());
    accounts
        .create_user(command(raw_email))
        .await
        .expect("created");
    if active {
        accounts
            .activate(credentials(raw_email, PASSWORD))
            .await
            .expect("activated");
    }
    stored(store, raw_email).await
}

/// Wraps a store so that, before each of its first `races` commits, another writer changes the
/// account `flips` times (toggling its status each time): the commit then carries a stale
/// version, exactly as when requests interleave.
pub struct RacingStore {
    pub inner: InMemoryStore,
    races: AtomicUsize,
    flips: usize,
}

impl RacingStore {
    pub fn new(inner: InMemoryStore, races: usize, flips: usize) -> Self {
        Self {
            inner,
            races: AtomicUsize::new(races),
            flips,
        }
    }
}

impl AccountStore for RacingStore {
    crate::common::delegate::delegate!(inner; find_at, find_codes, find_challenge, find_session, sessions_of, find_by_id, accounts, events_of, find_sessions_of);

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        let race = self
            .races
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        if race.is_ok() {
            for change in &changes {
                if let Change::SetStatus { account, .. } | Change::Require { account } = change {
                    for _ in 0..self.flips {
                        let mut uow = UnitOfWork::begin(&self.inner);
                        let mut other = uow.user_by_email(account.key()).await?.expect("stored");
                        if !other.activate() {
                            other.deactivate();
                        }
                        uow.save_status(&other);
                        uow.commit().await?;
                    }
                }
            }
        }
        self.inner.commit(changes).await
    }
}

/// Runs `use_case` (activation or deactivation) with an unknown e-mail and with a wrong
/// password against an account that is `active`, and checks that both are refused and that
/// nothing was written.
pub async fn assert_refusals_change_nothing(
    active: bool,
    use_case: impl AsyncFn(&Accounts<InMemoryStore>, Credentials) -> Result<User, ServiceError>,
) {
    let store = InMemoryStore::new();
    given_account(&store, "ada@example.com", active).await;
    let accounts = accounts(store.clone());
    let commits = store.commits();

    let unknown = use_case(&accounts, credentials("nobody@example.com", PASSWORD)).await;
    let wrong = use_case(
        &accounts,
        credentials("ada@example.com", "not the password"),
    )
    .await;

    assert_eq!(
        refusal(&unknown),
        Some(Refusal::UnknownEmail),
        "{unknown:?}"
    );
    assert_eq!(refusal(&wrong), Some(Refusal::WrongPassword), "{wrong:?}");
    assert_eq!(stored(&store, "ada@example.com").await.is_active(), active);
    assert_eq!(
        store.commits(),
        commits + 1,
        "only the failed check is counted"
    );
}

/// Wraps a store so that every read of codes lets other tasks run before it answers: a burst
/// of requests then really reads one version before any of them writes, as concurrent Lambda
/// instances would.
#[derive(Clone)]
pub struct Interleaving(pub InMemoryStore);

impl AccountStore for Interleaving {
    crate::common::delegate::delegate!(0; find_at, find_codes, find_challenge, find_session, sessions_of, find_by_id, accounts, events_of, find_sessions_of);

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        self.0.commit(changes).await
    }
}

/// A code of the same length as `code` that is not `code`.
pub fn other_than(code: &str) -> String {
    let last = code.bytes().last().map_or(0, |b| b - b'0');
    format!("{}{}", &code[..code.len() - 1], (last + 1) % 10)
}
