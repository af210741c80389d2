//! A commit is all or nothing, even when it carries several changes.

use user_service::domain::{Email, PasswordHash, PersonName, User};
use user_service::service::{AccountStore, CommitError, UnitOfWork};

use crate::common::dynamodb::Local;

fn user(email: &str) -> User {
    User::register(
        PersonName::parse("Ada").expect("valid"),
        PersonName::parse("Lovelace").expect("valid"),
        Email::parse(email).expect("valid"),
        PasswordHash::parse("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA".to_owned())
            .expect("valid"),
    )
}

#[tokio::test]
async fn a_change_set_with_one_taken_email_writes_none_of_its_accounts() {
    let local = Local::new().await;
    let store = local.store();
    let mut uow = UnitOfWork::begin(&store);
    uow.add(user("taken@example.com"));
    uow.commit().await.expect("first account stored");

    uow.add(user("fresh@example.com"));
    uow.add(user("taken@example.com"));
    let result = uow.commit().await;

    assert!(matches!(result, Err(CommitError::EmailTaken)), "{result:?}");
    let fresh = store
        .find_by_email(&Email::parse("fresh@example.com").expect("valid"))
        .await;
    assert!(
        fresh.expect("readable").is_none(),
        "the fresh account was not half-written"
    );
    assert_eq!(
        local.item_count().await,
        2,
        "only the first account's two items"
    );
}

#[tokio::test]
async fn a_change_set_with_a_stale_update_writes_nothing_at_all() {
    let local = Local::new().await;
    let store = local.store();
    let mut uow = UnitOfWork::begin(&store);
    let ada = user("ada@example.com");
    uow.add(ada.clone());
    uow.commit().await.expect("stored");
    let mut stale = ada.clone();
    stale.activate();
    uow.update(stale.clone());
    uow.commit().await.expect("the first update lands");

    uow.add(user("fresh@example.com"));
    uow.update(stale); // still at the version read before the first update
    let result = uow.commit().await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(
        local.item_count().await,
        2,
        "the new account was not written either"
    );
}

#[tokio::test]
async fn dropping_a_unit_of_work_without_commit_writes_nothing() {
    let local = Local::new().await;
    let store = local.store();
    {
        let mut uow = UnitOfWork::begin(&store);
        uow.add(user("ada@example.com"));
    }
    assert!(local.calls.take().is_empty(), "not a single call was made");
    assert_eq!(local.item_count().await, 0);
}
