//! `POST /user/activate/`: activate an account with its credentials (idempotent).

use lambda_http::{Body, Request, Response};

use super::{ACTIVATION_REFUSED, CREDENTIALS_WITH_SECOND_FACTOR, credentials_with_second_factor};
use crate::http::body::json_object;
use crate::http::endpoint::{Operation, ResponseBody, Tag};
use crate::http::response::account;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "activate",
    "Activate an account with its credentials",
)
.takes(CREDENTIALS_WITH_SECOND_FACTOR)
.answers(200, Some(ResponseBody::Account))
.refuses(ACTIVATION_REFUSED);

/// 200 and the account, now active.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let credentials = credentials_with_second_factor(json_object(&request)?)?;
    Ok(account(&app.accounts.activate(credentials).await?))
}
