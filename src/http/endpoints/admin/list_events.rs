//! `GET /admin/users/{id}/events/?cursor=` (IAM): the account's audit trail, newest first, a
//! page at a time. A deleted account's events answer too, until they expire.

use std::collections::BTreeMap;

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::{Value, json};

use super::{ON_AN_ACCOUNT, user_id};
use crate::domain::{EventCursor, IamCaller};
use crate::http::endpoint::{Operation, PathParams, ResponseBody, Tag};
use crate::http::event_views::EventPageView;
use crate::http::response::json_response;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Admin,
    "adminListUserEvents",
    "The account's events, newest first, with a cursor to older ones (IAM)",
)
.takes_query(parameters)
.answers(200, Some(ResponseBody::AccountEventPage))
.refuses(ON_AN_ACCOUNT);

/// 200 and the page.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    caller: IamCaller,
    params: PathParams,
) -> Result<Response<Body>, ApiError> {
    let id = user_id(&params)?;
    let cursor = cursor(&request)?;
    let page = app.accounts.list_events(&caller, id, cursor).await?;
    Ok(json_response(StatusCode::OK, &EventPageView::from(&page)))
}

/// The `cursor` parameter, if given (once, and as a page answered it).
fn cursor(request: &Request) -> Result<Option<EventCursor>, ApiError> {
    let query = request.query_string_parameters();
    let refused = |why: String| ApiError::Validation(BTreeMap::from([("cursor", why)]));
    match query.all("cursor").as_deref() {
        None | Some([]) => Ok(None),
        Some([one]) => EventCursor::parse(one)
            .map(Some)
            .map_err(|why| refused(why.to_string())),
        Some(_) => Err(refused("must be given once".to_owned())),
    }
}

fn parameters() -> Value {
    json!([
        {"name": "cursor", "in": "query", "required": false,
            "description": "The `next_cursor` of the previous page.",
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}},
    ])
}
