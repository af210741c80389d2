//! An HTTP client for the AWS SDK that answers every request with one canned response, so
//! that failures real services produce but local stand-ins do not (throttling, conflicts,
//! denied access) go through the SDK's real parsing and retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

/// Answers requests with canned statuses and JSON bodies, in order, the last one for every
/// request after it; counts the requests.
#[derive(Debug, Clone)]
pub struct Canned {
    responses: Arc<Vec<(u16, String)>>,
    requests: Arc<AtomicUsize>,
}

impl Canned {
    /// Answers every request with `status` and `body`.
    pub fn new(status: u16, body: impl ToString) -> Self {
        Self::sequence([(status, body)])
    }

    /// Answers the first request with the first response, and so on.
    pub fn sequence<B: ToString>(responses: impl IntoIterator<Item = (u16, B)>) -> Self {
        let responses: Vec<_> = responses
            .into_iter()
            .map(|(status, body)| (status, body.to_string()))
            .collect();
        assert!(!responses.is_empty(), "at least one response");
        Self {
            responses: Arc::new(responses),
            requests: Arc::default(),
        }
    }

    /// The client to give an SDK config's `http_client`.
    pub fn client(&self) -> SharedHttpClient {
        let canned = self.clone();
        http_client_fn(move |_, _| SharedHttpConnector::new(canned.clone()))
    }

    /// How many requests were answered, retries included.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl HttpConnector for Canned {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let n = self.requests.fetch_add(1, Ordering::SeqCst);
        let (status, body) = &self.responses[n.min(self.responses.len() - 1)];
        let status = StatusCode::try_from(*status).expect("valid status");
        let mut response = HttpResponse::new(status, SdkBody::from(body.clone()));
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.1");
        HttpConnectorFuture::ready(Ok(response))
    }
}
