//! Reading the pepper from AWS Secrets Manager, once per cold start.
//!
//! Why here and not in an environment variable: a function's environment is readable by
//! anyone allowed `lambda:GetFunctionConfiguration`, read-only roles included, while the secret
//! is readable only by principals granted `secretsmanager:GetSecretValue` on it (the function's
//! role and the account's administrators). The price is one HTTPS call during the init phase.

use anyhow::{Context, anyhow};
use aws_sdk_secretsmanager::Client;

use crate::service::Pepper;

/// The pepper stored as the plain `SecretString` of `secret_id` (a name or an ARN).
pub async fn fetch_pepper(client: &Client, secret_id: &str) -> anyhow::Result<Pepper> {
    let output = client
        .get_secret_value()
        .secret_id(secret_id)
        .send()
        .await
        .with_context(|| format!("reading the pepper from secret {secret_id}"))?;
    let secret = output
        .secret_string()
        .ok_or_else(|| anyhow!("secret {secret_id} has no SecretString"))?;
    Pepper::new(secret).map_err(|reason| anyhow!("the pepper in secret {secret_id} {reason}"))
}
