//! The production [`AccountStore`]: one DynamoDB table, conditional writes, one request per
//! commit.
//!
//! | operation | calls |
//! |---|---|
//! | read an account | one strongly consistent `GetItem` |
//! | commit one status or password-hash change | one `UpdateItem` conditioned on the version read |
//! | commit anything else | one `TransactWriteItems` (see [`writes`] for what each change writes) |
//! | … with an e-mail move in it | plus one `GetItem` of the account to copy, checked against the version read |
//!
//! A commit is the only write path, and each is a single request that DynamoDB applies
//! entirely or not at all, so no failure can leave half an account behind. Which endpoint the
//! client talks to (AWS, or DynamoDB Local via `AWS_ENDPOINT_URL_DYNAMODB`) is the SDK's
//! business: nothing here knows about local mode.

mod errors;
mod item;
mod table;
mod writes;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};

use self::errors::{Role, cancellation, store_error};
use self::item::{Item, attr, s};
use self::writes::Writes;
use crate::domain::{Email, Revision, User};
use crate::service::{AccountStore, Change, CommitError, StoreError, each_record_once, unix_now};

pub use self::item::PARTITION_KEY;
pub use self::table::create_table_if_missing;

/// Every DynamoDB API the store calls, with the IAM actions they need. `TransactWriteItems`
/// has no IAM action of its own: each item in it is authorised as the single-item call it
/// stands for, and the store's transactions hold `Put`s, `Update`s and `Delete`s.
/// `template.yaml` grants exactly these actions (a test holds the two together, and another
/// records the calls actually made).
pub const OPERATIONS: [(&str, &[&str]); 3] = [
    ("GetItem", &["dynamodb:GetItem"]),
    (
        "TransactWriteItems",
        &[
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
        ],
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

    fn writes(&self, now: u64) -> Writes<'_> {
        Writes {
            table: &self.table,
            now,
        }
    }

    async fn get(&self, key: Item, doing: &'static str) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&*self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| store_error(e, doing))?;
        Ok(output.item)
    }

    /// The stored account item `account` was read from, provided it is still at that version.
    async fn read_again(&self, account: &Revision) -> Result<Item, CommitError> {
        let found = self
            .get(item::email_key(account.key()), "reading an account to move")
            .await?
            .ok_or(CommitError::Conflict)?;
        let current = item::parse_account(&found)
            .context("parsing an account to move")
            .map_err(StoreError::Unexpected)?;
        if current.revision() == account {
            Ok(found)
        } else {
            Err(CommitError::Conflict)
        }
    }

    /// A single change to one item needs no transaction: a conditional `UpdateItem` is atomic
    /// on its own and costs half the write capacity.
    async fn update_alone(&self, update: Update) -> Result<(), CommitError> {
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
                Some(other) if other.code() == Some("TransactionConflictException") => {
                    CommitError::Contended
                }
                _ => store_error(e, "updating an account").into(),
            })?;
        Ok(())
    }

    async fn transact(&self, changes: Vec<Change>, now: u64) -> Result<(), CommitError> {
        let writes = self.writes(now);
        let mut items: Vec<(TransactWriteItem, Role)> = Vec::with_capacity(changes.len() * 3);
        for change in changes {
            if let Some(update) = field_update(&writes, &change) {
                let update = update.map_err(StoreError::Unexpected)?;
                items.push((
                    TransactWriteItem::builder().update(update).build(),
                    Role::Versioned,
                ));
                continue;
            }
            let built = match change {
                Change::Create(user) => writes
                    .create(
                        item::account_item(user.stored(), now),
                        item::id_item(user.stored()),
                    )
                    .map(Vec::from),
                // Both are field updates, written above.
                Change::SetStatus { .. } | Change::ReplaceHash { .. } => {
                    Err(anyhow::anyhow!("a field update reached the item builders"))
                }
                Change::MoveEmail { account, to } => {
                    let stored = self.read_again(&account).await?;
                    writes.move_email(&account, stored, &to).map(Vec::from)
                }
                Change::Delete { account } => writes.delete(&account).map(Vec::from),
            };
            items.extend(built.map_err(StoreError::Unexpected)?);
        }
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

/// The `UpdateItem` of a change that sets fields of one account item (`SetStatus`,
/// `ReplaceHash`), whether sent alone or inside a transaction; `None` for other changes.
fn field_update(writes: &Writes<'_>, change: &Change) -> Option<anyhow::Result<Update>> {
    match change {
        Change::SetStatus { account, active } => {
            Some(writes.update(account, &[(attr::ACTIVE, AttributeValue::Bool(*active))]))
        }
        Change::ReplaceHash { account, hash } => {
            Some(writes.update(account, &[(attr::PASSWORD_HASH, s(hash.expose()))]))
        }
        Change::Create(_) | Change::MoveEmail { .. } | Change::Delete { .. } => None,
    }
}

impl AccountStore for DynamoDbStore {
    async fn find_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        self.get(item::email_key(email), "reading an account")
            .await?
            .map(|found| item::parse_account(&found))
            .transpose()
            .context("parsing a stored account")
            .map_err(StoreError::Unexpected)
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        each_record_once(&changes)?;
        let now = unix_now();
        let alone = match changes.as_slice() {
            [] => return Ok(()),
            [only] => field_update(&self.writes(now), only),
            _ => None,
        };
        match alone {
            Some(update) => {
                self.update_alone(update.map_err(StoreError::Unexpected)?)
                    .await
            }
            None => self.transact(changes, now).await,
        }
    }
}
