//! The table's definition, for tooling and tests (`template.yaml` declares the same for AWS).

use anyhow::Context;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, CreateGlobalSecondaryIndexAction, GlobalSecondaryIndex,
    GlobalSecondaryIndexUpdate, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType,
};

use super::PARTITION_KEY;
use super::session_item::{SESSIONS_INDEX, USER_ATTRIBUTE};

/// Creates the accounts table (string partition key `pk`, on-demand billing, the sessions
/// index) unless a table of that name exists, and adds the index to one made before it
/// existed. Returns whether it created the table.
///
/// The Lambda function never calls this (its role may not create tables); `make run` and the
/// integration tests do, against DynamoDB Local.
pub async fn create_table_if_missing(client: &Client, table: &str) -> anyhow::Result<bool> {
    let created = client
        .create_table()
        .table_name(table)
        .attribute_definitions(string_attribute(PARTITION_KEY)?)
        .attribute_definitions(string_attribute(USER_ATTRIBUTE)?)
        .key_schema(hash_key(PARTITION_KEY)?)
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(SESSIONS_INDEX)
                .key_schema(hash_key(USER_ATTRIBUTE)?)
                .projection(every_attribute())
                .build()?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await;
    match created {
        Ok(_) => Ok(true),
        Err(e) if e.code() == Some("ResourceInUseException") => {
            add_sessions_index_if_missing(client, table).await?;
            Ok(false)
        }
        Err(e) => Err(e).with_context(|| format!("creating table {table}")),
    }
}

async fn add_sessions_index_if_missing(client: &Client, table: &str) -> anyhow::Result<()> {
    let described = client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .with_context(|| format!("describing table {table}"))?;
    let has_index = described
        .table()
        .map(|table| table.global_secondary_indexes())
        .is_some_and(|indexes| {
            indexes
                .iter()
                .any(|index| index.index_name() == Some(SESSIONS_INDEX))
        });
    if has_index {
        return Ok(());
    }
    client
        .update_table()
        .table_name(table)
        .attribute_definitions(string_attribute(USER_ATTRIBUTE)?)
        .global_secondary_index_updates(
            GlobalSecondaryIndexUpdate::builder()
                .create(
                    CreateGlobalSecondaryIndexAction::builder()
                        .index_name(SESSIONS_INDEX)
                        .key_schema(hash_key(USER_ATTRIBUTE)?)
                        .projection(every_attribute())
                        .build()?,
                )
                .build(),
        )
        .send()
        .await
        .with_context(|| format!("adding index {SESSIONS_INDEX} to table {table}"))?;
    Ok(())
}

fn string_attribute(name: &str) -> anyhow::Result<AttributeDefinition> {
    Ok(AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()?)
}

fn hash_key(name: &str) -> anyhow::Result<KeySchemaElement> {
    Ok(KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(KeyType::Hash)
        .build()?)
}

/// The sessions index holds whole session items: the list of an account's sessions reads them
/// from it.
fn every_attribute() -> Projection {
    Projection::builder()
        .projection_type(ProjectionType::All)
        .build()
}
