//! `POST /admin/users/{id}/delete/` (IAM): delete an account and everything of it, as its
//! owner's deletion does; idempotent.

use lambda_http::{Body, Request, Response};

use super::user_id;
use crate::domain::IamCaller;
use crate::http::endpoint::{Operation, PathParams, Tag};
use crate::http::response::no_content;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Admin,
    "adminDeleteUser",
    "Delete an account and everything of it; an id no account has is gone already (IAM)",
)
.answers(204, None);

/// 204: the account is gone (or was already, or never was).
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
    caller: IamCaller,
    params: PathParams,
) -> Result<Response<Body>, ApiError> {
    // A malformed id names no account, which is gone already: 204 as for any other.
    match user_id(&params) {
        Ok(id) => app.accounts.delete_user(&caller, id).await?,
        Err(_) => tracing::info!(caller_arn = %caller, "admin: no account to delete (no id)"),
    }
    Ok(no_content())
}
