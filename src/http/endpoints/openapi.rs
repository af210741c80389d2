//! `GET /openapi.json`: this API's description (OpenAPI 3.1), built once per cold start.

use lambda_http::{Body, Request, Response};

use crate::http::endpoint::{Operation, ResponseBody};
use crate::http::response::public_document;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation =
    Operation::document("openApi", "This document", ResponseBody::OpenApi);

/// 200 and the document; cacheable.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    _request: Request,
) -> Result<Response<Body>, ApiError> {
    Ok(public_document("application/json", &app.openapi))
}
