//! Cold start: logs, settings, one DynamoDB client, then the Lambda event loop.
//!
//! Everything expensive is built here once and borrowed by every invocation. The runtime is
//! single-threaded: a Lambda instance handles one request at a time, and password hashing runs
//! on Tokio's blocking pool anyway, so worker threads would only add start-up time and memory.

use std::convert::Infallible;

use aws_config::BehaviorVersion;
use lambda_http::{Error, Request, service_fn};
use user_service::adapters::dynamodb::DynamoDbStore;
use user_service::config::Config;
use user_service::http::App;
use user_service::service::PasswordHasher;
use user_service::telemetry;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    telemetry::init(std::io::stdout);
    let config = Config::from_env().inspect_err(|error| {
        tracing::error!(%error, "refusing to start: invalid configuration");
    })?;
    if config.development_pepper {
        tracing::warn!(
            "PASSWORD_PEPPER is not set: using the public development pepper (APP_ENV=local)"
        );
    }

    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let store = DynamoDbStore::new(aws_sdk_dynamodb::Client::new(&sdk), config.table_name);
    let hasher = PasswordHasher::new(config.pepper, config.hash_cost);
    let app = App::new(store, hasher, config.password_policy);

    lambda_http::run(service_fn(|request: Request| {
        let app = &app;
        async move { Ok::<_, Infallible>(app.handle(request).await) }
    }))
    .await
}
