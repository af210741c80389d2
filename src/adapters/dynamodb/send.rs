//! Sending a commit: one conditional `UpdateItem` or `PutItem` when the change set is a single
//! update or put (half the write capacity of a transaction), one `TransactWriteItems`
//! otherwise; and what a failure of either means for the port.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::DynamoDbStore;
use super::errors::{Role, cancellation, store_error};
use crate::service::{CommitError, StoreError};

impl DynamoDbStore {
    /// A single write needs no transaction: a conditional `UpdateItem` or `PutItem` is atomic
    /// on its own and costs half the write capacity.
    pub(super) async fn alone(
        &self,
        item: TransactWriteItem,
        role: Role,
    ) -> Result<(), CommitError> {
        match (item.update, item.put) {
            (Some(update), _) => self
                .client
                .update_item()
                .table_name(update.table_name)
                .set_key(Some(update.key))
                .update_expression(update.update_expression)
                .set_condition_expression(update.condition_expression)
                .set_expression_attribute_names(update.expression_attribute_names)
                .set_expression_attribute_values(update.expression_attribute_values)
                .send()
                .await
                .map(drop)
                .map_err(|e| single_write_error(e, role, "updating an item")),
            (None, Some(put)) => self
                .client
                .put_item()
                .table_name(put.table_name)
                .set_item(Some(put.item))
                .set_condition_expression(put.condition_expression)
                .set_expression_attribute_names(put.expression_attribute_names)
                .set_expression_attribute_values(put.expression_attribute_values)
                .send()
                .await
                .map(drop)
                .map_err(|e| single_write_error(e, role, "putting an item")),
            (None, None) => Err(StoreError::Unexpected(anyhow::anyhow!(
                "only an update or a put is sent alone"
            ))
            .into()),
        }
    }

    pub(super) async fn transact(
        &self,
        items: Vec<(TransactWriteItem, Role)>,
    ) -> Result<(), CommitError> {
        let (items, roles): (Vec<_>, Vec<_>) = items.into_iter().unzip();
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(|e| {
                let explained = match e.as_service_error() {
                    Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => {
                        cancellation(&roles, cancelled.cancellation_reasons())
                    }
                    _ => None,
                };
                explained.unwrap_or_else(|| store_error(e, "writing a transaction").into())
            })?;
        Ok(())
    }
}

/// What a failed single-item write means: a failed condition is what the item's role says it
/// is (a stale read, a taken address), a `TransactionConflict` is contention, anything else
/// a store error.
fn single_write_error<E>(
    error: SdkError<E, HttpResponse>,
    role: Role,
    doing: &'static str,
) -> CommitError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match error
        .as_service_error()
        .and_then(ProvideErrorMetadata::code)
    {
        Some("ConditionalCheckFailedException") => match role.failure() {
            Some(failure) => failure,
            None => store_error(error, doing).into(),
        },
        Some("TransactionConflictException") => CommitError::Contended,
        _ => store_error(error, doing).into(),
    }
}
