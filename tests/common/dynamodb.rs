//! A private table in DynamoDB Local, and an SDK interceptor that records every call.

use std::sync::{Arc, Mutex};

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::BoxError;
use aws_sdk_dynamodb::types::{AttributeValue, Select};
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_types::config_bag::{Storable, StoreReplace};
use user_service::adapters::dynamodb::{DynamoDbStore, create_table_if_missing};

use super::TestApp;

/// A fresh table in DynamoDB Local and a client that records its calls.
pub struct Local {
    pub client: Client,
    pub table: String,
    pub calls: Calls,
}

impl Local {
    pub async fn new() -> Self {
        assert!(
            std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some(),
            "AWS_ENDPOINT_URL_DYNAMODB is not set: these tests need DynamoDB Local; \
             run them with `make test`, which starts one"
        );
        let calls = Calls::default();
        let client = client_with(&calls).await;
        let table = format!("users-{}", uuid::Uuid::new_v4());
        let created = create_table_if_missing(&client, &table)
            .await
            .expect("table created");
        assert!(created);
        calls.take();
        Self {
            client,
            table,
            calls,
        }
    }

    pub fn store(&self) -> DynamoDbStore {
        DynamoDbStore::new(self.client.clone(), self.table.as_str())
    }

    pub fn app(&self) -> TestApp<DynamoDbStore> {
        super::app(self.store())
    }

    /// How many items the table holds besides account events (a strongly consistent scan).
    pub async fn item_count(&self) -> i32 {
        self.count("attribute_not_exists(#kind) OR #kind <> :event")
            .await
    }

    /// How many account events the table holds (the outbox's items).
    pub async fn event_count(&self) -> i32 {
        self.count("#kind = :event").await
    }

    async fn count(&self, filter: &str) -> i32 {
        let output = self
            .client
            .scan()
            .table_name(&self.table)
            .select(Select::Count)
            .filter_expression(filter)
            .expression_attribute_names("#kind", "kind")
            .expression_attribute_values(":event", AttributeValue::S("event".to_owned()))
            .consistent_read(true)
            .send()
            .await
            .expect("scannable");
        self.calls.take();
        output.count()
    }
}

/// A client configured from the environment, like the Lambda's, plus the recording interceptor.
pub async fn client_with(calls: &Calls) -> Client {
    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let config = aws_sdk_dynamodb::config::Builder::from(&sdk)
        .interceptor(calls.clone())
        .build();
    Client::from_conf(config)
}

/// Every operation the client executed, with whether it succeeded, whether it wrote an
/// account's version and how many items it wrote, and every attempt it made.
#[derive(Debug, Clone, Default)]
pub struct Calls {
    executions: Arc<Mutex<Vec<Execution>>>,
    attempts: Arc<Mutex<usize>>,
}

#[derive(Debug)]
struct Execution {
    name: String,
    ok: bool,
    versioned: bool,
    items: usize,
}

/// What an operation's request says, noted before it is sent for the record made after it
/// ran: whether it names the account's version (an account write, not a failure count), and
/// how many items a transaction of writes holds.
#[derive(Debug, Clone, Copy)]
struct Sent {
    versioned: bool,
    items: usize,
}

impl Storable for Sent {
    type Storer = StoreReplace<Self>;
}

impl Calls {
    /// The operations executed since the last `take`, in order, and forgets them.
    pub fn take(&self) -> Vec<String> {
        let mut executions = self.executions.lock().expect("not poisoned");
        std::mem::take(&mut *executions)
            .into_iter()
            .map(|execution| execution.name)
            .collect()
    }

    /// The write units on-demand billing charges for what succeeded since the last `take`,
    /// for items under 1 KB (all of ours): 1 per `PutItem`, `UpdateItem` or `DeleteItem`, 2
    /// per item of a `TransactWriteItems` (condition checks included).
    pub fn write_units(&self) -> usize {
        let executions = self.executions.lock().expect("not poisoned");
        (executions.iter().filter(|execution| execution.ok))
            .map(|execution| match execution.name.as_str() {
                "PutItem" | "UpdateItem" | "DeleteItem" => 1,
                "TransactWriteItems" => 2 * execution.items,
                _ => 0,
            })
            .sum()
    }

    /// How many executions of `operation` succeeded since the last `take`.
    pub fn succeeded(&self, operation: &str) -> usize {
        let executions = self.executions.lock().expect("not poisoned");
        executions
            .iter()
            .filter(|execution| execution.name == operation && execution.ok)
            .count()
    }

    /// How many executions of `operation` that wrote an account's version succeeded.
    pub fn succeeded_versioned(&self, operation: &str) -> usize {
        let executions = self.executions.lock().expect("not poisoned");
        executions
            .iter()
            .filter(|execution| execution.name == operation && execution.ok && execution.versioned)
            .count()
    }

    /// How many HTTP attempts were made, retries included.
    pub fn attempts(&self) -> usize {
        *self.attempts.lock().expect("not poisoned")
    }
}

impl Intercept for Calls {
    fn name(&self) -> &'static str {
        "RecordCalls"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        *self.attempts.lock().expect("not poisoned") += 1;
        let body = context.request().body().bytes().unwrap_or_default();
        let versioned = body.windows(8).any(|w| w == b"#version");
        let items = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|request| request["TransactItems"].as_array().map(Vec::len))
            .unwrap_or(1);
        cfg.interceptor_state().store_put(Sent { versioned, items });
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let name = cfg
            .load::<Metadata>()
            .map_or("?", Metadata::name)
            .to_owned();
        let ok = context
            .output_or_error()
            .is_some_and(|result| result.is_ok());
        let sent = cfg.load::<Sent>().copied().unwrap_or(Sent {
            versioned: false,
            items: 1,
        });
        self.executions
            .lock()
            .expect("not poisoned")
            .push(Execution {
                name,
                ok,
                versioned: sent.versioned,
                items: sent.items,
            });
        Ok(())
    }
}
