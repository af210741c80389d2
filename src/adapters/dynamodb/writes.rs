//! Each [`Change`] as the DynamoDB writes that do exactly what it names, with the role each
//! write plays so that a cancelled transaction can be explained.
//!
//! | change | writes |
//! |---|---|
//! | `Create` | `Put` e-mail item, `Put` id item, each `attribute_not_exists(pk)` |
//! | `SetStatus` | `Update` e-mail item: `active`, `session_epoch`, `version`, `updated_at` |
//! | `ReplaceHash` | `Update` e-mail item: `password_hash`, `session_epoch`, `version`, `updated_at` |
//! | `MoveEmail` | `Delete` old e-mail item, `Put` new one (`attribute_not_exists(pk)`, with the new `session_epoch`), `Update` id item's `email` |
//! | `Delete` | `Delete` e-mail item, `Delete` id item |
//! | `Require` | `ConditionCheck` e-mail item |
//! | `EndSessions` | `Update` e-mail item: `ADD session_epoch 1, version 1` if the `id` matches |
//! | `StartSession` | `Put` session item, `attribute_not_exists(pk)` |
//! | `RotateSession` | `Update` session item: tokens, `rotated_at`, `expires_at`, if `current_token` is the one presented and `revoked` is false |
//! | `RevokeSession` | `Update` session item: `revoked`, if it exists |
//! | `DeleteSession` | `Delete` session item |
//!
//! Every other write to an existing e-mail item is conditioned on the `id` and `version` read.

use std::collections::HashMap;

use anyhow::Context;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};

use super::errors::Role;
use super::item::{self, Item, attr, n, s};
use super::session_item;
use crate::domain::{Email, MAX_LOCK_SECONDS, Revision, Session, SessionId, TokenDigest, UserId};

/// Builds the writes of one commit for one table at one instant.
pub(super) struct Writes<'a> {
    pub table: &'a str,
    pub now: u64,
}

const VERSION_CONDITION: &str = "#version = :read AND #id = :id";

/// The attribute names and values [`VERSION_CONDITION`] needs for the account read as
/// `account`: every write to an existing account item starts from these.
fn version_condition(account: &Revision) -> (HashMap<String, String>, Item) {
    let names = HashMap::from([
        ("#version".to_owned(), attr::VERSION.to_owned()),
        ("#id".to_owned(), attr::ID.to_owned()),
    ]);
    let values = HashMap::from([
        (":read".to_owned(), n(account.version())),
        (":id".to_owned(), s(account.id().to_string())),
    ]);
    (names, values)
}

impl Writes<'_> {
    /// The new account's two items, each only if its key is free.
    pub fn create(
        &self,
        account_item: Item,
        id_item: Item,
    ) -> anyhow::Result<[(TransactWriteItem, Role); 2]> {
        Ok([
            (self.put_new(account_item)?, Role::NewEmail),
            (self.put_new(id_item)?, Role::NewUserId),
        ])
    }

    /// `SET name = value` for each of `set` on the account read as `account`, moving its
    /// version on.
    pub fn update(
        &self,
        account: &Revision,
        set: &[(&str, AttributeValue)],
    ) -> anyhow::Result<Update> {
        let mut expression = String::from("SET #version = :next, #updated_at = :now");
        let (names, values) = version_condition(account);
        let mut update = Update::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(account.key())))
            .condition_expression(VERSION_CONDITION)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .expression_attribute_names("#updated_at", attr::UPDATED_AT)
            .expression_attribute_values(":next", n(account.version() + 1))
            .expression_attribute_values(":now", n(self.now));
        for (i, (name, value)) in set.iter().enumerate() {
            expression.push_str(&format!(", #f{i} = :f{i}"));
            update = update
                .expression_attribute_names(format!("#f{i}"), *name)
                .expression_attribute_values(format!(":f{i}"), value.clone());
        }
        update
            .update_expression(expression)
            .build()
            .context("building an account update")
    }

    /// Moves the account item `stored` (as read, at `account`'s version) to `to`.
    pub fn move_email(
        &self,
        account: &Revision,
        stored: Item,
        to: &Email,
        session_epoch: u64,
    ) -> anyhow::Result<[(TransactWriteItem, Role); 3]> {
        let mut moved = stored;
        moved.extend(item::email_key(to));
        moved.insert(attr::EMAIL.to_owned(), s(to.as_ref()));
        moved.insert(attr::SESSION_EPOCH.to_owned(), n(session_epoch));
        moved.insert(attr::VERSION.to_owned(), n(account.version() + 1));
        moved.insert(attr::UPDATED_AT.to_owned(), n(self.now));
        let pointer = Update::builder()
            .table_name(self.table)
            .set_key(Some(item::id_key(account.id())))
            .update_expression("SET #email = :to")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#email", attr::EMAIL)
            .expression_attribute_names("#pk", item::PARTITION_KEY)
            .expression_attribute_values(":to", s(to.as_ref()))
            .build()
            .context("building the id item's update")?;
        Ok([
            (self.delete_read(account)?, Role::Versioned),
            (self.put_new(moved)?, Role::NewEmail),
            (
                TransactWriteItem::builder().update(pointer).build(),
                Role::Versioned,
            ),
        ])
    }

    /// Removes the account read as `account` and its id item.
    pub fn delete(&self, account: &Revision) -> anyhow::Result<[(TransactWriteItem, Role); 2]> {
        let id_item = Delete::builder()
            .table_name(self.table)
            .set_key(Some(item::id_key(account.id())))
            .build()
            .context("building the id item's deletion")?;
        Ok([
            (self.delete_read(account)?, Role::Versioned),
            (
                TransactWriteItem::builder().delete(id_item).build(),
                Role::Plain,
            ),
        ])
    }

    /// Checks, without writing, that the account is still as read.
    pub fn require(&self, account: &Revision) -> anyhow::Result<(TransactWriteItem, Role)> {
        let (names, values) = version_condition(account);
        let check = ConditionCheck::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(account.key())))
            .condition_expression(VERSION_CONDITION)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .context("building an account check")?;
        Ok((
            TransactWriteItem::builder().condition_check(check).build(),
            Role::Versioned,
        ))
    }

    /// Moves the session epoch (and the version) of account `id` under `key` on by one. An
    /// increment needs no version condition: it commutes with every other write.
    pub fn end_sessions(
        &self,
        key: &Email,
        id: UserId,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let update = Update::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(key)))
            .update_expression("SET #updated_at = :now ADD #epoch :one, #version :one")
            .condition_expression("#id = :id")
            .expression_attribute_names("#updated_at", attr::UPDATED_AT)
            .expression_attribute_names("#epoch", attr::SESSION_EPOCH)
            .expression_attribute_names("#version", attr::VERSION)
            .expression_attribute_names("#id", attr::ID)
            .expression_attribute_values(":now", n(self.now))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":id", s(id.to_string()))
            .build()
            .context("building the end of an account's sessions")?;
        Ok((
            TransactWriteItem::builder().update(update).build(),
            Role::Versioned,
        ))
    }

    /// One more failed password check of account `id` under `key` at `at`: the first of a new
    /// run (`SET` to 1) if the last is older than the reset window or absent, else an atomic
    /// `ADD`. Neither touches the version: failures are not account data.
    pub fn record_failure(
        &self,
        key: &Email,
        id: UserId,
        at: u64,
        restart: bool,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let (expression, condition) = if restart {
            (
                "SET #count = :one, #last = :at",
                "#id = :id AND (attribute_not_exists(#last) OR #last <= :cutoff)",
            )
        } else {
            (
                "SET #last = :at ADD #count :one",
                "#id = :id AND #last > :cutoff",
            )
        };
        let update = Update::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(key)))
            .update_expression(expression)
            .condition_expression(condition)
            .expression_attribute_names("#count", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#last", attr::LAST_FAILURE_AT)
            .expression_attribute_names("#id", attr::ID)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":at", n(at))
            .expression_attribute_values(":cutoff", n(at.saturating_sub(MAX_LOCK_SECONDS)))
            .expression_attribute_values(":id", s(id.to_string()))
            .build()
            .context("building a failure count")?;
        Ok((
            TransactWriteItem::builder().update(update).build(),
            Role::Versioned,
        ))
    }

    /// Clears the failed password checks of account `id` under `key`.
    pub fn clear_failures(
        &self,
        key: &Email,
        id: UserId,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let update = Update::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(key)))
            .update_expression("REMOVE #count, #last")
            .condition_expression("#id = :id")
            .expression_attribute_names("#count", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#last", attr::LAST_FAILURE_AT)
            .expression_attribute_names("#id", attr::ID)
            .expression_attribute_values(":id", s(id.to_string()))
            .build()
            .context("building a failure reset")?;
        Ok((
            TransactWriteItem::builder().update(update).build(),
            Role::Versioned,
        ))
    }

    /// A new session's item; its id is fresh, so a taken key is a bug.
    pub fn start_session(&self, session: &Session) -> anyhow::Result<(TransactWriteItem, Role)> {
        Ok((
            self.put_new(session_item::session_item(session))?,
            Role::NewUserId,
        ))
    }

    /// The rotated state of `session`, if its stored current token is still `from`.
    pub fn rotate_session(
        &self,
        session: &Session,
        from: TokenDigest,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let mut set = String::from(
            "SET #current = :current, #rotated_at = :rotated_at, #expires_at = :expires_at",
        );
        let mut update = Update::builder()
            .table_name(self.table)
            .set_key(Some(session_item::session_key(session.id)))
            .condition_expression("#current = :from AND #revoked = :false")
            .expression_attribute_names("#current", attr::CURRENT_TOKEN)
            .expression_attribute_names("#rotated_at", attr::ROTATED_AT)
            .expression_attribute_names("#expires_at", attr::EXPIRES_AT)
            .expression_attribute_names("#revoked", attr::REVOKED)
            .expression_attribute_values(":current", s(session.current.to_string()))
            .expression_attribute_values(":rotated_at", n(session.rotated_at))
            .expression_attribute_values(":expires_at", n(session.expires_at))
            .expression_attribute_values(":from", s(from.to_string()))
            .expression_attribute_values(":false", AttributeValue::Bool(false));
        if let Some(previous) = session.previous {
            set.push_str(", #previous = :previous");
            update = update
                .expression_attribute_names("#previous", attr::PREVIOUS_TOKEN)
                .expression_attribute_values(":previous", s(previous.to_string()));
        }
        let update = update
            .update_expression(set)
            .build()
            .context("building a session rotation")?;
        Ok((
            TransactWriteItem::builder().update(update).build(),
            Role::Versioned,
        ))
    }

    /// Removes session `id`'s item, whether or not it exists.
    pub fn delete_session(&self, id: SessionId) -> anyhow::Result<(TransactWriteItem, Role)> {
        let delete = Delete::builder()
            .table_name(self.table)
            .set_key(Some(session_item::session_key(id)))
            .build()
            .context("building a session deletion")?;
        Ok((
            TransactWriteItem::builder().delete(delete).build(),
            Role::Plain,
        ))
    }

    /// Marks session `id` revoked, if it exists (an update would otherwise create it).
    pub fn revoke_session(&self, id: SessionId) -> anyhow::Result<(TransactWriteItem, Role)> {
        let update = Update::builder()
            .table_name(self.table)
            .set_key(Some(session_item::session_key(id)))
            .update_expression("SET #revoked = :true")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#revoked", attr::REVOKED)
            .expression_attribute_names("#pk", item::PARTITION_KEY)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .build()
            .context("building a session revocation")?;
        Ok((
            TransactWriteItem::builder().update(update).build(),
            Role::Versioned,
        ))
    }

    fn put_new(&self, item: Item) -> anyhow::Result<TransactWriteItem> {
        let put = Put::builder()
            .table_name(self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", item::PARTITION_KEY)
            .build()
            .context("building a new item")?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn delete_read(&self, account: &Revision) -> anyhow::Result<TransactWriteItem> {
        let (names, values) = version_condition(account);
        let delete = Delete::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(account.key())))
            .condition_expression(VERSION_CONDITION)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .context("building an account deletion")?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }
}
