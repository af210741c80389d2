//! `POST /admin/users/{id}/enable/` (IAM): enable an account (its owner can sign in again).

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

use super::{ON_AN_ACCOUNT, user_id};
use crate::domain::IamCaller;
use crate::http::admin_views::AdminAccountView;
use crate::http::endpoint::{Operation, PathParams, ResponseBody, Tag};
use crate::http::response::json_response;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Admin,
    "adminEnableUser",
    "Enable a disabled account (IAM)",
)
.answers(200, Some(ResponseBody::AdminAccount))
.refuses(ON_AN_ACCOUNT);

/// 200 and the account as it is now.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
    caller: IamCaller,
    params: PathParams,
) -> Result<Response<Body>, ApiError> {
    let id = user_id(&params)?;
    let account = app.accounts.enable_user(&caller, id).await?;
    Ok(json_response(
        StatusCode::OK,
        &AdminAccountView::from(&account),
    ))
}
