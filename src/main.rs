//! Cold start: logs, settings, the secrets, one DynamoDB client, then the Lambda event loop.
//!
//! Everything expensive is built here once and borrowed by every invocation. The runtime is
//! single-threaded: a Lambda instance handles one request at a time, and password hashing runs
//! on Tokio's blocking pool anyway, so worker threads would only add start-up time and memory.

use std::convert::Infallible;

use anyhow::Context;
use aws_config::BehaviorVersion;
use lambda_http::{Error, Request, service_fn};
use user_service::adapters::{dynamodb, secrets_manager};
use user_service::config::{Config, PepperSource};
use user_service::http::App;
use user_service::service::{AccessTokens, Clock, PasswordHasher, Peppers, Tokens};
use user_service::telemetry;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    telemetry::init(std::io::stdout);
    let config = Config::from_env().inspect_err(|error| {
        tracing::error!(%error, "refusing to start: invalid configuration");
    })?;
    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let secrets = aws_sdk_secretsmanager::Client::new(&sdk);
    // Independent I/O at cold start runs concurrently.
    let (pepper, keys) = tokio::join!(
        pepper(config.pepper, &secrets),
        secrets_manager::fetch_signing_keys(&secrets, &config.signing_keys_secret_id),
    );
    let (pepper, keys) = pepper
        .and_then(|pepper| Ok((pepper, keys.context("no signing keys")?)))
        .inspect_err(|error| {
            tracing::error!(error = %format!("{error:#}"), "refusing to start");
        })?;

    let store = dynamodb::DynamoDbStore::new(dynamodb::client(&sdk), config.table_name);
    let hasher = PasswordHasher::new(pepper, config.hash_cost).limited_to(config.hash_limit);
    let tokens = Tokens {
        access: AccessTokens::new(keys, config.token_settings),
        policy: config.session_policy,
        clock: Clock::system(),
    };
    let app = App::new(store, hasher, config.password_policy, tokens)
        .with_docs_assets(&config.docs_assets_url);

    lambda_http::run(service_fn(|request: Request| {
        let app = &app;
        async move { Ok::<_, Infallible>(app.handle(request).await) }
    }))
    .await
}

async fn pepper(
    source: PepperSource,
    secrets: &aws_sdk_secretsmanager::Client,
) -> anyhow::Result<Peppers> {
    match source {
        PepperSource::Given(pepper) => Ok(pepper),
        PepperSource::SecretsManager(secret_id) => {
            secrets_manager::fetch_peppers(secrets, &secret_id)
                .await
                .context("no pepper")
        }
        PepperSource::Development(pepper) => {
            tracing::warn!(
                "no pepper configured: using the public development pepper (APP_ENV=local)"
            );
            Ok(pepper)
        }
    }
}
