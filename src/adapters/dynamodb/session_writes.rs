//! The writes of the session changes (`StartSession`, `RotateSession`, `RevokeSession`,
//! `DeleteSession`; the table in [`writes`](super::writes) says what each writes).

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem, Update};

use super::errors::Role;
use super::item::{self, attr, n};
use super::session_item;
use super::writes::{Writes, conditional};
use crate::domain::{Session, SessionId, UserId};

impl Writes<'_> {
    /// A new session's item; its id is fresh, so a taken key is a bug.
    pub(super) fn start_session(
        &self,
        session: &Session,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        Ok((
            self.put_new(session_item::session_item(session))?,
            Role::NewUserId,
        ))
    }

    /// The rotated state of `session`, if the stored session is still at generation `from`
    /// and not revoked.
    pub(super) fn rotate_session(
        &self,
        session: &Session,
        from: u64,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let update = Update::builder()
            .table_name(self.table)
            .set_key(Some(session_item::session_key(session.id)))
            .update_expression(
                "SET #generation = :generation, #rotated_at = :rotated_at, \
                 #expires_at = :expires_at",
            )
            .condition_expression("#generation = :from AND #revoked = :false")
            .expression_attribute_names("#generation", attr::GENERATION)
            .expression_attribute_names("#rotated_at", attr::ROTATED_AT)
            .expression_attribute_names("#expires_at", attr::EXPIRES_AT)
            .expression_attribute_names("#revoked", attr::REVOKED)
            .expression_attribute_values(":generation", n(session.generation))
            .expression_attribute_values(":rotated_at", n(session.rotated_at))
            .expression_attribute_values(":expires_at", n(session.expires_at))
            .expression_attribute_values(":from", n(from))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .build()
            .context("building a session rotation")?;
        Ok(conditional(update))
    }

    /// Removes session `id`'s item, whether or not it exists.
    pub(super) fn delete_session(
        &self,
        id: SessionId,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
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

    /// Marks session `id` revoked, if it exists (an update would otherwise create it) and is
    /// account `owner`'s.
    pub(super) fn revoke_session(
        &self,
        id: SessionId,
        owner: UserId,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let update = Update::builder()
            .table_name(self.table)
            .set_key(Some(session_item::session_key(id)))
            .update_expression("SET #revoked = :true")
            .condition_expression("attribute_exists(#pk) AND #user = :owner")
            .expression_attribute_names("#revoked", attr::REVOKED)
            .expression_attribute_names("#pk", item::PARTITION_KEY)
            .expression_attribute_names("#user", attr::USER_ID)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":owner", item::s(owner.to_string()))
            .build()
            .context("building a session revocation")?;
        Ok(conditional(update))
    }
}
