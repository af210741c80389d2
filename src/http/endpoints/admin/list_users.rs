//! `GET /admin/users/?email_prefix=&limit=&cursor=` (IAM): a page of accounts.
//!
//! Every parameter is optional; a bad one (a `limit` outside 1 to 200 or no number, a cursor
//! no page answered with, one given twice) is a 400 `ValidationError` naming it, all of them
//! at once, as for a body's fields.

use std::collections::BTreeMap;

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::{Value, json};

use crate::domain::{AccountCursor, EmailPrefix, IamCaller, Invalid, PageSize};
use crate::http::admin_views::AdminPageView;
use crate::http::endpoint::{Operation, PathParams, ResponseBody, Tag};
use crate::http::response::json_response;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, ListUsers};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Admin,
    "adminListUsers",
    "A page of accounts, by address prefix, with a cursor to the next (IAM)",
)
.takes_query(parameters)
.answers(200, Some(ResponseBody::AdminAccountPage));

/// 200 and the page.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    caller: IamCaller,
    _params: PathParams,
) -> Result<Response<Body>, ApiError> {
    let query = parse(&request)?;
    let page = app.accounts.list_users(&caller, query).await?;
    Ok(json_response(StatusCode::OK, &AdminPageView::from(&page)))
}

/// The query, every bad parameter named at once.
fn parse(request: &Request) -> Result<ListUsers, ApiError> {
    let query = request.query_string_parameters();
    let mut errors = BTreeMap::new();
    let mut take = |name: &'static str| -> Option<&str> {
        match query.all(name).as_deref() {
            None | Some([]) => None,
            Some([one]) => Some(one),
            Some(_) => {
                errors.insert(name, "must be given once".to_owned());
                None
            }
        }
    };
    let (prefix, size, cursor) = (take("email_prefix"), take("limit"), take("cursor"));
    let prefix = parsed(
        &mut errors,
        "email_prefix",
        EmailPrefix::parse(prefix.unwrap_or_default()),
    );
    let size = parsed(
        &mut errors,
        "limit",
        size.map_or(Ok(PageSize::default()), PageSize::parse),
    );
    let after = parsed(
        &mut errors,
        "cursor",
        cursor.map(AccountCursor::parse).transpose(),
    );
    match (prefix, size, after) {
        (Some(prefix), Some(size), Some(after)) if errors.is_empty() => Ok(ListUsers {
            prefix,
            size,
            after,
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// `result`'s value, or `None` with why it is refused recorded under `name`.
fn parsed<T>(
    errors: &mut BTreeMap<&'static str, String>,
    name: &'static str,
    result: Result<T, Invalid>,
) -> Option<T> {
    result
        .map_err(|why| errors.insert(name, why.to_string()))
        .ok()
}

fn parameters() -> Value {
    json!([
        {"name": "email_prefix", "in": "query", "required": false,
            "description": "Only accounts whose address starts with it (compared in the \
                address's canonical form: lower case, NFC).",
            "schema": {"type": "string", "maxLength": 254}},
        {"name": "limit", "in": "query", "required": false,
            "description": "The most accounts a page holds.",
            "schema": {"type": "integer", "minimum": 1, "maximum": PageSize::MAX,
                "default": PageSize::DEFAULT.get()}},
        {"name": "cursor", "in": "query", "required": false,
            "description": "The `next_cursor` of the previous page.",
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}},
    ])
}
