//! Reading the `sessions-by-user` index: every session item of one account, page by page.
//!
//! The index projects every attribute, so one `Query` (one request per megabyte of sessions)
//! answers both the ids account deletion needs and the whole sessions the list shows, with no
//! `GetItem` per session. Index reads are eventually consistent: DynamoDB may not have copied a
//! session written a moment ago, or its latest change, into the index yet.

use anyhow::Context;

use super::DynamoDbStore;
use super::errors::store_error;
use super::item::{Item, s};
use super::session_item::{self, SESSIONS_INDEX, USER_ATTRIBUTE};
use crate::domain::{Session, UserId};
use crate::service::StoreError;

impl DynamoDbStore {
    /// Every item the index holds for account `user`.
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

    /// The sessions of account `user`, whole, from the index (sessions stored before token
    /// generations are left out, as [`find_session`](crate::service::AccountStore) leaves them).
    pub(super) async fn whole_sessions_of(&self, user: UserId) -> Result<Vec<Session>, StoreError> {
        (self.indexed_sessions(user).await?)
            .iter()
            .filter(|found| !session_item::is_legacy(found))
            .map(session_item::parse_session)
            .collect::<anyhow::Result<_>>()
            .context("parsing a session in the index")
            .map_err(StoreError::Unexpected)
    }
}
