//! Reading an account's sessions: their keys from the `sessions-by-user` index, then the
//! sessions themselves.
//!
//! The index projects keys only. Projecting every attribute would save the second read, but
//! DynamoDB writes an index item whenever a projected attribute changes, so every refresh (a
//! session's rotation, the service's most frequent write) would pay for two writes instead of
//! one; listing is rare, refreshing is not. The keys come from one `Query` (a page per
//! megabyte), eventually consistent: a session started a moment ago may be missing. The
//! sessions come from strongly consistent `BatchGetItem` calls of up to 100 keys, so each one
//! read is as it is now.

use anyhow::Context;
use aws_sdk_dynamodb::types::KeysAndAttributes;

use super::DynamoDbStore;
use super::errors::store_error;
use super::item::{Item, PARTITION_KEY, s};
use super::session_item::{self, SESSIONS_INDEX, USER_ATTRIBUTE};
use crate::domain::{Session, UserId};
use crate::service::StoreError;

/// The most keys one `BatchGetItem` may ask for.
const KEYS_PER_BATCH: usize = 100;
/// How many times keys DynamoDB left unprocessed (it may, under load) are asked for again
/// before the read gives up.
const BATCH_ROUNDS: usize = 4;

impl DynamoDbStore {
    /// The key of every session item the index holds for account `user`.
    pub(super) async fn indexed_sessions(&self, user: UserId) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&*self.table)
                .index_name(SESSIONS_INDEX)
                .key_condition_expression("#user = :user")
                .expression_attribute_names("#user", USER_ATTRIBUTE)
                .expression_attribute_values(":user", s(user.to_string()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| store_error(e, "listing an account's sessions"))?;
            start = page.last_evaluated_key;
            items.extend(page.items.unwrap_or_default());
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    /// The sessions of account `user`, whole, as they are now (sessions stored before token
    /// generations are left out, as [`find_session`](crate::service::AccountStore) leaves
    /// them; one deleted since the index listed it is simply absent).
    pub(super) async fn whole_sessions_of(&self, user: UserId) -> Result<Vec<Session>, StoreError> {
        let keys: Vec<Item> = (self.indexed_sessions(user).await?)
            .into_iter()
            .filter_map(|mut indexed| indexed.remove_entry(PARTITION_KEY))
            .map(|pk| Item::from([pk]))
            .collect();
        let mut items = Vec::with_capacity(keys.len());
        for batch in keys.chunks(KEYS_PER_BATCH) {
            items.extend(self.consistent_batch(batch.to_vec()).await?);
        }
        items
            .iter()
            .filter(|found| !session_item::is_legacy(found))
            .map(session_item::parse_session)
            .collect::<anyhow::Result<_>>()
            .context("parsing a session")
            .map_err(StoreError::Unexpected)
    }

    /// The items under `keys` (at most [`KEYS_PER_BATCH`]), strongly consistent, asking again
    /// for those DynamoDB leaves unprocessed.
    async fn consistent_batch(&self, mut keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::with_capacity(keys.len());
        for _ in 0..BATCH_ROUNDS {
            let request = KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .consistent_read(true)
                .build()
                .context("a batch of session keys")
                .map_err(StoreError::Unexpected)?;
            let mut read = self
                .client
                .batch_get_item()
                .request_items(&*self.table, request)
                .send()
                .await
                .map_err(|e| store_error(e, "reading an account's sessions"))?;
            items.extend(
                (read.responses.as_mut())
                    .and_then(|tables| tables.remove(&*self.table))
                    .unwrap_or_default(),
            );
            keys = (read.unprocessed_keys.as_mut())
                .and_then(|tables| tables.remove(&*self.table))
                .map(|left| left.keys)
                .unwrap_or_default();
            if keys.is_empty() {
                return Ok(items);
            }
        }
        Err(StoreError::Unavailable(anyhow::anyhow!(
            "DynamoDB left {} session keys unprocessed {BATCH_ROUNDS} times",
            keys.len()
        )))
    }
}
