//! Which request the work in progress serves, known to the unit of work (which stamps it on
//! the events it buffers) without being passed through every use case.
//!
//! The HTTP layer runs each request [`serving`] its id (API Gateway's, or Lambda's when API
//! Gateway sent none). Outside a request (the service tests, a script) there is none, and the
//! events say so with a `request_id` of null.

use std::future::Future;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `work` as the request `id`, if there is one.
pub async fn serving<F: Future>(id: Option<String>, work: F) -> F::Output {
    match id {
        Some(id) => REQUEST_ID.scope(id, work).await,
        None => work.await,
    }
}

/// The id of the request being served, if any.
pub(super) fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_serving_a_request_knows_its_id_and_other_work_does_not() {
        assert_eq!(request_id(), None);
        let inside = serving(Some("req-1".to_owned()), async { request_id() }).await;
        assert_eq!(inside.as_deref(), Some("req-1"));
        assert_eq!(serving(None, async { request_id() }).await, None);
    }
}
