//! Cold start: logs, settings, the secrets, one DynamoDB client, then the Lambda event loop.
//!
//! Everything expensive is built here once and borrowed by every invocation. The independent
//! I/O of the init phase (the secrets, and opening DynamoDB's connection) runs concurrently.
//!
//! Classic Lambda sends an instance one request at a time, so the runtime is single-threaded
//! (password hashing runs on Tokio's blocking pool anyway): worker threads would only add
//! start-up time and memory. Under Lambda Managed Instances, `AWS_LAMBDA_MAX_CONCURRENCY` lets
//! one process serve that many requests at once; then the runtime gets a worker per CPU, and
//! the hasher still runs no more hashes at once than there are CPUs.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use aws_config::BehaviorVersion;
use lambda_http::{Error, Request, service_fn};
use user_service::adapters::{dynamodb, secrets_manager, ses};
use user_service::config::Config;
use user_service::http::App;
use user_service::service::{
    AccessTokens, Accounts, Clock, Mailer, PasswordHasher, Peppers, SessionKeys, Tokens, TotpKeys,
    TotpSettings,
};
use user_service::telemetry;

/// Set by Lambda Managed Instances: how many requests one process serves at once.
const MAX_CONCURRENCY: &str = "AWS_LAMBDA_MAX_CONCURRENCY";

fn main() -> Result<(), Error> {
    let concurrent = std::env::var(MAX_CONCURRENCY)
        .ok()
        .and_then(|value| value.trim().parse::<u32>().ok())
        .is_some_and(|max| max > 1);
    let runtime = if concurrent {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    }
    .enable_all()
    .build()?;
    runtime.block_on(serve())
}

async fn serve() -> Result<(), Error> {
    let started = Instant::now();
    telemetry::init(std::io::stdout);
    let config = Config::from_env().inspect_err(|error| {
        tracing::error!(%error, "refusing to start: invalid configuration");
    })?;
    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let secrets = aws_sdk_secretsmanager::Client::new(&sdk);
    let clock = Clock::system();
    let store = dynamodb::DynamoDbStore::new(dynamodb::client(&sdk), config.table_name)
        .with_clock(clock.clone());
    let io_started = Instant::now();
    let (peppers, session_keys, totp_keys, keys, warmed) = tokio::join!(
        secrets_manager::resolve(&secrets, config.pepper, "the pepper", Peppers::parse),
        secrets_manager::resolve(
            &secrets,
            config.session_keys,
            "the session key",
            SessionKeys::parse
        ),
        secrets_manager::resolve(&secrets, config.totp_keys, "the TOTP key", TotpKeys::parse),
        secrets_manager::fetch_signing_keys(&secrets, &config.signing_keys_secret_id),
        store.warm_up(),
    );
    let io_ms = io_started.elapsed().as_micros() as f64 / 1000.0;
    let secrets = (|| {
        let keys = keys.context("no signing keys")?;
        anyhow::Ok((peppers?, session_keys?, totp_keys?, keys))
    })();
    let (peppers, session_keys, totp_keys, keys) = secrets.inspect_err(|error| {
        tracing::error!(error = %format!("{error:#}"), "refusing to start");
    })?;
    if let Err(error) = warmed {
        // Not fatal: the first request opens the connection instead, or reports the problem.
        tracing::warn!(error = %format!("{error:#}"), "DynamoDB did not answer at cold start");
    }

    let hasher = PasswordHasher::new(peppers, config.hash_cost).limited_to(config.hash_limit);
    let hash_slots = hasher.hash_slots();
    let tokens = Tokens {
        access: AccessTokens::new(keys, config.token_settings),
        refresh: session_keys,
        policy: config.session_policy,
    };
    let mailer: Arc<dyn Mailer> = Arc::new(ses::SesMailer::from_config(&sdk, config.mail));
    let totp = TotpSettings {
        keys: totp_keys,
        issuer: config.totp_issuer,
    };
    let accounts = Accounts::new(store, hasher, tokens, totp, clock, mailer)
        .preventing_existence_errors(config.prevent_existence_errors)
        .with_code_lifetimes(config.code_lifetimes)
        .requiring_verified_email(config.require_verified_email)
        .keeping_events_for(config.event_retention_days);
    let app = App::new(accounts, config.password_policy).with_docs_assets(&config.docs_assets_url);
    let app = Arc::new(app);
    tracing::info!(
        init_ms = started.elapsed().as_micros() as f64 / 1000.0,
        io_ms,
        hash_slots,
        "ready"
    );

    lambda_http::run_concurrent(service_fn(move |request: Request| {
        let app = Arc::clone(&app);
        async move { Ok::<_, Infallible>(app.handle(request).await) }
    }))
    .await
}
