//! The production [`AccountStore`]: one DynamoDB table, conditional writes, one request per
//! commit.
//!
//! | operation | calls |
//! |---|---|
//! | read an account | one strongly consistent `GetItem` |
//! | commit one new account | one `TransactWriteItems`: two `Put`s, each `attribute_not_exists(pk)` |
//! | commit one status change | one `UpdateItem` conditioned on the version read |
//!
//! A commit is the only write path, and each is a single request that DynamoDB applies
//! entirely or not at all, so no failure can leave half an account behind. Which endpoint the
//! client talks to (AWS, or DynamoDB Local via `AWS_ENDPOINT_URL_DYNAMODB`) is the SDK's
//! business: nothing here knows about local mode.

mod errors;
mod item;
mod table;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};

use self::errors::{Role, cancellation, store_error};
use self::item::{attr, n};
use crate::domain::{Email, User};
use crate::service::{AccountStore, Change, CommitError, StoreError};

pub use self::item::PARTITION_KEY;
pub use self::table::create_table_if_missing;

/// Every DynamoDB API the store calls, with the IAM actions they need. `TransactWriteItems`
/// has no IAM action of its own: each item in it is authorised as the single-item call it
/// stands for, and the store's transactions hold `Put`s and version-checked `Update`s.
/// `template.yaml` grants exactly these actions (a test holds the two together, and another
/// records the calls actually made).
pub const OPERATIONS: [(&str, &[&str]); 3] = [
    ("GetItem", &["dynamodb:GetItem"]),
    (
        "TransactWriteItems",
        &["dynamodb:PutItem", "dynamodb:UpdateItem"],
    ),
    ("UpdateItem", &["dynamodb:UpdateItem"]),
];

/// The longest a DynamoDB call may take, retries included. Calls normally take milliseconds;
/// giving up well within the function's timeout means a client gets our 503 with
/// `Retry-After` instead of a gateway timeout. A request makes at most two calls per attempt.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// A DynamoDB client for this service: the shared SDK settings (region, credentials, endpoint)
/// plus time limits sized for a request/response API.
pub fn client(sdk: &SdkConfig) -> Client {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build();
    let config = aws_sdk_dynamodb::config::Builder::from(sdk)
        .timeout_config(timeouts)
        .build();
    Client::from_conf(config)
}

/// Accounts in one DynamoDB table. Cheap to clone: the SDK client is shared.
#[derive(Debug, Clone)]
pub struct DynamoDbStore {
    client: Client,
    table: Arc<str>,
}

impl DynamoDbStore {
    pub fn new(client: Client, table: impl Into<Arc<str>>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn new_account(&self, user: &User, now: u64) -> anyhow::Result<[TransactWriteItem; 2]> {
        let put = |item| {
            Put::builder()
                .table_name(&*self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", PARTITION_KEY)
                .build()
                .map(|put| TransactWriteItem::builder().put(put).build())
        };
        Ok([
            put(item::account_item(user, now)).context("building the account item")?,
            put(item::id_item(user, now)).context("building the user id item")?,
        ])
    }

    /// The version-checked write of a changed account's status. Only attributes that a status
    /// change may touch are set; the condition makes it fail if anyone wrote in between.
    fn status_update(&self, user: &User, now: u64) -> anyhow::Result<Update> {
        Update::builder()
            .table_name(&*self.table)
            .set_key(Some(item::email_key(user.email())))
            .update_expression("SET #active = :active, #version = :next, #updated_at = :now")
            .condition_expression("#version = :read")
            .expression_attribute_names("#active", attr::ACTIVE)
            .expression_attribute_names("#version", attr::VERSION)
            .expression_attribute_names("#updated_at", attr::UPDATED_AT)
            .expression_attribute_values(":active", AttributeValue::Bool(user.is_active()))
            .expression_attribute_values(":read", n(user.version()))
            .expression_attribute_values(":next", n(user.version() + 1))
            .expression_attribute_values(":now", n(now))
            .build()
            .context("building the status update")
    }

    /// A single change to an existing account needs no transaction: a conditional `UpdateItem`
    /// is atomic on its own and costs half the write capacity.
    async fn update(&self, user: &User, now: u64) -> Result<(), CommitError> {
        let update = self
            .status_update(user, now)
            .map_err(StoreError::Unexpected)?;
        self.client
            .update_item()
            .table_name(update.table_name)
            .set_key(Some(update.key))
            .update_expression(update.update_expression)
            .set_condition_expression(update.condition_expression)
            .set_expression_attribute_names(update.expression_attribute_names)
            .set_expression_attribute_values(update.expression_attribute_values)
            .send()
            .await
            .map_err(|e| match e.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(_)) => CommitError::Conflict,
                _ => store_error(e, "updating an account").into(),
            })?;
        Ok(())
    }

    async fn transact(&self, changes: &[Change], now: u64) -> Result<(), CommitError> {
        let mut items = Vec::with_capacity(changes.len() * 2);
        let mut roles = Vec::with_capacity(changes.len() * 2);
        for change in changes {
            match change {
                Change::Insert(user) => {
                    items.extend(
                        self.new_account(user, now)
                            .map_err(StoreError::Unexpected)?,
                    );
                    roles.extend([Role::NewAccount, Role::NewUserId]);
                }
                Change::Update(user) => {
                    let update = self
                        .status_update(user, now)
                        .map_err(StoreError::Unexpected)?;
                    items.push(TransactWriteItem::builder().update(update).build());
                    roles.push(Role::Update);
                }
            }
        }
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

impl AccountStore for DynamoDbStore {
    async fn find_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&*self.table)
            .set_key(Some(item::email_key(email)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| store_error(e, "reading an account"))?;
        output
            .item
            .map(|found| item::parse_account(&found))
            .transpose()
            .context("parsing a stored account")
            .map_err(StoreError::Unexpected)
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        let now = unix_time();
        match changes.as_slice() {
            [] => Ok(()),
            [Change::Update(user)] => self.update(user, now).await,
            changes => self.transact(changes, now).await,
        }
    }
}

fn unix_time() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
