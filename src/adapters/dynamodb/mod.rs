//! The production [`AccountStore`]: one DynamoDB table, conditional writes, one request per
//! commit.
//!
//! | operation | calls |
//! |---|---|
//! | read an account or a session | one strongly consistent `GetItem` |
//! | read an account by id (admin) | two: the id item, then the account's (a third and fourth if it moved meanwhile) |
//! | list a page of accounts (admin) | one `Scan` or more ([`listing`]) |
//! | list an account's sessions (their ids) | one `Query` of the `sessions-by-user` index (a page per megabyte), eventually consistent |
//! | read an account's sessions whole | that `Query`, then one strongly consistent `BatchGetItem` per 100 sessions ([`session_index`]) |
//! | read an address with its code record of one purpose | one `TransactGetItems` of the two items (a consistent snapshot) |
//! | commit a change that is one update or one put (a status, a hash, a session) | one conditional `UpdateItem` or `PutItem` |
//! | commit anything else | one `TransactWriteItems` (see [`writes`] for what each change writes) |
//! | … with an e-mail move in it | plus one `GetItem` of the account to copy, checked against the version read |
//!
//! A commit is the only write path, and each is a single request that DynamoDB applies
//! entirely or not at all, so no failure can leave half an account behind. Which endpoint the
//! client talks to (AWS, or DynamoDB Local via `AWS_ENDPOINT_URL_DYNAMODB`) is the SDK's
//! business: nothing here knows about local mode.

mod challenge_item;
mod changes;
mod code_item;
mod errors;
mod event_item;
mod failure_writes;
mod fields;
mod item;
mod listing;
mod read_together;
mod second_factor_item;
mod send;
mod session_index;
mod session_item;
mod session_writes;
mod table;
mod warm_up;
mod writes;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{Get, TransactGetItem};

use self::errors::store_error;
use self::item::Item;
use self::writes::Writes;
use crate::domain::{
    AccountCursor, AccountEvent, ChallengeId, CodePurpose, CodeRecord, Email, EmailPrefix,
    MfaChallenge, Session, SessionId, UserId,
};
use crate::service::{
    AccountPage, AccountRecord, AccountStore, AtAddress, Change, Clock, CommitError, StoreError,
    writable_at_once,
};

pub use self::event_item::EVENTS_INDEX;
pub use self::item::PARTITION_KEY;
pub use self::session_item::SESSIONS_INDEX;
/// The attribute DynamoDB's time to live reads (`template.yaml` enables it): session items,
/// attempts items and code records carry it, accounts never.
pub const TTL_ATTRIBUTE: &str = item::attr::EXPIRES_AT;
pub use self::table::create_table_if_missing;

/// Every DynamoDB API the store calls, with the IAM actions they need. `TransactWriteItems`
/// has no IAM action of its own: each item in it is authorised as the single-item call it
/// stands for, and the store's transactions hold `Put`s, `Update`s, `Delete`s and
/// `ConditionCheck`s.
/// `template.yaml` grants exactly these actions (a test holds the two together, and another
/// records the calls actually made).
pub const OPERATIONS: [(&str, &[&str]); 8] = [
    ("GetItem", &["dynamodb:GetItem"]),
    // An account's sessions, by the keys its index lists (up to 100 a call).
    ("BatchGetItem", &["dynamodb:BatchGetItem"]),
    // Like TransactWriteItems, no action of its own: each item is authorised as a GetItem.
    ("TransactGetItems", &["dynamodb:GetItem"]),
    (
        "TransactWriteItems",
        &[
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
        ],
    ),
    ("UpdateItem", &["dynamodb:UpdateItem"]),
    ("PutItem", &["dynamodb:PutItem"]),
    ("Query", &["dynamodb:Query"]),
    // Listing accounts (admin): the table itself, filtered to account items.
    ("Scan", &["dynamodb:Scan"]),
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
    /// What `updated_at` records: the service's clock (`with_clock`), the system's by default.
    clock: Clock,
}

impl DynamoDbStore {
    pub fn new(client: Client, table: impl Into<Arc<str>>) -> Self {
        Self {
            client,
            table: table.into(),
            clock: Clock::system(),
        }
    }

    /// The same store, stamping its writes with `clock` (the one the use cases read).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    fn writes(&self, now: u64) -> Writes<'_> {
        Writes {
            table: &self.table,
            now,
        }
    }

    /// A read of `key` for [`read_together`](Self::read_together).
    fn get_together(&self, key: Item) -> Result<TransactGetItem, StoreError> {
        Get::builder()
            .table_name(&*self.table)
            .set_key(Some(key))
            .build()
            .map(|get| TransactGetItem::builder().get(get).build())
            .context("building a read of items together")
            .map_err(StoreError::Unexpected)
    }

    pub(super) async fn get(
        &self,
        key: Item,
        doing: &'static str,
    ) -> Result<Option<Item>, StoreError> {
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
}

impl AccountStore for DynamoDbStore {
    async fn find_at(&self, email: &Email) -> Result<AtAddress, StoreError> {
        let found = self
            .get(item::email_key(email), "reading an account")
            .await?;
        item::parse_address(found.as_ref())
            .context("parsing a stored account")
            .map_err(StoreError::Unexpected)
    }

    async fn find_codes(
        &self,
        email: &Email,
        purpose: CodePurpose,
    ) -> Result<(AtAddress, CodeRecord), StoreError> {
        let items = vec![
            self.get_together(item::email_key(email))?,
            self.get_together(code_item::codes_key(purpose, email))?,
        ];
        let output = self
            .read_together(items, "reading an address and its codes")
            .await?;
        let items = output.responses();
        let found = |i: usize| items.get(i).and_then(|response| response.item.as_ref());
        let parsed = (|| {
            let at = item::parse_address(found(0)).context("parsing a stored account")?;
            let codes = code_item::parse_codes(purpose, email, found(1))
                .context("parsing a stored code record")?;
            anyhow::Ok((at, codes))
        })();
        parsed.map_err(StoreError::Unexpected)
    }

    async fn find_challenge(
        &self,
        email: &Email,
        id: ChallengeId,
    ) -> Result<(AtAddress, Option<MfaChallenge>), StoreError> {
        let items = vec![
            self.get_together(item::email_key(email))?,
            self.get_together(challenge_item::challenge_key(id))?,
        ];
        let output = self
            .read_together(items, "reading an address and a challenge")
            .await?;
        let items = output.responses();
        let found = |i: usize| items.get(i).and_then(|response| response.item.as_ref());
        let parsed = (|| {
            let at = item::parse_address(found(0)).context("parsing a stored account")?;
            let challenge = found(1)
                .map(|item| challenge_item::parse_challenge(id, item))
                .transpose()
                .context("parsing a stored challenge")?;
            anyhow::Ok((at, challenge))
        })();
        parsed.map_err(StoreError::Unexpected)
    }

    async fn find_session(&self, id: SessionId) -> Result<Option<Session>, StoreError> {
        self.get(session_item::session_key(id), "reading a session")
            .await?
            .filter(|found| !session_item::is_legacy(found))
            .map(|found| session_item::parse_session(&found))
            .transpose()
            .context("parsing a stored session")
            .map_err(StoreError::Unexpected)
    }

    async fn events_of(
        &self,
        user: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AccountEvent>, StoreError> {
        self.query_events(user, before, limit).await
    }

    async fn sessions_of(&self, user: UserId) -> Result<Vec<SessionId>, StoreError> {
        (self.indexed_sessions(user).await?)
            .iter()
            .map(session_item::session_id)
            .collect::<anyhow::Result<_>>()
            .context("a session in the index")
            .map_err(StoreError::Unexpected)
    }

    async fn find_sessions_of(&self, user: UserId) -> Result<Vec<Session>, StoreError> {
        self.whole_sessions_of(user).await
    }

    async fn find_by_id(&self, id: UserId) -> Result<Option<AccountRecord>, StoreError> {
        self.record_by_id(id).await
    }

    async fn accounts(
        &self,
        prefix: &EmailPrefix,
        after: Option<&AccountCursor>,
        limit: usize,
    ) -> Result<AccountPage, StoreError> {
        self.page(prefix, after, limit).await
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        writable_at_once(&changes)?;
        let writes = self.writes(self.clock.now());
        let mut items = Vec::with_capacity(changes.len() * 2);
        for change in changes {
            items.extend(self.items(&writes, change).await?);
        }
        if items.len() > 1
            || items
                .first()
                .is_some_and(|(item, _)| item.update.is_none() && item.put.is_none())
        {
            return self.transact(items).await;
        }
        match items.pop() {
            Some((item, role)) => self.alone(item, role).await,
            None => Ok(()),
        }
    }
}
