//! Reading items together, as of one moment: one `TransactGetItems`.
//!
//! DynamoDB cancels such a read while a write to one of its items is in flight
//! (`TransactionCanceledException`, reason `TransactionConflict`). That is contention on a busy
//! address (a code being used, a burst of guesses), not a fault: the read is tried again after a
//! short random wait, a few times, and then answered as unavailable (503, try again), never as
//! unexpected (500). DynamoDB Local does not cancel reads, so `errors_tests` shows this on
//! canned responses.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_get_items::{
    TransactGetItemsError, TransactGetItemsOutput,
};
use aws_sdk_dynamodb::types::TransactGetItem;

use super::DynamoDbStore;
use super::errors::store_error;
use crate::service::StoreError;

/// Reads of one moment, tried at most this often while writes cancel them.
const READS: u32 = 4;

impl DynamoDbStore {
    /// `items`, read together; `doing` says what for, in the log.
    pub(super) async fn read_together(
        &self,
        items: Vec<TransactGetItem>,
        doing: &'static str,
    ) -> Result<TransactGetItemsOutput, StoreError> {
        let mut attempt = 1;
        loop {
            let read = self
                .client
                .transact_get_items()
                .set_transact_items(Some(items.clone()))
                .send()
                .await;
            match read {
                Ok(output) => return Ok(output),
                Err(error) if cancelled(&error) && attempt < READS => {
                    tokio::time::sleep(wait(attempt)).await;
                    attempt += 1;
                }
                Err(error) if cancelled(&error) => {
                    let error = anyhow::Error::new(error).context(doing);
                    return Err(StoreError::Unavailable(
                        error.context("writes to these items kept cancelling the read"),
                    ));
                }
                Err(error) => return Err(store_error(error, doing)),
            }
        }
    }
}

fn cancelled<R>(error: &SdkError<TransactGetItemsError, R>) -> bool {
    matches!(
        error.as_service_error(),
        Some(TransactGetItemsError::TransactionCanceledException(_))
    )
}

/// A random wait below 20 ms, the cap doubling with each attempt ("full jitter"; a fresh `RandomState`
/// hashes with new random keys, randomness enough for that).
fn wait(attempt: u32) -> Duration {
    let cap = Duration::from_millis(10 << attempt.min(4));
    let random = RandomState::new().hash_one(attempt);
    cap.mul_f64(random as f64 / u64::MAX as f64)
}
