//! `POST /user/signin/`: the active account and a token pair, starting a session; for an
//! account with TOTP, only the `mfa_token` its second factor is sent with.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

use super::{CREDENTIALS, credentials};
use crate::http::body::json_object;
use crate::http::endpoint::{Operation, ResponseBody, Tag};
use crate::http::mfa_views::MfaRequiredView;
use crate::http::response::{SignedInView, json_response};
use crate::http::session_origin::session_origin;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal, SignIn};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "signIn",
    "Sign in to an active account: the account and a token pair, or (with TOTP) an mfa_token",
)
.takes(CREDENTIALS)
.answers(200, Some(ResponseBody::SignIn))
.refuses(&[
    Refusal::NotActivated,
    Refusal::WrongPassword,
    Refusal::UnknownEmail,
    Refusal::Locked { retry_after: 1 },
    Refusal::EmailNotVerified,
]);

/// 200: the active account and its first token pair, or what finishing with a second factor
/// takes.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let credentials = credentials(json_object(&request)?)?;
    let origin = session_origin(&request);
    Ok(
        match app.accounts.sign_in_from(credentials, origin).await? {
            SignIn::Complete(signed_in) => {
                json_response(StatusCode::OK, &SignedInView::from(&signed_in))
            }
            SignIn::SecondFactor {
                mfa_token,
                expires_in,
            } => json_response(
                StatusCode::OK,
                &MfaRequiredView::new(&mfa_token, expires_in),
            ),
        },
    )
}
