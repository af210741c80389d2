//! The body of `GET /user/sessions/`: the account's live sessions, the caller's marked.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Session;
use crate::service::OwnSessions;

/// One live session, as its account's owner sees it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Session)]
pub(super) struct SessionView {
    /// What `POST /user/sessions/revoke/` takes (and access tokens carry as `sid`).
    #[schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    pub id: String,
    /// Unix seconds: when it signed in.
    pub created_at: u64,
    /// Unix seconds: when it last refreshed its tokens (or signed in, if it never did).
    pub last_used_at: u64,
    /// The `User-Agent` it signed in with, cut at 256 characters (null: none was sent).
    pub user_agent: Option<String>,
    /// The address it signed in from (null: unknown).
    pub source_ip: Option<String>,
    /// Whether it is the session of the access token that asked.
    pub current: bool,
}

impl SessionView {
    fn new(session: &Session, current: bool) -> Self {
        let origin = session.origin();
        Self {
            id: session.id().to_string(),
            created_at: session.created_at(),
            last_used_at: session.last_used_at(),
            user_agent: (origin.user_agent.as_ref()).map(|agent| agent.as_ref().to_owned()),
            source_ip: origin.source_ip.map(|ip| ip.to_string()),
            current,
        }
    }
}

/// The live sessions of the account, newest first; exactly one is `current`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Sessions)]
pub(super) struct SessionsView {
    pub sessions: Vec<SessionView>,
}

impl From<&OwnSessions> for SessionsView {
    fn from(own: &OwnSessions) -> Self {
        Self {
            sessions: (own.sessions.iter())
                .map(|session| SessionView::new(session, session.id() == own.current))
                .collect(),
        }
    }
}
