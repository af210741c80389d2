//! The table's definition, for tooling and tests (`template.yaml` declares the same for AWS).

use anyhow::Context;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};

use super::PARTITION_KEY;

/// Creates the accounts table (string partition key `pk`, on-demand billing) unless a table of
/// that name exists. Returns whether it created one.
///
/// The Lambda function never calls this (its role may not create tables); `make run` and the
/// integration tests do, against DynamoDB Local.
pub async fn create_table_if_missing(client: &Client, table: &str) -> anyhow::Result<bool> {
    let created = client
        .create_table()
        .table_name(table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(PARTITION_KEY)
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name(PARTITION_KEY)
                .key_type(KeyType::Hash)
                .build()?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await;
    match created {
        Ok(_) => Ok(true),
        Err(e) if e.code() == Some("ResourceInUseException") => Ok(false),
        Err(e) => Err(e).with_context(|| format!("creating table {table}")),
    }
}
