//! How accounts are laid out in the table (the README's "Data model" describes the same).
//!
//! Every request addresses an account by e-mail, so the account lives on its **e-mail item**
//! (`pk = EMAIL#<address>`): sign-in is one `GetItem`, and a status change is one `UpdateItem`
//! on the same item. The **id item** (`pk = USER#<uuid>`) reserves the id and points back to
//! the e-mail; both are written in one transaction, each conditioned on not existing yet, which
//! is what keeps e-mail addresses unique.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::types::AttributeValue;

use crate::domain::{Email, PasswordHash, PersonName, StoredUser, User, UserId};

/// The table's only key attribute (a string partition key).
pub const PARTITION_KEY: &str = "pk";

const EMAIL_PREFIX: &str = "EMAIL#";
const USER_PREFIX: &str = "USER#";

/// Attribute names, shared by the item builders, the parser and the update expression.
pub(super) mod attr {
    pub const KIND: &str = "kind";
    pub const ID: &str = "id";
    pub const EMAIL: &str = "email";
    pub const NAME: &str = "name";
    pub const SURNAME: &str = "surname";
    pub const PASSWORD_HASH: &str = "password_hash";
    pub const ACTIVE: &str = "active";
    pub const VERSION: &str = "version";
    pub const CREATED_AT: &str = "created_at";
    pub const UPDATED_AT: &str = "updated_at";
}

pub(super) type Item = HashMap<String, AttributeValue>;

/// The key of the item that holds the account registered under `email`.
pub(super) fn email_key(email: &Email) -> Item {
    key(format!("{EMAIL_PREFIX}{}", email.as_ref()))
}

fn key(pk: String) -> Item {
    HashMap::from([(PARTITION_KEY.to_owned(), AttributeValue::S(pk))])
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(super) fn n(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// The e-mail item of a new account, holding everything about it.
pub(super) fn account_item(user: &User, now: u64) -> Item {
    let mut item = email_key(user.email());
    item.extend([
        (attr::KIND.to_owned(), s("account")),
        (attr::ID.to_owned(), s(user.id().to_string())),
        (attr::EMAIL.to_owned(), s(user.email().as_ref())),
        (attr::NAME.to_owned(), s(user.name().as_ref())),
        (attr::SURNAME.to_owned(), s(user.surname().as_ref())),
        (
            attr::PASSWORD_HASH.to_owned(),
            s(user.password_hash().expose()),
        ),
        (
            attr::ACTIVE.to_owned(),
            AttributeValue::Bool(user.is_active()),
        ),
        (attr::VERSION.to_owned(), n(user.version())),
        (attr::CREATED_AT.to_owned(), n(now)),
        (attr::UPDATED_AT.to_owned(), n(now)),
    ]);
    item
}

/// The id item of a new account: the reservation of its id and a pointer to its e-mail item.
pub(super) fn id_item(user: &User, now: u64) -> Item {
    let mut item = key(format!("{USER_PREFIX}{}", user.id()));
    item.extend([
        (attr::KIND.to_owned(), s("user_id")),
        (attr::EMAIL.to_owned(), s(user.email().as_ref())),
        (attr::CREATED_AT.to_owned(), n(now)),
    ]);
    item
}

/// Rebuilds a [`User`] from its e-mail item; a malformed item is an error, never a default.
pub(super) fn parse_account(item: &Item) -> anyhow::Result<User> {
    let text = |name: &str| -> anyhow::Result<&str> {
        match item.get(name) {
            Some(AttributeValue::S(value)) => Ok(value),
            _ => Err(anyhow!("attribute `{name}` is missing or not a string")),
        }
    };
    let active = match item.get(attr::ACTIVE) {
        Some(AttributeValue::Bool(active)) => *active,
        _ => {
            return Err(anyhow!(
                "attribute `{}` is missing or not a boolean",
                attr::ACTIVE
            ));
        }
    };
    let version = match item.get(attr::VERSION) {
        Some(AttributeValue::N(number)) => number.parse().context("attribute `version`")?,
        _ => {
            return Err(anyhow!(
                "attribute `{}` is missing or not a number",
                attr::VERSION
            ));
        }
    };
    Ok(User::restore(StoredUser {
        id: UserId::parse(text(attr::ID)?).context("attribute `id`")?,
        name: PersonName::parse(text(attr::NAME)?).context("attribute `name`")?,
        surname: PersonName::parse(text(attr::SURNAME)?).context("attribute `surname`")?,
        email: Email::parse(text(attr::EMAIL)?).context("attribute `email`")?,
        password_hash: PasswordHash::parse(text(attr::PASSWORD_HASH)?.to_owned())
            .context("attribute `password_hash`")?,
        active,
        version,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::ada;

    #[test]
    fn an_account_survives_its_item() {
        let user = ada();
        assert_eq!(
            parse_account(&account_item(&user, 1_700_000_000)).ok(),
            Some(user)
        );
    }

    #[test]
    fn the_two_items_of_an_account_have_distinct_keys() {
        let user = ada();
        let pk = |item: &Item| item.get(PARTITION_KEY).cloned();
        assert_eq!(
            pk(&account_item(&user, 0)),
            Some(s("EMAIL#ada@example.com"))
        );
        assert_eq!(
            pk(&id_item(&user, 0)),
            Some(s(format!("USER#{}", user.id())))
        );
    }

    #[test]
    fn a_malformed_item_is_an_error_naming_the_attribute() {
        let item = account_item(&ada(), 0);
        let cases = [
            (attr::ACTIVE, Some(s("yes"))),
            (attr::VERSION, Some(s("1"))),
            (attr::VERSION, Some(AttributeValue::N("-1".into()))),
            (attr::PASSWORD_HASH, None),
            (attr::ID, Some(s("not-a-uuid"))),
            (attr::EMAIL, Some(s("nobody"))),
        ];
        for (name, value) in cases {
            let mut broken = item.clone();
            match value {
                Some(value) => broken.insert(name.to_owned(), value),
                None => broken.remove(name),
            };
            let error = parse_account(&broken).expect_err(name);
            assert!(format!("{error:#}").contains(name), "{name}: {error:#}");
        }
    }
}
