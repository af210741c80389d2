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

/// Answers every request with `status` and the JSON `body`; counts the requests.
#[derive(Debug, Clone)]
pub struct Canned {
    status: u16,
    body: String,
    requests: Arc<AtomicUsize>,
}

impl Canned {
    pub fn new(status: u16, body: impl ToString) -> Self {
        Self {
            status,
            body: body.to_string(),
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
        self.requests.fetch_add(1, Ordering::SeqCst);
        let status = StatusCode::try_from(self.status).expect("valid status");
        let mut response = HttpResponse::new(status, SdkBody::from(self.body.clone()));
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.1");
        HttpConnectorFuture::ready(Ok(response))
    }
}
