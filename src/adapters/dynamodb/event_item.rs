//! How an account event is laid out in the table: one **event item**
//! (`pk = EVENT#<user id>#<sequence>`) per event, written in the transaction of the change it
//! reports (the outbox), with the attributes of the published event under their published
//! names but one: the account id is `event_user`, never `user_id`, which would put the item in
//! the `sessions-by-user` index. The `events-by-user` index (`event_user`, `sequence`) reads an
//! account's events newest first; the table's stream carries each new item to the EventBridge
//! Pipe (`template.yaml`), which publishes it; TTL removes it `EVENT_RETENTION_DAYS` later.

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::types::AttributeValue;

use super::DynamoDbStore;
use super::errors::store_error;
use super::fields::Fields;
use super::item::{Item, attr, key, n, s};
use crate::domain::{AccountEvent, Actor, EventKind, UserId};
use crate::service::StoreError;

/// The index of an account's events, newest first.
pub const EVENTS_INDEX: &str = "events-by-user";
/// The `kind` of an event item (the Pipe's filter matches it).
pub(super) const KIND: &str = "event";
const EVENT_PREFIX: &str = "EVENT#";
/// The index's partition key: the account's id.
pub(super) const USER: &str = "event_user";
/// The index's sort key.
pub(super) const SEQUENCE: &str = "sequence";
const EVENT_ID: &str = "event_id";
const TYPE: &str = "type";
const AT: &str = "at";
const REQUEST_ID: &str = "request_id";
const ACTOR: &str = "actor";

/// An event's item.
pub(super) fn event_item(event: &AccountEvent) -> Item {
    let mut item = key(format!("{EVENT_PREFIX}{}#{}", event.user, event.sequence));
    item.extend([
        (attr::KIND.to_owned(), s(KIND)),
        (EVENT_ID.to_owned(), s(event.id())),
        (TYPE.to_owned(), s(event.kind.as_str())),
        (USER.to_owned(), s(event.user.to_string())),
        (SEQUENCE.to_owned(), n(event.sequence)),
        (AT.to_owned(), n(event.at)),
        (ACTOR.to_owned(), s(event.actor.as_str())),
        (attr::EXPIRES_AT.to_owned(), n(event.expires_at)),
    ]);
    let request_id = match &event.request_id {
        Some(id) => s(id),
        None => AttributeValue::Null(true),
    };
    item.insert(REQUEST_ID.to_owned(), request_id);
    item
}

/// Rebuilds an event from its item (as the index returns it: every attribute).
pub(super) fn parse_event(found: &Item) -> anyhow::Result<AccountEvent> {
    let fields = Fields(found);
    if fields.text(attr::KIND)? != KIND {
        return Err(anyhow!("an item of another kind in the events index"));
    }
    let kind = fields.text(TYPE)?;
    let actor = fields.text(ACTOR)?;
    Ok(AccountEvent {
        kind: EventKind::parse(kind).with_context(|| format!("event type `{kind}`"))?,
        user: UserId::parse(fields.text(USER)?).context("attribute `event_user`")?,
        sequence: fields.number(SEQUENCE)?,
        at: fields.number(AT)?,
        expires_at: fields.number(attr::EXPIRES_AT)?,
        request_id: match found.get(REQUEST_ID) {
            Some(AttributeValue::Null(true)) | None => None,
            Some(_) => Some(fields.text(REQUEST_ID)?.to_owned()),
        },
        actor: Actor::parse(actor).with_context(|| format!("event actor `{actor}`"))?,
    })
}

impl DynamoDbStore {
    /// Up to `limit` events of `user`, newest first, before sequence `before` if given: one
    /// Query of the index (eventually consistent, as every index read is).
    pub(super) async fn query_events(
        &self,
        user: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AccountEvent>, StoreError> {
        let limit = i32::try_from(limit.max(1)).unwrap_or(i32::MAX);
        let query = match before {
            Some(before) => self
                .client
                .query()
                .key_condition_expression("#user = :user AND #sequence < :before")
                .expression_attribute_names("#sequence", SEQUENCE)
                .expression_attribute_values(":before", n(before)),
            None => self
                .client
                .query()
                .key_condition_expression("#user = :user"),
        };
        let page = query
            .table_name(&*self.table)
            .index_name(EVENTS_INDEX)
            .expression_attribute_names("#user", USER)
            .expression_attribute_values(":user", s(user.to_string()))
            .scan_index_forward(false)
            .limit(limit)
            .send()
            .await
            .map_err(|e| store_error(e, "listing an account's events"))?;
        page.items()
            .iter()
            .map(|found| parse_event(found).context("an event in the index"))
            .collect::<anyhow::Result<_>>()
            .map_err(StoreError::Unexpected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reads_back_from_its_item_with_or_without_a_request() {
        for request_id in [None, Some("abc-123".to_owned())] {
            let event = AccountEvent {
                kind: EventKind::PasswordReset,
                user: UserId::generate(),
                sequence: 12,
                at: 1_800_000_000,
                expires_at: 1_807_776_000,
                request_id,
                actor: Actor::User,
            };
            let item = event_item(&event);
            assert!(
                !item.contains_key(attr::USER_ID),
                "stays out of sessions-by-user"
            );
            assert_eq!(parse_event(&item).expect("parses"), event);
        }
    }
}
