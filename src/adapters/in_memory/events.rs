//! The outbox's twin: account events kept by account and sequence, as DynamoDB keeps event
//! items and reads them back through the `events-by-user` index (newest first). Expiry is
//! DynamoDB's TTL, which deletes at some moment after `expires_at`: the twin keeps them.

use super::data::Data;
use crate::domain::{AccountEvent, UserId};
use crate::service::CommitError;

impl Data {
    /// Stores `event`, unless its account already has one with its sequence (a stale read).
    pub(super) fn record_event(&mut self, event: AccountEvent) -> Result<(), CommitError> {
        let of_account = self.events.entry(event.user).or_default();
        if of_account.contains_key(&event.sequence) {
            return Err(CommitError::Conflict);
        }
        of_account.insert(event.sequence, event);
        Ok(())
    }

    /// Up to `limit` events of `user`, newest first, before sequence `before` if given.
    pub(super) fn events_of(
        &self,
        user: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Vec<AccountEvent> {
        let Some(of_account) = self.events.get(&user) else {
            return Vec::new();
        };
        of_account
            .range(..before.unwrap_or(u64::MAX))
            .rev()
            .take(limit)
            .map(|(_, event)| event.clone())
            .collect()
    }
}
