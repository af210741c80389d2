//! `POST /user/signin/`: the active account and a token pair, starting a session.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};

use super::{CREDENTIALS, credentials};
use crate::http::body::json_object;
use crate::http::endpoint::{Operation, ResponseBody, Tag};
use crate::http::response::{SignedInView, TokenView, UserView, json_response};
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal, SignedIn};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "signIn",
    "Sign in to an active account: the account and a token pair",
)
.takes(CREDENTIALS)
.answers(200, Some(ResponseBody::SignedIn))
.refuses(&[
    Refusal::NotActivated,
    Refusal::WrongPassword,
    Refusal::UnknownEmail,
    Refusal::Locked { retry_after: 1 },
    Refusal::EmailNotVerified,
]);

/// 200, the active account and its first token pair.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let credentials = credentials(json_object(&request)?)?;
    let SignedIn { user, tokens } = app.accounts.sign_in(credentials).await?;
    let view = SignedInView {
        user: UserView::from(&user),
        tokens: TokenView::from(&tokens),
    };
    Ok(json_response(StatusCode::OK, &view))
}
