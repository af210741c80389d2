//! `POST /user/password/forgot/`: a reset code to the address, if an account has it; the same
//! answer for any address.

use lambda_http::{Body, Request, Response};

use super::resend_verification::{email, email_only};
use crate::http::body::json_object;
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::response::accepted;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "forgotPassword",
    "Mail an 8-digit password reset code if an account has the address; the same answer for \
     any address",
)
.takes(RequestBody {
    schema: "EmailOnly",
    fields: email_only,
})
.answers(202, Some(ResponseBody::Accepted))
.refuses(&[Refusal::TooManyRequests { retry_after: 1 }]);

/// 202 and `{}`.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let email = email(json_object(&request)?)?;
    app.accounts.forgot_password(&email).await?;
    Ok(accepted())
}
