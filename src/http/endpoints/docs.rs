//! `GET /docs/`: the page that renders the API description interactively.

use lambda_http::http::header;
use lambda_http::{Body, Request, Response};

use crate::http::endpoint::{Operation, ResponseBody};
use crate::http::response::public_document;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::document(
    "docs",
    "An interactive page rendering this document",
    ResponseBody::Html,
);

/// 200 and the page; cacheable.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
) -> Result<Response<Body>, ApiError> {
    let mut page = public_document("text/html; charset=utf-8", &app.docs_page);
    (page.headers_mut()).insert(header::CONTENT_SECURITY_POLICY, app.docs_policy.clone());
    Ok(page)
}
