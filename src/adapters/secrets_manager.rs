//! Reading secrets from AWS Secrets Manager, once per cold start: the pepper and the
//! access-token signing keys.
//!
//! Why here and not in environment variables: a function's environment is readable by anyone
//! allowed `lambda:GetFunctionConfiguration`, read-only roles included, while a secret is
//! readable only by principals granted `secretsmanager:GetSecretValue` on it (the function's
//! role and the account's administrators). The price is one HTTPS call per secret during the
//! init phase; the two run concurrently.

use anyhow::{Context, anyhow};
use aws_sdk_secretsmanager::Client;

use crate::service::{Peppers, SigningKeys};

/// The peppers stored as the `SecretString` of `secret_id` (a name or an ARN): the pepper
/// itself, or a document of versioned ones (see [`Peppers::parse`]).
pub async fn fetch_peppers(client: &Client, secret_id: &str) -> anyhow::Result<Peppers> {
    let secret = fetch(client, secret_id, "the pepper").await?;
    Peppers::parse(&secret).map_err(|reason| anyhow!("the pepper in secret {secret_id} {reason}"))
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
