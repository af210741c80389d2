//! Each [`Change`] as the DynamoDB writes that do exactly what it names, with the role each
//! write plays so that a cancelled transaction can be explained.
//!
//! | change | writes |
//! |---|---|
//! | `Create` | `Put` e-mail item, `Put` id item, each `attribute_not_exists(pk)` |
//! | `SetStatus` | `Update` e-mail item: `active`, `session_epoch`, `version`, `updated_at` |
//! | `SetDisabled` | `Update` e-mail item: `disabled`, `session_epoch`, `version`, `updated_at` |
//! | `ReplaceHash` | `Update` e-mail item: `password_hash`, `session_epoch`, `version`, `updated_at` |
//! | `MoveEmail` | `Delete` old e-mail item, `Put` new one (`attribute_not_exists(pk)`, with the new `session_epoch` and `email_verified`), `Update` id item's `email` |
//! | `VerifyEmail` | `Update` e-mail item: `email_verified`, `version`, `updated_at` |
//! | `ResetPassword` | `Update` e-mail item: `password_hash`, `session_epoch`, `email_verified`, `version`, `updated_at`; with `clear_failures` (not for an account with TOTP), `REMOVE failed_attempts, last_failure_at` |
//! | `Rename` | `Update` e-mail item: `name`, `surname`, `version`, `updated_at` |
//! | `SaveCodes` | `Put` code item whole, if its `version` is the one read (0: `attribute_not_exists(pk)`) |
//! | `Delete` | `Delete` e-mail item, `Delete` id item |
//! | `Require` | `ConditionCheck` e-mail item |
//! | `EndSessions` | `Update` e-mail item: `ADD session_epoch 1, version 1` if the `id` and the `session_epoch` match |
//! | `StartSession` | `Put` session item, `attribute_not_exists(pk)` |
//! | `RotateSession` | `Update` session item: `generation`, `rotated_at`, `expires_at`, if `generation` is the one read and `revoked` is false |
//! | `RevokeSession` | `Update` session item: `revoked`, if it exists and its `user_id` is the owner's |
//! | `DeleteSession` | `Delete` session item |
//! | `ReserveAttempt` | `Update` e-mail item: `failed_attempts` (1 for a new run, one more than read otherwise) and `last_failure_at`, if the count is as read; not the version |
//! | `ClearFailures` | `Update` e-mail item: `REMOVE failed_attempts, last_failure_at` |
//! | `SetSecondFactor` | `Update` e-mail item: the factor's attributes (`second_factor_item.rs`), `active`, `session_epoch`, `version`, `updated_at`; with `passed`, `REMOVE failed_attempts, last_failure_at` |
//! | `StartChallenge` | `Put` challenge item, `attribute_not_exists(pk)` |
//! | `CountChallengeTry` | `Update` challenge item: `tries` one more, if it is the one read |
//! | `EndChallenge` | `Delete` challenge item, if its `tries` is the one read |
//!
//! Every other write to an existing e-mail item is conditioned on the `id` and `version` read.

use std::collections::HashMap;

use anyhow::Context;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};

use super::errors::Role;
use super::item::{self, Item, attr, n, s};
use crate::domain::{Email, Revision, UserId};

/// A condition an account's update must meet besides its version: the expression and the
/// names and values it uses.
pub(super) struct Condition {
    pub(super) expression: String,
    pub(super) names: Vec<(String, String)>,
    pub(super) values: Vec<(String, AttributeValue)>,
}

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
    pub(super) fn create(
        &self,
        account_item: Item,
        id_item: Item,
    ) -> anyhow::Result<[(TransactWriteItem, Role); 2]> {
        Ok([
            (self.put_new_email(account_item)?, Role::NewEmail),
            (self.put_new(id_item)?, Role::NewUserId),
        ])
    }

    /// `SET name = value` for each of `set` on the account read as `account`, moving its
    /// version on.
    pub(super) fn update(
        &self,
        account: &Revision,
        set: &[(&str, AttributeValue)],
    ) -> anyhow::Result<Update> {
        self.update_removing(account, set, &[])
    }

    /// The same, also removing the attributes `remove`.
    pub(super) fn update_removing(
        &self,
        account: &Revision,
        set: &[(&str, AttributeValue)],
        remove: &[&str],
    ) -> anyhow::Result<Update> {
        self.update_removing_if(account, set, remove, None)
    }

    /// The same, also conditioned on `also`, if given.
    pub(super) fn update_removing_if(
        &self,
        account: &Revision,
        set: &[(&str, AttributeValue)],
        remove: &[&str],
        also: Option<Condition>,
    ) -> anyhow::Result<Update> {
        let mut expression = String::from("SET #version = :next, #updated_at = :now");
        if account.publishes() {
            expression.push_str(", #event_count = :events");
        }
        let (mut names, mut values) = version_condition(account);
        let mut condition = VERSION_CONDITION.to_owned();
        if let Some(also) = also {
            condition = format!("{condition} AND ({})", also.expression);
            names.extend(also.names);
            values.extend(also.values);
        }
        let mut update = Update::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(account.key())))
            .condition_expression(condition)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .expression_attribute_names("#updated_at", attr::UPDATED_AT)
            .expression_attribute_values(":next", n(account.version() + 1))
            .expression_attribute_values(":now", n(self.now));
        if account.publishes() {
            update = update
                .expression_attribute_names("#event_count", attr::EVENT_COUNT)
                .expression_attribute_values(":events", n(account.events_after()));
        }
        for (i, (name, value)) in set.iter().enumerate() {
            expression.push_str(&format!(", #f{i} = :f{i}"));
            update = update
                .expression_attribute_names(format!("#f{i}"), *name)
                .expression_attribute_values(format!(":f{i}"), value.clone());
        }
        for (i, name) in remove.iter().enumerate() {
            expression.push_str(if i == 0 { " REMOVE " } else { ", " });
            expression.push_str(&format!("#r{i}"));
            update = update.expression_attribute_names(format!("#r{i}"), *name);
        }
        update
            .update_expression(expression)
            .build()
            .context("building an account update")
    }

    /// Moves the account item `stored` (as read, at `account`'s version) to `to`.
    pub(super) fn move_email(
        &self,
        account: &Revision,
        stored: Item,
        to: &Email,
        session_epoch: u64,
        email_verified: bool,
    ) -> anyhow::Result<[(TransactWriteItem, Role); 3]> {
        let mut moved = stored;
        moved.extend(item::email_key(to));
        moved.insert(attr::EMAIL.to_owned(), s(to.as_ref()));
        moved.insert(attr::SESSION_EPOCH.to_owned(), n(session_epoch));
        moved.insert(
            attr::EMAIL_VERIFIED.to_owned(),
            AttributeValue::Bool(email_verified),
        );
        moved.insert(attr::VERSION.to_owned(), n(account.version() + 1));
        moved.insert(attr::EVENT_COUNT.to_owned(), n(account.events_after()));
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
            (self.put_new_email(moved)?, Role::NewEmail),
            (
                TransactWriteItem::builder().update(pointer).build(),
                Role::Versioned,
            ),
        ])
    }

    /// Removes the account read as `account` and its id item.
    pub(super) fn delete(
        &self,
        account: &Revision,
    ) -> anyhow::Result<[(TransactWriteItem, Role); 2]> {
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
    pub(super) fn require(&self, account: &Revision) -> anyhow::Result<(TransactWriteItem, Role)> {
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

    /// Moves the session epoch (and the version) of account `id` under `key` on by one,
    /// provided it is still `epoch`. An increment needs no version condition: it commutes with
    /// every other write.
    pub(super) fn end_sessions(
        &self,
        key: &Email,
        id: UserId,
        epoch: u64,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        // An account stored before sessions existed has no epoch attribute: it is in epoch 0.
        let condition = match epoch {
            0 => "#id = :id AND (attribute_not_exists(#epoch) OR #epoch = :epoch)",
            _ => "#id = :id AND #epoch = :epoch",
        };
        let update = self
            .account_update(key, id)
            .update_expression("SET #updated_at = :now ADD #epoch :one, #version :one")
            .condition_expression(condition)
            .expression_attribute_values(":epoch", n(epoch))
            .expression_attribute_names("#updated_at", attr::UPDATED_AT)
            .expression_attribute_names("#epoch", attr::SESSION_EPOCH)
            .expression_attribute_names("#version", attr::VERSION)
            .expression_attribute_values(":now", n(self.now))
            .expression_attribute_values(":one", n(1))
            .build()
            .context("building the end of an account's sessions")?;
        Ok(conditional(update))
    }

    /// An update of account `id`'s item under `key`, naming `#id` and `:id` for a condition on
    /// the id: where the writes that need no version (they commute with the others) start.
    pub(super) fn account_update(&self, key: &Email, id: UserId) -> UpdateBuilder {
        Update::builder()
            .table_name(self.table)
            .set_key(Some(item::email_key(key)))
            .expression_attribute_names("#id", attr::ID)
            .expression_attribute_values(":id", s(id.to_string()))
    }

    /// An account's item under an address that no account has: the address's item may only
    /// hold a count of password checks (see `failure_writes.rs`), which the account replaces.
    fn put_new_email(&self, item: Item) -> anyhow::Result<TransactWriteItem> {
        let put = Put::builder()
            .table_name(self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk) OR #kind = :attempts")
            .expression_attribute_names("#pk", item::PARTITION_KEY)
            .expression_attribute_names("#kind", attr::KIND)
            .expression_attribute_values(":attempts", s(item::ATTEMPTS_KIND))
            .build()
            .context("building an account's item")?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    pub(super) fn put_new(&self, item: Item) -> anyhow::Result<TransactWriteItem> {
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

/// `update` as a transaction item whose failed condition means the item changed since it was
/// read (a conflict).
pub(super) fn conditional(update: Update) -> (TransactWriteItem, Role) {
    (
        TransactWriteItem::builder().update(update).build(),
        Role::Versioned,
    )
}
