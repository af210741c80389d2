//! Opening the connection to DynamoDB during the init phase, not in the first request.
//!
//! A fresh instance's first DynamoDB call pays for DNS, TCP and TLS before DynamoDB sees it.
//! Made at cold start, concurrently with the secret fetches the function waits for anyway, that
//! cost overlaps them, and the first request finds an open connection in the client's pool.

use anyhow::Context;

use super::DynamoDbStore;
use super::item::{PARTITION_KEY, s};

/// A key no item has: the read finds nothing, and changes nothing.
const NO_ITEM: &str = "WARM-UP#";

impl DynamoDbStore {
    /// One eventually consistent `GetItem` of a key no item has: half a read unit per cold
    /// start, within the permissions the function has anyway.
    pub async fn warm_up(&self) -> anyhow::Result<()> {
        self.client
            .get_item()
            .table_name(&*self.table)
            .key(PARTITION_KEY, s(NO_ITEM))
            .send()
            .await
            .context("opening a connection to DynamoDB")?;
        Ok(())
    }
}
