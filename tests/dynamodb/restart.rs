//! Accounts outlive the process that created them.

use user_service::domain::PasswordPolicy;
use user_service::http::App;
use user_service::service::{HashCost, PasswordHasher, Pepper};

use crate::common::dynamodb::{Calls, Local, client_with};
use crate::common::{PASSWORD, create_active_user, credentials, post};

#[tokio::test]
async fn an_account_created_by_one_instance_signs_in_through_a_new_one() {
    let local = Local::new().await;
    create_active_user(&local.app(), "ada@example.com").await;

    // A cold start: new SDK client, new hasher, same table and pepper.
    let client = client_with(&Calls::default()).await;
    let store = user_service::adapters::dynamodb::DynamoDbStore::new(client, local.table.as_str());
    let restarted = crate::common::app(store);
    let reply = post(
        &restarted,
        "/user/signin/",
        &credentials("ada@example.com", PASSWORD),
    )
    .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["active"], true);
}

#[tokio::test]
async fn an_instance_with_another_pepper_cannot_verify_the_password() {
    let local = Local::new().await;
    create_active_user(&local.app(), "ada@example.com").await;

    let pepper = Pepper::new("a-different-pepper-of-32-bytes-or-more").expect("long enough");
    let hasher = PasswordHasher::new(pepper, HashCost::new(64, 1, 1).expect("valid"));
    let other = App::new(local.store(), hasher, PasswordPolicy::default());
    let reply = post(
        &other,
        "/user/signin/",
        &credentials("ada@example.com", PASSWORD),
    )
    .await;

    assert_eq!(
        reply.status, 401,
        "the pepper is part of the credential check"
    );
}
