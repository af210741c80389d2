//! `GET /user/sessions/` (bearer): the account's live sessions, the caller's marked `current`.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

use crate::http::endpoint::{Operation, ResponseBody, Tag};
use crate::http::response::json_response;
use crate::http::session_views::SessionsView;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "listSessions",
    "The account's live sessions (where each signed in from, when it was last used), the \
     caller's marked current",
)
.answers(200, Some(ResponseBody::Sessions));

/// 200 and the sessions; a token whose own session has ended is refused.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let own = app.accounts.list_sessions(&bearer).await?;
    Ok(json_response(StatusCode::OK, &SessionsView::from(&own)))
}
