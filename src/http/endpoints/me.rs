//! `GET /user/me/`: the account the bearer token speaks for, as stored now.

use lambda_http::{Body, Request, Response};

use crate::http::endpoint::{Operation, ResponseBody, Tag};
use crate::http::response::account;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "me",
    "The account the access token speaks for, as stored now",
)
.answers(200, Some(ResponseBody::Account));

/// 200 and the account; a token whose account is gone or inactive is refused.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    Ok(account(&app.accounts.current_account(&bearer).await?))
}
