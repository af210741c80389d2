//! Where a request came from, as a session records it: its `User-Agent` header and the
//! address API Gateway saw it come from (`requestContext.http.sourceIp`).
//!
//! Neither is ever a reason to refuse a request: a value that does not parse (an empty or
//! control-laden header, an address that is none) is recorded as absent.

use lambda_http::http::header;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};

use crate::domain::{SessionOrigin, SourceIp, UserAgent};

/// The origin a session started by `request` records.
pub(super) fn session_origin(request: &Request) -> SessionOrigin {
    let user_agent = (request.headers().get(header::USER_AGENT))
        .and_then(|value| UserAgent::parse(&String::from_utf8_lossy(value.as_bytes())).ok());
    let source_ip = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.http.source_ip.as_deref(),
        _ => None,
    };
    SessionOrigin {
        user_agent,
        source_ip: source_ip.and_then(|raw| SourceIp::parse(raw).ok()),
    }
}
