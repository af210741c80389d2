//! The table's definition, for tooling and tests (`template.yaml` declares the same for AWS).

use anyhow::Context;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, CreateGlobalSecondaryIndexAction, GlobalSecondaryIndex,
    GlobalSecondaryIndexUpdate, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, StreamSpecification, StreamViewType,
};

use super::PARTITION_KEY;
use super::event_item::{self, EVENTS_INDEX};
use super::session_item::{SESSIONS_INDEX, USER_ATTRIBUTE};

/// A secondary index as the table declares it.
struct Index {
    name: &'static str,
    hash: (&'static str, ScalarAttributeType),
    range: Option<(&'static str, ScalarAttributeType)>,
    projection: ProjectionType,
}

/// The table's indexes: an account's sessions (their keys), and its events (whole, newest
/// first by `sequence`).
fn indexes() -> [Index; 2] {
    [
        Index {
            name: SESSIONS_INDEX,
            hash: (USER_ATTRIBUTE, ScalarAttributeType::S),
            range: None,
            projection: ProjectionType::KeysOnly,
        },
        Index {
            name: EVENTS_INDEX,
            hash: (event_item::USER, ScalarAttributeType::S),
            range: Some((event_item::SEQUENCE, ScalarAttributeType::N)),
            projection: ProjectionType::All,
        },
    ]
}

/// Creates the accounts table (string partition key `pk`, on-demand billing, the indexes, a
/// stream of new images for the outbox) unless a table of that name exists, and adds the
/// indexes a table made before them lacks. Returns whether it created the table.
pub async fn create_table_if_missing(client: &Client, table: &str) -> anyhow::Result<bool> {
    let mut create = client
        .create_table()
        .table_name(table)
        .attribute_definitions(attribute(PARTITION_KEY, ScalarAttributeType::S)?)
        .key_schema(key(PARTITION_KEY, KeyType::Hash)?)
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewImage)
                .build()?,
        );
    for index in indexes() {
        for definition in index.attributes()? {
            create = create.attribute_definitions(definition);
        }
        create = create.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(index.name)
                .set_key_schema(Some(index.key_schema()?))
                .projection(index.projection())
                .build()?,
        );
    }
    match create.send().await {
        Ok(_) => Ok(true),
        Err(e) if e.code() == Some("ResourceInUseException") => {
            add_indexes_if_missing(client, table).await?;
            Ok(false)
        }
        Err(e) => Err(e).with_context(|| format!("creating table {table}")),
    }
}

/// Adds each index the existing `table` lacks, one at a time (DynamoDB creates one per update).
async fn add_indexes_if_missing(client: &Client, table: &str) -> anyhow::Result<()> {
    let described = client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .with_context(|| format!("describing table {table}"))?;
    let existing: Vec<String> = described
        .table()
        .map(|table| table.global_secondary_indexes())
        .unwrap_or_default()
        .iter()
        .filter_map(|index| index.index_name().map(str::to_owned))
        .collect();
    for index in indexes() {
        if existing.iter().any(|name| name == index.name) {
            continue;
        }
        client
            .update_table()
            .table_name(table)
            .set_attribute_definitions(Some(index.attributes()?))
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder()
                    .create(
                        CreateGlobalSecondaryIndexAction::builder()
                            .index_name(index.name)
                            .set_key_schema(Some(index.key_schema()?))
                            .projection(index.projection())
                            .build()?,
                    )
                    .build(),
            )
            .send()
            .await
            .with_context(|| format!("adding index {} to table {table}", index.name))?;
    }
    Ok(())
}

impl Index {
    fn attributes(&self) -> anyhow::Result<Vec<AttributeDefinition>> {
        let mut attributes = vec![attribute(self.hash.0, self.hash.1.clone())?];
        if let Some((name, kind)) = &self.range {
            attributes.push(attribute(name, kind.clone())?);
        }
        Ok(attributes)
    }

    fn key_schema(&self) -> anyhow::Result<Vec<KeySchemaElement>> {
        let mut schema = vec![key(self.hash.0, KeyType::Hash)?];
        if let Some((name, _)) = &self.range {
            schema.push(key(name, KeyType::Range)?);
        }
        Ok(schema)
    }

    fn projection(&self) -> Projection {
        Projection::builder()
            .projection_type(self.projection.clone())
            .build()
    }
}

fn attribute(name: &str, kind: ScalarAttributeType) -> anyhow::Result<AttributeDefinition> {
    Ok(AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(kind)
        .build()?)
}

fn key(name: &str, kind: KeyType) -> anyhow::Result<KeySchemaElement> {
    Ok(KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()?)
}
