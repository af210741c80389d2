//! Creates the accounts table named by `TABLE_NAME` unless it exists, in whichever DynamoDB the
//! environment points the SDK at (`make run` points it at DynamoDB Local). In AWS, the SAM
//! template creates the table instead.
//!
//! ```sh
//! TABLE_NAME=users AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 cargo run --example create_table
//! ```

use anyhow::Context;
use aws_config::BehaviorVersion;
use user_service::adapters::dynamodb::create_table_if_missing;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let table = std::env::var("TABLE_NAME").context("TABLE_NAME must be set")?;
    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    if create_table_if_missing(&client, &table).await? {
        println!("created table {table}");
    } else {
        println!("table {table} already exists");
    }
    Ok(())
}
