//! Reading secrets from AWS Secrets Manager, once per cold start: the pepper, the session keys,
//! the TOTP key and the access-token signing keys.
//!
//! Why here and not in environment variables: a function's environment is readable by anyone
//! allowed `lambda:GetFunctionConfiguration`, read-only roles included, while a secret is
//! readable only by principals granted `secretsmanager:GetSecretValue` on it (the function's
//! role and the account's administrators). The price is one HTTPS call per secret during the
//! init phase; they run concurrently.

use anyhow::{Context, anyhow};
use aws_sdk_secretsmanager::Client;

use crate::config::SecretSource;
use crate::domain::Invalid;
use crate::service::SigningKeys;

/// The secret `source` names, parsed by `parse`: given directly, read from Secrets Manager, or
/// (local development) the public development value, which is logged as such. `what` names it
/// in messages, which never show its value.
pub async fn resolve<T>(
    client: &Client,
    source: SecretSource<T>,
    what: &str,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> anyhow::Result<T> {
    match source {
        SecretSource::Given(value) => Ok(value),
        SecretSource::SecretsManager(secret_id) => {
            let secret = fetch(client, &secret_id, what).await?;
            parse(&secret).map_err(|reason| anyhow!("{what} in secret {secret_id} {reason}"))
        }
        SecretSource::Development(value) => {
            tracing::warn!(
                "no {what} configured: using the public development value (APP_ENV=local)"
            );
            Ok(value)
        }
    }
}

/// The signing keys stored as the JSON `SecretString` of `secret_id` (see [`SigningKeys`]).
pub async fn fetch_signing_keys(client: &Client, secret_id: &str) -> anyhow::Result<SigningKeys> {
    let secret = fetch(client, secret_id, "the signing keys").await?;
    SigningKeys::from_document(&secret)
        .with_context(|| format!("the signing keys in secret {secret_id}"))
}

async fn fetch(client: &Client, secret_id: &str, what: &str) -> anyhow::Result<String> {
    let output = client
        .get_secret_value()
        .secret_id(secret_id)
        .send()
        .await
        .with_context(|| format!("reading {what} from secret {secret_id}"))?;
    output
        .secret_string
        .ok_or_else(|| anyhow!("secret {secret_id} has no SecretString"))
}
