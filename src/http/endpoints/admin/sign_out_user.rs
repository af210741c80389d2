//! `POST /admin/users/{id}/signout/` (IAM): end every session of an account.

use lambda_http::{Body, Request, Response};

use super::{ON_AN_ACCOUNT, user_id};
use crate::domain::IamCaller;
use crate::http::endpoint::{Operation, PathParams, Tag};
use crate::http::response::no_content;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Admin,
    "adminSignOutUser",
    "End every session of an account (IAM)",
)
.answers(204, None)
.refuses(ON_AN_ACCOUNT);

/// 204: no session of the account refreshes again, no access token of it is accepted.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
    caller: IamCaller,
    params: PathParams,
) -> Result<Response<Body>, ApiError> {
    let id = user_id(&params)?;
    app.accounts.sign_out_user(&caller, id).await?;
    Ok(no_content())
}
