//! `POST /admin/users/{id}/disable/` (IAM): disable an account (every session ends; its owner cannot undo it).

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
    "adminDisableUser",
    "Disable an account: every session ends, nothing its owner does gets in (IAM)",
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
    let account = app.accounts.disable_user(&caller, id).await?;
    Ok(json_response(
        StatusCode::OK,
        &AdminAccountView::from(&account),
    ))
}
