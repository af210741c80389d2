//! `POST /user/mfa/totp/` (bearer): start an enrolment in TOTP with the password; nothing
//! changes for sign-in until a code confirms it.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

use super::{PASSWORD_CONFIRMATION, password_confirmation};
use crate::http::body::json_object;
use crate::http::endpoint::{Operation, ResponseBody, Tag};
use crate::http::mfa_views::TotpEnrolmentView;
use crate::http::response::json_response;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "enrolTotp",
    "Start an enrolment in TOTP (token and password): the secret for an authenticator app",
)
.takes(PASSWORD_CONFIRMATION)
.answers(200, Some(ResponseBody::TotpEnrolment))
.refuses(&[
    Refusal::WrongPassword,
    Refusal::Locked { retry_after: 1 },
    Refusal::EmailNotVerified,
    Refusal::TotpAlreadyEnabled,
]);

/// 200, the secret and its `otpauth://` URI.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let password = password_confirmation(json_object(&request)?)?;
    let enrolment = app.accounts.enrol_totp(&bearer, password).await?;
    Ok(json_response(
        StatusCode::OK,
        &TotpEnrolmentView::from(&enrolment),
    ))
}
