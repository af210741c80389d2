//! Use case (admin): an account's audit trail, newest first, a page at a time.
//!
//! The events are read from the store's events (DynamoDB: the `events-by-user` index, so
//! eventually consistent), kept `EVENT_RETENTION_DAYS` and outliving the account: the trail of
//! a deleted account still answers "what happened to it?" until its events expire. So an id
//! with no account is not refused; it has the events it has (none, if it never existed).

use crate::domain::{AccountEvent, EVENTS_PER_PAGE, EventCursor, IamCaller, UserId};
use crate::service::{AccountStore, Accounts, ServiceError};

/// A page of an account's events, newest first, and where the next one starts (none on the
/// last page).
#[derive(Debug)]
pub struct EventPage {
    pub events: Vec<AccountEvent>,
    pub next: Option<EventCursor>,
}

impl<S: AccountStore> Accounts<S> {
    /// The events of account `id`, from the newest, or from before `cursor`.
    pub async fn list_events(
        &self,
        caller: &IamCaller,
        id: UserId,
        cursor: Option<EventCursor>,
    ) -> Result<EventPage, ServiceError> {
        let before = cursor.map(EventCursor::before);
        // One more than a page: whether it comes back says whether a next page exists.
        let mut events = (self.begin().events_of(id, before, EVENTS_PER_PAGE + 1))
            .await
            .inspect_err(|error| {
                tracing::info!(caller_arn = %caller, user_id = %id, %error, "admin: reading events failed");
            })?;
        let next = (events.len() > EVENTS_PER_PAGE).then(|| {
            events.truncate(EVENTS_PER_PAGE);
            events.last().map(EventCursor::after)
        });
        tracing::info!(caller_arn = %caller, user_id = %id, events = events.len(), "admin: events read");
        Ok(EventPage {
            events,
            next: next.flatten(),
        })
    }
}
