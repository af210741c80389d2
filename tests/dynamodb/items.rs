//! The stored layout is what the README documents, and secrets are stored only as a hash.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::common::PASSWORD;
use crate::common::dynamodb::Local;

#[tokio::test]
async fn an_account_is_an_email_item_plus_an_id_item() {
    let local = Local::new().await;
    let created = local.app().given_user("ada@example.com").await;
    let id = created["id"].as_str().expect("id");
    let get = |pk: String| {
        let (client, table) = (local.client.clone(), local.table.clone());
        async move {
            client
                .get_item()
                .table_name(table)
                .key("pk", AttributeValue::S(pk))
                .consistent_read(true)
                .send()
                .await
                .expect("readable")
                .item
                .expect("present")
        }
    };

    let account = get("EMAIL#ada@example.com".to_owned()).await;
    let mut names: Vec<&str> = account.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "active",
            "created_at",
            "email",
            "id",
            "kind",
            "name",
            "password_hash",
            "pk",
            "surname",
            "updated_at",
            "version"
        ]
    );
    assert_eq!(account["kind"], AttributeValue::S("account".into()));
    assert_eq!(account["id"], AttributeValue::S(id.into()));
    assert_eq!(account["active"], AttributeValue::Bool(false));
    assert_eq!(account["version"], AttributeValue::N("1".into()));
    let hash = account["password_hash"].as_s().expect("a string");
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains(PASSWORD));

    let id_item = get(format!("USER#{id}")).await;
    assert_eq!(id_item["kind"], AttributeValue::S("user_id".into()));
    assert_eq!(
        id_item["email"],
        AttributeValue::S("ada@example.com".into())
    );
    assert!(
        !id_item.contains_key("password_hash"),
        "the hash is stored once"
    );
}
