//! Account events as the admin API answers them and as the EventBridge Pipe publishes them
//! (`detail`): the same fields, under the same names, which `docs/events/` describes.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::AccountEvent;
use crate::service::EventPage;

/// One account event.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AccountEvent)]
pub(super) struct EventView<'a> {
    /// The account's id and the sequence: the same on every delivery of the event.
    pub id: String,
    /// What happened (`user.created`, …).
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    pub user_id: String,
    /// The account's events are numbered 1, 2, 3, … without gaps: orders them.
    pub sequence: u64,
    /// Unix seconds.
    pub at: u64,
    /// The API Gateway request that caused it (`null` when none did).
    pub request_id: Option<&'a str>,
    /// `user` (whoever presented the account's credentials), or an administrator's IAM ARN.
    pub actor: &'a str,
}

impl<'a> From<&'a AccountEvent> for EventView<'a> {
    fn from(event: &'a AccountEvent) -> Self {
        Self {
            id: event.id(),
            kind: event.kind.as_str(),
            user_id: event.user.to_string(),
            sequence: event.sequence,
            at: event.at,
            request_id: event.request_id.as_deref(),
            actor: event.actor.as_str(),
        }
    }
}

/// A page of an account's events.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AccountEventPage)]
pub(super) struct EventPageView<'a> {
    /// Newest first.
    pub events: Vec<EventView<'a>>,
    /// Send it back as `cursor` for the next (older) page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<'a> From<&'a EventPage> for EventPageView<'a> {
    fn from(page: &'a EventPage) -> Self {
        Self {
            events: page.events.iter().map(EventView::from).collect(),
            next_cursor: page.next.map(|cursor| cursor.to_string()),
        }
    }
}
