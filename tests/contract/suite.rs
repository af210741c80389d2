//! What every `AccountStore` promises, as functions generic over the store.

pub use crate::admin::*;
pub use crate::attempts::*;
pub use crate::challenges::*;
pub use crate::codes::*;
pub use crate::events::*;
pub use crate::second_factor::*;
pub use crate::session_list::*;
pub use crate::sessions::*;

use user_service::domain::{Email, PasswordHash, PersonName, SealedSecret, User};
use user_service::service::{AccountStore, CommitError, Lockout, StoreError, UnitOfWork};

const CREATED_AT: u64 = 1_700_000_000;

/// Changes to buffer in a unit of work, for tables of cases.
pub(crate) type Buffer<'a, S> = Box<dyn FnOnce(&mut UnitOfWork<'_, S>) + 'a>;

pub(crate) fn email(raw: &str) -> Email {
    Email::parse(raw).expect("valid e-mail")
}

pub(crate) fn hash(salt: &str) -> PasswordHash {
    PasswordHash::parse(format!("$argon2id$v=19$m=64,t=1,p=1${salt}$aGFzaA")).expect("PHC")
}

/// A new account (never stored yet) under `address`.
pub(crate) fn user(address: &str) -> User {
    User::register(
        PersonName::parse("Ada").expect("valid"),
        PersonName::parse("Lovelace").expect("valid"),
        email(address),
        hash("c2FsdHNhbHQ"),
        CREATED_AT,
    )
}

pub(crate) async fn read<S: AccountStore>(store: &S, address: &str) -> Option<User> {
    store
        .find_by_email(&email(address))
        .await
        .expect("readable")
}

pub(crate) async fn stored<S: AccountStore>(store: &S, address: &str) -> User {
    read(store, address).await.expect("stored")
}

/// Stores a new account under `address` and returns it as read back.
pub(crate) async fn given<S: AccountStore>(store: &S, address: &str) -> User {
    let mut uow = UnitOfWork::begin(store);
    uow.create(user(address));
    uow.commit().await.expect("created");
    stored(store, address).await
}

/// An account under `address` as read before someone else wrote to it, and as stored since.
pub(crate) async fn made_stale<S: AccountStore>(store: &S, address: &str) -> (User, User) {
    let stale = given(store, address).await;
    let mut newer = stale.clone();
    newer.activate();
    commit(store, |uow| uow.save_status(&newer))
        .await
        .expect("a concurrent write");
    (stale, stored(store, address).await)
}

pub(crate) async fn commit<S: AccountStore>(
    store: &S,
    buffer: impl FnOnce(&mut UnitOfWork<'_, S>),
) -> Result<(), CommitError> {
    let mut uow = UnitOfWork::begin(store);
    buffer(&mut uow);
    uow.commit().await
}

pub async fn a_created_account_reads_back_exactly_as_it_was_created<S: AccountStore>(store: S) {
    let new = user("ada@example.com");
    commit(&store, |uow| uow.create(new.clone()))
        .await
        .expect("created");

    let read = stored(&store, "ada@example.com").await;

    assert_eq!(
        read, new,
        "every field, the version and the key it is stored under"
    );
    assert_eq!(read.version(), 1);
    assert_eq!(read.created_at(), CREATED_AT);
    assert!(!read.is_active());
}

pub async fn an_address_nobody_registered_reads_as_nothing<S: AccountStore>(store: S) {
    given(&store, "ada@example.com").await;
    assert_eq!(read(&store, "grace@example.com").await, None);
}

pub async fn a_taken_address_refuses_a_second_account_and_keeps_the_first<S: AccountStore>(
    store: S,
) {
    let first = given(&store, "ada@example.com").await;
    let mut impostor = user("ada@example.com");
    impostor.replace_password_hash(hash("aW1wb3N0b3I"));

    let result = commit(&store, |uow| uow.create(impostor)).await;

    assert!(matches!(result, Err(CommitError::EmailTaken)), "{result:?}");
    assert_eq!(stored(&store, "ada@example.com").await, first);
}

pub async fn of_concurrent_creates_with_one_address_exactly_one_wins<S>(store: S)
where
    S: AccountStore + Clone + 'static,
{
    let racers: Vec<_> = (0..12)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let racer = user("race@example.com");
                let id = racer.id();
                (id, commit(&store, |uow| uow.create(racer)).await)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for racer in racers {
        match racer.await.expect("finished") {
            (id, Ok(())) => winners.push(id),
            (_, Err(CommitError::EmailTaken | CommitError::Contended)) => {}
            (_, Err(other)) => panic!("a racer failed otherwise: {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    assert_eq!(stored(&store, "race@example.com").await.id(), winners[0]);
}

pub async fn set_status_writes_the_status_and_nothing_else<S: AccountStore>(store: S) {
    let before = given(&store, "ada@example.com").await;
    let mut changed = before.clone();
    changed.activate();
    // An unsaved change of another kind must not be written along with the status.
    changed.replace_password_hash(hash("bm90IHNhdmVk"));

    commit(&store, |uow| uow.save_status(&changed))
        .await
        .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert!(after.is_active());
    assert_eq!(after.version(), before.version() + 1);
    assert_eq!(after.password_hash(), before.password_hash(), "status only");
    assert_eq!(
        (after.id(), after.email(), after.name()),
        (before.id(), before.email(), before.name())
    );
    assert_eq!(after.created_at(), before.created_at());
}

pub async fn replace_hash_writes_the_hash_and_nothing_else<S: AccountStore>(store: S) {
    let before = given(&store, "ada@example.com").await;
    let mut changed = before.clone();
    changed.replace_password_hash(hash("bmV3IHNhbHQ"));
    changed.end_sessions();
    changed.activate(); // unsaved: a password change must not activate the account

    commit(&store, |uow| uow.save_password_hash(&changed))
        .await
        .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert_eq!(after.password_hash(), &hash("bmV3IHNhbHQ"));
    assert_eq!(
        after.session_epoch(),
        before.session_epoch() + 1,
        "and the session epoch"
    );
    assert!(!after.is_active(), "the hash only");
    assert_eq!(after.version(), before.version() + 1);
}

pub async fn move_email_moves_the_whole_account_and_frees_the_old_address<S: AccountStore>(
    store: S,
) {
    let mut before = given(&store, "ada@example.com").await;
    before.activate();
    commit(&store, |uow| uow.save_status(&before))
        .await
        .expect("activated");
    let before = stored(&store, "ada@example.com").await;
    let mut moving = before.clone();
    assert!(moving.change_email(email("countess@example.com")));

    commit(&store, |uow| uow.save_email(&moving))
        .await
        .expect("moved");

    assert_eq!(
        read(&store, "ada@example.com").await,
        None,
        "the old address is free"
    );
    let after = stored(&store, "countess@example.com").await;
    assert_eq!(after.id(), before.id());
    assert_eq!(after.password_hash(), before.password_hash());
    assert_eq!(
        (after.name(), after.surname()),
        (before.name(), before.surname())
    );
    assert!(after.is_active());
    assert_eq!(after.created_at(), before.created_at());
    assert_eq!(after.version(), before.version() + 1);
    assert_eq!(after.revision().key(), &email("countess@example.com"));
    let newcomer = given(&store, "ada@example.com").await;
    assert_ne!(
        newcomer.id(),
        before.id(),
        "the old address took a new account"
    );
    let mut again = after.clone();
    again.deactivate();
    commit(&store, |uow| uow.save_status(&again))
        .await
        .expect("the moved account is writable under its new address");
}

pub async fn move_email_to_a_taken_address_changes_neither_account<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let grace = given(&store, "grace@example.com").await;
    let mut moving = ada.clone();
    moving.change_email(email("grace@example.com"));

    let result = commit(&store, |uow| uow.save_email(&moving)).await;

    assert!(matches!(result, Err(CommitError::EmailTaken)), "{result:?}");
    assert_eq!(stored(&store, "ada@example.com").await, ada);
    assert_eq!(stored(&store, "grace@example.com").await, grace);
}

pub async fn delete_removes_the_account_and_frees_its_address<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let grace = given(&store, "grace@example.com").await;

    commit(&store, |uow| uow.delete(&ada))
        .await
        .expect("deleted");

    assert_eq!(read(&store, "ada@example.com").await, None);
    assert_eq!(
        stored(&store, "grace@example.com").await,
        grace,
        "others untouched"
    );
    let again = given(&store, "ada@example.com").await;
    assert_ne!(again.id(), ada.id());
    let repeated = commit(&store, |uow| uow.delete(&ada)).await;
    assert!(
        matches!(repeated, Err(CommitError::Conflict)),
        "a stale deletion never removes the new account: {repeated:?}"
    );
    assert_eq!(stored(&store, "ada@example.com").await, again);
}

pub async fn every_kind_of_change_conflicts_on_a_stale_version_and_writes_nothing<
    S: AccountStore,
>(
    store: S,
) {
    let (stale, current) = made_stale(&store, "ada@example.com").await;

    let mut moved = stale.clone();
    moved.change_email(email("countess@example.com"));
    let mut rehashed = stale.clone();
    rehashed.replace_password_hash(hash("c3RhbGU"));
    let mut enrolled = stale.clone();
    enrolled.begin_totp(SealedSecret::from_bytes(vec![7; 60]));
    let cases: [(&str, Buffer<'_, S>); 5] = [
        ("status", Box::new(|uow| uow.save_status(&stale))),
        ("hash", Box::new(|uow| uow.save_password_hash(&rehashed))),
        ("e-mail", Box::new(|uow| uow.save_email(&moved))),
        ("deletion", Box::new(|uow| uow.delete(&stale))),
        (
            "second factor",
            Box::new(|uow| uow.save_second_factor(&enrolled, Lockout::Keep)),
        ),
    ];
    for (kind, change) in cases {
        let result = commit(&store, change).await;
        assert!(
            matches!(result, Err(CommitError::Conflict)),
            "{kind}: {result:?}"
        );
        assert_eq!(stored(&store, "ada@example.com").await, current, "{kind}");
        assert_eq!(read(&store, "countess@example.com").await, None, "{kind}");
    }
}

pub async fn a_change_to_an_account_deleted_and_recreated_since_conflicts<S: AccountStore>(
    store: S,
) {
    let old = given(&store, "ada@example.com").await;
    commit(&store, |uow| uow.delete(&old))
        .await
        .expect("deleted");
    let new = given(&store, "ada@example.com").await;
    assert_eq!(
        new.version(),
        old.version(),
        "same address, same version: only the id differs"
    );
    let mut stale = old.clone();
    stale.activate();

    let result = commit(&store, |uow| uow.save_status(&stale)).await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(stored(&store, "ada@example.com").await, new);
}

pub async fn a_stale_read_outranks_a_taken_address<S: AccountStore>(store: S) {
    let (stale, _) = made_stale(&store, "ada@example.com").await;
    given(&store, "grace@example.com").await;
    let mut moving = stale;
    moving.change_email(email("grace@example.com"));

    let result = commit(&store, |uow| uow.save_email(&moving)).await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
}

pub async fn a_failed_change_set_writes_none_of_its_changes<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let (stale, grace) = made_stale(&store, "grace@example.com").await;
    let lin = given(&store, "lin@example.com").await;
    let mut activated = ada.clone();
    activated.activate();
    let mut moving = grace.clone();
    moving.change_email(email("lin@example.com"));

    let sets: [(&str, Buffer<'_, S>, &str); 3] = [
        (
            "a new account and a taken address",
            Box::new(|uow| {
                uow.create(user("fresh@example.com"));
                uow.create(user("ada@example.com"));
            }),
            "EmailTaken",
        ),
        (
            "a new account and a stale status",
            Box::new(|uow| {
                uow.create(user("fresh@example.com"));
                uow.save_status(&stale);
            }),
            "Conflict",
        ),
        (
            "a valid status change and a move to a taken address",
            Box::new(|uow| {
                uow.save_status(&activated);
                uow.save_email(&moving);
            }),
            "EmailTaken",
        ),
    ];
    for (why, set, expected) in sets {
        let result = commit(&store, set).await;
        let outcome = match &result {
            Err(CommitError::EmailTaken) => "EmailTaken",
            Err(CommitError::Conflict) => "Conflict",
            other => panic!("{why}: {other:?}"),
        };
        assert_eq!(outcome, expected, "{why}");
        assert_eq!(read(&store, "fresh@example.com").await, None, "{why}");
        assert_eq!(stored(&store, "ada@example.com").await, ada, "{why}");
        assert_eq!(stored(&store, "grace@example.com").await, grace, "{why}");
        assert_eq!(stored(&store, "lin@example.com").await, lin, "{why}");
    }
}

pub async fn a_change_set_may_write_an_account_only_once<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let mut changed = ada.clone();
    changed.activate();
    changed.replace_password_hash(hash("dHdpY2U"));

    let result = commit(&store, |uow| {
        uow.save_status(&changed);
        uow.save_password_hash(&changed);
    })
    .await;

    assert!(
        matches!(result, Err(CommitError::Store(StoreError::Unexpected(_)))),
        "{result:?}"
    );
    assert_eq!(stored(&store, "ada@example.com").await, ada);
}

pub async fn of_concurrent_changes_from_one_read_exactly_one_lands<S>(store: S)
where
    S: AccountStore + Clone + 'static,
{
    let read = given(&store, "ada@example.com").await;
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let (store, mut mine) = (store.clone(), read.clone());
            tokio::spawn(async move {
                mine.replace_password_hash(hash(&format!("d3JpdGVy{i}")));
                commit(&store, |uow| uow.save_password_hash(&mine)).await
            })
        })
        .collect();
    let mut landed = 0;
    for writer in writers {
        match writer.await.expect("finished") {
            Ok(()) => landed += 1,
            Err(CommitError::Conflict | CommitError::Contended) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(landed, 1);
    assert_eq!(
        stored(&store, "ada@example.com").await.version(),
        read.version() + 1
    );
}
