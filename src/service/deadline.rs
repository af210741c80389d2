//! The time budget of the request being served, known to every retry without being passed
//! through every call.
//!
//! The HTTP layer runs each request [`within`] its budget: past it, the request is cut off and
//! answered 503. A retry that would only start waiting after the budget is gone gives up at
//! once instead (`retrying`), so the client hears "unavailable" now rather than a deadline
//! later. Outside a request (the service tests) there is no budget.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

tokio::task_local! {
    static DEADLINE: Instant;
}

/// The request's budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the request ran out of its time budget")]
pub struct OutOfTime;

/// Runs `work` with `budget` to finish it, cancelling it when the budget runs out.
pub async fn within<F: Future>(budget: Duration, work: F) -> Result<F::Output, OutOfTime> {
    let deadline = Instant::now() + budget;
    DEADLINE
        .scope(deadline, tokio::time::timeout_at(deadline, work))
        .await
        .map_err(|_| OutOfTime)
}

/// What is left of the current request's budget; `None` outside a request.
pub(super) fn remaining() -> Option<Duration> {
    DEADLINE
        .try_with(|deadline| deadline.saturating_duration_since(Instant::now()))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn work_within_its_budget_knows_what_is_left_and_is_cut_off_after() {
        assert_eq!(remaining(), None, "no request, no budget");

        let left = within(Duration::from_secs(10), async {
            tokio::time::sleep(Duration::from_secs(4)).await;
            remaining()
        })
        .await;
        assert_eq!(left, Ok(Some(Duration::from_secs(6))));

        let late = within(
            Duration::from_secs(1),
            tokio::time::sleep(Duration::from_secs(2)),
        )
        .await;
        assert_eq!(late, Err(OutOfTime));
    }
}
