//! Where a secret of the function's comes from: given directly (local runs, tests), named as a
//! Secrets Manager secret to read at cold start (deployments), or, in local development only,
//! a public development value the log warns about.

use super::{ConfigError, invalid};
use crate::domain::Invalid;

/// Where a secret comes from.
#[derive(Debug)]
pub enum SecretSource<T> {
    /// Given directly in its variable.
    Given(T),
    /// The Secrets Manager secret (name or ARN) to read at cold start.
    SecretsManager(String),
    /// Neither, with `APP_ENV=local`: the public development value, which the log must warn about.
    Development(T),
}

impl<T> SecretSource<T> {
    /// Reads the secret of variables `[direct, secret_id]` through `get`: exactly one of them,
    /// or neither when `local` (then `development`), each value parsed by `parse`.
    pub(super) fn read(
        get: &impl Fn(&str) -> Option<String>,
        local: bool,
        [direct, secret_id]: [&'static str; 2],
        development: &str,
        parse: impl Fn(&str) -> Result<T, Invalid>,
    ) -> Result<Self, ConfigError> {
        let either = || format!("{direct} or {secret_id}");
        match (get(direct), get(secret_id)) {
            (Some(value), None) => Ok(Self::Given(parse(&value).map_err(|r| invalid(direct, r))?)),
            (None, Some(id)) => Ok(Self::SecretsManager(id)),
            (None, None) if local => Ok(Self::Development(
                parse(development).map_err(|r| invalid(direct, r))?,
            )),
            (None, None) => Err(ConfigError::Missing(either())),
            (Some(_), Some(_)) => Err(ConfigError::Ambiguous(either())),
        }
    }
}
