//! How accounts are laid out in the table (docs/data-model.md describes the same).
//!
//! Every request addresses an account by e-mail, so the account lives on its **e-mail item**
//! (`pk = EMAIL#<address>`): sign-in is one `GetItem`, and a status change is one `UpdateItem`
//! on the same item. The **id item** (`pk = USER#<uuid>`) reserves the id and points back to
//! the e-mail; both are written in one transaction, each conditioned on not existing yet, which
//! is what keeps e-mail addresses unique. Sessions have items of their own
//! ([`session_item`](super::session_item)).

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::types::AttributeValue;

use super::fields::Fields;
use super::second_factor_item;

use crate::domain::{Email, Failures, PasswordHash, PersonName, StoredUser, User, UserId};
use crate::service::AtAddress;

/// What the table holds of an account, the `now` of the write aside.
type Account = StoredUser;

/// The table's only key attribute (a string partition key).
pub const PARTITION_KEY: &str = "pk";

pub(super) const EMAIL_PREFIX: &str = "EMAIL#";

/// The `kind` of an address's item that holds no account, only a count of password checks
/// against it (with `PREVENT_USER_EXISTENCE_ERRORS`): it expires by TTL once its run is over.
pub(super) const ATTEMPTS_KIND: &str = "attempts";
const USER_PREFIX: &str = "USER#";

/// Attribute names, shared by the item builders, the parser and the update expression.
pub(super) mod attr {
    pub(crate) const KIND: &str = "kind";
    pub(crate) const ID: &str = "id";
    pub(crate) const EMAIL: &str = "email";
    pub(crate) const NAME: &str = "name";
    pub(crate) const SURNAME: &str = "surname";
    pub(crate) const PASSWORD_HASH: &str = "password_hash";
    pub(crate) const ACTIVE: &str = "active";
    /// Absent on accounts stored before verification existed: those read as unverified.
    pub(crate) const EMAIL_VERIFIED: &str = "email_verified";
    /// Written only by an administrator's disabling or enabling: absent reads as enabled.
    pub(crate) const DISABLED: &str = "disabled";
    pub(crate) const VERSION: &str = "version";
    /// How many events the account has published (the sequence of its last).
    pub(crate) const EVENT_COUNT: &str = "event_count";
    pub(crate) const CREATED_AT: &str = "created_at";
    pub(crate) const UPDATED_AT: &str = "updated_at";
    pub(crate) const SESSION_EPOCH: &str = "session_epoch";
    /// Only on accounts with recent failures; written by increments, never with the account.
    pub(crate) const FAILED_ATTEMPTS: &str = "failed_attempts";
    pub(crate) const LAST_FAILURE_AT: &str = "last_failure_at";
    pub(crate) const USER_ID: &str = "user_id";
    /// A session's current token generation.
    pub(crate) const GENERATION: &str = "generation";
    /// What sessions stored before token generations held instead (a digest of the current
    /// token): such a session is no longer one; its owner signs in again.
    pub(crate) const LEGACY_TOKEN: &str = "current_token";
    pub(crate) const ROTATED_AT: &str = "rotated_at";
    /// The table's TTL attribute (`template.yaml` enables it): on sessions, attempts items and
    /// code records, never on an account.
    pub(crate) const EXPIRES_AT: &str = "expires_at";
    pub(crate) const REVOKED: &str = "revoked";
}

pub(super) type Item = HashMap<String, AttributeValue>;

/// The key of the item that holds the account registered under `email`.
pub(super) fn email_key(email: &Email) -> Item {
    key(email_pk(email))
}

/// The key of the id item of account `id`.
pub(super) fn id_key(id: UserId) -> Item {
    key(format!("{USER_PREFIX}{id}"))
}

fn email_pk(email: &Email) -> String {
    format!("{EMAIL_PREFIX}{}", email.as_ref())
}

pub(super) fn key(pk: String) -> Item {
    HashMap::from([(PARTITION_KEY.to_owned(), AttributeValue::S(pk))])
}

pub(super) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(super) fn n(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// The e-mail item of an account, holding everything about it, written at `now`.
pub(super) fn account_item(account: &Account, now: u64) -> Item {
    let mut item = email_key(&account.email);
    item.extend([
        (attr::KIND.to_owned(), s("account")),
        (attr::ID.to_owned(), s(account.id.to_string())),
        (attr::EMAIL.to_owned(), s(account.email.as_ref())),
        (attr::NAME.to_owned(), s(account.name.as_ref())),
        (attr::SURNAME.to_owned(), s(account.surname.as_ref())),
        (
            attr::PASSWORD_HASH.to_owned(),
            s(account.password_hash.expose()),
        ),
        (
            attr::ACTIVE.to_owned(),
            AttributeValue::Bool(account.active),
        ),
        (
            attr::EMAIL_VERIFIED.to_owned(),
            AttributeValue::Bool(account.email_verified),
        ),
        (
            attr::DISABLED.to_owned(),
            AttributeValue::Bool(account.disabled),
        ),
        (attr::VERSION.to_owned(), n(account.version)),
        (attr::EVENT_COUNT.to_owned(), n(account.event_count)),
        (attr::SESSION_EPOCH.to_owned(), n(account.session_epoch)),
        (attr::CREATED_AT.to_owned(), n(account.created_at)),
        (attr::UPDATED_AT.to_owned(), n(now)),
    ]);
    item.extend(second_factor_item::put_attributes(&account.second_factor));
    item
}

/// The id item of an account: the reservation of its id and a pointer to its e-mail item.
pub(super) fn id_item(account: &Account) -> Item {
    let mut item = id_key(account.id);
    item.extend([
        (attr::KIND.to_owned(), s("user_id")),
        (attr::EMAIL.to_owned(), s(account.email.as_ref())),
        (attr::CREATED_AT.to_owned(), n(account.created_at)),
    ]);
    item
}

/// What the e-mail item `found` holds (none: nobody, never tried).
pub(super) fn parse_address(found: Option<&Item>) -> anyhow::Result<AtAddress> {
    let Some(item) = found else {
        return Ok(AtAddress::Nobody(Failures::default()));
    };
    if Fields(item).text(attr::KIND)? != ATTEMPTS_KIND {
        return parse_account(item).map(AtAddress::Account);
    }
    Ok(AtAddress::Nobody(failures(&Fields(item))?))
}

/// The password checks counted on an item (none on items from before they were counted).
fn failures(fields: &Fields<'_>) -> anyhow::Result<Failures> {
    Ok(Failures {
        count: u32::try_from(fields.number_or(attr::FAILED_ATTEMPTS, 0)?)
            .context("attribute `failed_attempts`")?,
        last_at: fields.number_or(attr::LAST_FAILURE_AT, 0)?,
    })
}

/// Rebuilds an account from its e-mail item; a malformed item is an error, never a default.
///
/// Text is taken as stored, not re-parsed: the rules for new input may tighten (they did, for
/// Unicode), and an account stored under older rules must stay readable and writable under
/// the key it has (`pk`), which is what the rebuilt account's revision records.
pub(super) fn parse_account(item: &Item) -> anyhow::Result<User> {
    let fields = Fields(item);
    let stored_key = fields
        .text(PARTITION_KEY)?
        .strip_prefix(EMAIL_PREFIX)
        .ok_or_else(|| anyhow!("attribute `{PARTITION_KEY}` is not an e-mail key"))?;
    let email = fields.text(attr::EMAIL)?;
    if email != stored_key {
        return Err(anyhow!(
            "attribute `{}` differs from the item's key",
            attr::EMAIL
        ));
    }
    Ok(User::restore(StoredUser {
        id: UserId::parse(fields.text(attr::ID)?).context("attribute `id`")?,
        name: PersonName::from_stored(fields.text(attr::NAME)?),
        surname: PersonName::from_stored(fields.text(attr::SURNAME)?),
        email: Email::from_stored(email),
        password_hash: PasswordHash::parse(fields.text(attr::PASSWORD_HASH)?.to_owned())
            .context("attribute `password_hash`")?,
        active: fields.boolean(attr::ACTIVE)?,
        created_at: fields.number(attr::CREATED_AT)?,
        version: fields.number(attr::VERSION)?,
        // Accounts stored before sessions existed are in their first epoch.
        session_epoch: fields.number_or(attr::SESSION_EPOCH, 0)?,
        failures: failures(&fields)?,
        // Nobody proved an address before codes existed: such an account verifies once.
        email_verified: fields.boolean_or(attr::EMAIL_VERIFIED, false)?,
        second_factor: second_factor_item::parse_second_factor(item)?,
        // Accounts stored before administrators could disable one are enabled.
        disabled: fields.boolean_or(attr::DISABLED, false)?,
        // Accounts stored before events existed have published none.
        event_count: fields.number_or(attr::EVENT_COUNT, 0)?,
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
            parse_account(&account_item(user.stored(), 1_700_000_000)).ok(),
            Some(user)
        );
    }

    #[test]
    fn an_account_stored_before_sessions_existed_is_in_its_first_epoch() {
        let mut item = account_item(ada().stored(), 0);
        item.remove(attr::SESSION_EPOCH);
        assert_eq!(
            parse_account(&item).map(|u| u.session_epoch()).ok(),
            Some(0)
        );
    }

    #[test]
    fn an_account_stored_before_verification_existed_reads_as_unverified() {
        let mut user = ada();
        user.verify_email();
        let mut item = account_item(user.stored(), 0);
        assert_eq!(
            parse_account(&item).map(|u| u.is_email_verified()).ok(),
            Some(true)
        );
        item.remove(attr::EMAIL_VERIFIED);
        assert_eq!(
            parse_account(&item).map(|u| u.is_email_verified()).ok(),
            Some(false)
        );
    }

    #[test]
    fn the_two_items_of_an_account_have_distinct_keys() {
        let user = ada();
        let pk = |item: &Item| item.get(PARTITION_KEY).cloned();
        assert_eq!(
            pk(&account_item(user.stored(), 0)),
            Some(s("EMAIL#ada@example.com"))
        );
        assert_eq!(
            pk(&id_item(user.stored())),
            Some(s(format!("USER#{}", user.id())))
        );
    }

    #[test]
    fn an_account_stored_under_older_rules_keeps_its_key_and_text() {
        let mut item = account_item(ada().stored(), 0);
        let legacy = "jose\u{301}@example.com"; // not NFC: stored before normalisation
        item.insert(PARTITION_KEY.to_owned(), s(format!("EMAIL#{legacy}")));
        item.insert(attr::EMAIL.to_owned(), s(legacy));
        item.insert(attr::NAME.to_owned(), s("Jose\u{301}"));

        let user = parse_account(&item).expect("readable");

        assert_eq!(
            user.revision().key().as_ref(),
            legacy,
            "written back under its own key"
        );
        assert_eq!(user.name().as_ref(), "Jose\u{301}");
    }

    #[test]
    fn a_malformed_item_is_an_error_naming_the_attribute() {
        let item = account_item(ada().stored(), 0);
        let cases = [
            (attr::ACTIVE, Some(s("yes"))),
            (attr::VERSION, Some(s("1"))),
            (attr::VERSION, Some(AttributeValue::N("-1".into()))),
            (attr::PASSWORD_HASH, None),
            (attr::ID, Some(s("not-a-uuid"))),
            (attr::EMAIL, Some(s("eve@example.com"))),
            (attr::CREATED_AT, None),
            (attr::SESSION_EPOCH, Some(s("0"))),
            (PARTITION_KEY, Some(s("USER#ada@example.com"))),
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
