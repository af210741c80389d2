//! `POST /user/mfa/recovery-codes/` (bearer): new recovery codes, with the password; the old
//! ones are void and every other session ends.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

use super::{PASSWORD_CONFIRMATION, password_confirmation};
use crate::http::body::json_object;
use crate::http::endpoint::{Operation, ResponseBody, Tag};
use crate::http::mfa_views::RecoveryCodesView;
use crate::http::response::json_response;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "replaceRecoveryCodes",
    "Replace the recovery codes (token and password); every other session ends",
)
.takes(PASSWORD_CONFIRMATION)
.answers(200, Some(ResponseBody::RecoveryCodes))
.refuses(&[
    Refusal::WrongPassword,
    Refusal::Locked { retry_after: 1 },
    Refusal::TotpNotEnabled,
]);

/// 200, the new codes and the caller's fresh pair.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let password = password_confirmation(json_object(&request)?)?;
    let replaced = app
        .accounts
        .replace_recovery_codes(&bearer, password)
        .await?;
    let view = RecoveryCodesView::new(&replaced.recovery_codes, &replaced.tokens);
    Ok(json_response(StatusCode::OK, &view))
}
