//! Typed settings from environment variables, checked once at cold start.
//!
//! A bad value stops the function before it serves anything (fail fast), and the error names
//! the variable but never echoes a secret.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `TABLE_NAME` | the DynamoDB table | required |
//! | `PASSWORD_PEPPER_SECRET_ID` | AWS Secrets Manager secret (name or ARN) holding the pepper, or a document of versioned peppers ([`Peppers`]), read once at cold start | exactly one of the two is required, unless `APP_ENV=local` |
//! | `PASSWORD_PEPPER` | the same, given directly (≥ 32 bytes), for local runs and hosts without Secrets Manager | (see above) |
//! | `APP_ENV` | `local` for development, `production` otherwise | `production` |
//! | `MIN_PASSWORD_LENGTH` | shortest password a new account may choose (8–256) | `8` |
//! | `ARGON2_PARAMS` | Argon2id cost as `m=<KiB>,t=<passes>,p=<lanes>`, at least OWASP's minimum, `m` at most a quarter of the function's memory | `m=19456,t=2,p=1` |
//! | `SIGNING_KEYS_SECRET_ID` | AWS Secrets Manager secret holding the access-token signing keys, read once at cold start | required |
//! | `TOKEN_ISSUER` | the tokens' `iss`: the service's public base URL (`https://…`; `http://` only with `APP_ENV=local`) | required |
//! | `TOKEN_AUDIENCE` | the tokens' `aud` | `user-service` |
//! | `TOKEN_CLIENT_ID` | the OAuth client the tokens are issued to (`client_id`, RFC 9068); the token and revocation endpoints refuse any other | the audience |
//! | `ACCESS_TOKEN_TTL_SECONDS` | lifetime of an access token (60–86400) | `900` |
//! | `REFRESH_TOKEN_TTL_SECONDS` | lifetime of each refresh token (from the access-token lifetime up to a year) | `2592000` (30 days) |
//! | `REFRESH_REUSE_GRACE_SECONDS` | how long a spent refresh token is refused without revoking its session (0–300) | `10` |
//! | `SESSION_MAX_AGE_SECONDS` | the longest a session lives from its sign-in, however often it refreshes (1 s–10 years) | `7776000` (90 days) |
//! | `SESSION_KEY_SECRET_ID` | Secrets Manager secret holding the key refresh tokens are derived under, or a document of versioned ones ([`SessionKeys`]) | exactly one of the two is required, unless `APP_ENV=local` |
//! | `SESSION_KEY` | the same, given directly (≥ 32 bytes) | (see above) |
//! | `TOTP_KEY_SECRET_ID` | Secrets Manager secret holding the key TOTP secrets are sealed under, or a document of versioned ones ([`TotpKeys`]) | exactly one of the two is required, unless `APP_ENV=local` |
//! | `TOTP_KEY` | the same, given directly (≥ 32 bytes) | (see above) |
//! | `TOTP_ISSUER` | the name authenticator apps file the accounts' codes under (no `:`) | `user-service` |
//! | `PREVENT_USER_EXISTENCE_ERRORS` | `true`: sign-in, activation and deactivation answer an unknown address as a wrong password, after the same work | `false` |
//! | `VERIFICATION_CODE_TTL_SECONDS` | lifetime of a verification code (300–604800) | `86400` |
//! | `RESET_CODE_TTL_SECONDS` | lifetime of a password reset or e-mail change code (60–86400) | `900` |
//! | `EVENT_RETENTION_DAYS` | how long account events are kept (the admin API's audit trail; TTL removes them after), 1–3650 | 90 |
//! | `REQUIRE_VERIFIED_EMAIL` | `true`: sign-in and activation of an account whose address is not verified answer 400 `EmailNotVerified` | `false` |
//! | `DOCS_ASSETS_URL` | where `/docs/` loads its pinned viewer from (a host of the npm package; integrity-checked) | jsDelivr |
//! | `EMAIL_FROM` | the mails' sender, an address SES has verified (or of a verified domain) | required, unless `APP_ENV=local` ([`DEVELOPMENT_EMAIL_FROM`]) |
//! | `EMAIL_REPLY_TO` | where replies to the mails go | the sender |
//! | `SES_CONFIGURATION_SET` | the SES configuration set each mail is sent with | none |
//! | `EMAIL_LINK_URL` | a web page each mail links to, with `purpose`, `email` and `code` as query parameters (`https://`; `http://` only for localhost) | no link |
//! | `PRODUCT_NAME` | what the mails call the service | `user-service` |
//!
//! Lambda itself sets `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` (MB), which bounds Argon2's memory
//! cost (1024 when unset, as in local runs). `RUST_LOG` (read by
//! [`telemetry`](crate::telemetry)) and the AWS SDK's own variables, such as `AWS_REGION` and
//! `AWS_ENDPOINT_URL_DYNAMODB`, are not settings of ours.

mod mail;
mod secret_source;

pub use mail::{DEFAULT_PRODUCT_NAME, DEVELOPMENT_EMAIL_FROM, MailSettings};
pub use secret_source::SecretSource;

use crate::domain::{Invalid, PasswordPolicy};
use crate::service::{
    CodeLifetimes, DEFAULT_EVENT_RETENTION_DAYS, DEFAULT_TOTP_ISSUER, HashCost, HashMemoryLimit,
    Peppers, SessionKeys, SessionPolicy, TokenSettings, TotpKeys,
};

pub const TABLE_NAME: &str = "TABLE_NAME";
pub const PASSWORD_PEPPER: &str = "PASSWORD_PEPPER";
pub const PASSWORD_PEPPER_SECRET_ID: &str = "PASSWORD_PEPPER_SECRET_ID";
pub const APP_ENV: &str = "APP_ENV";
pub const MIN_PASSWORD_LENGTH: &str = "MIN_PASSWORD_LENGTH";
pub const ARGON2_PARAMS: &str = "ARGON2_PARAMS";
pub const SIGNING_KEYS_SECRET_ID: &str = "SIGNING_KEYS_SECRET_ID";
pub const TOKEN_ISSUER: &str = "TOKEN_ISSUER";
pub const TOKEN_AUDIENCE: &str = "TOKEN_AUDIENCE";
pub const TOKEN_CLIENT_ID: &str = "TOKEN_CLIENT_ID";
pub const ACCESS_TOKEN_TTL_SECONDS: &str = "ACCESS_TOKEN_TTL_SECONDS";
pub const REFRESH_TOKEN_TTL_SECONDS: &str = "REFRESH_TOKEN_TTL_SECONDS";
pub const REFRESH_REUSE_GRACE_SECONDS: &str = "REFRESH_REUSE_GRACE_SECONDS";
pub const SESSION_MAX_AGE_SECONDS: &str = "SESSION_MAX_AGE_SECONDS";
pub const PREVENT_USER_EXISTENCE_ERRORS: &str = "PREVENT_USER_EXISTENCE_ERRORS";
pub const SESSION_KEY: &str = "SESSION_KEY";
pub const SESSION_KEY_SECRET_ID: &str = "SESSION_KEY_SECRET_ID";
pub const TOTP_KEY: &str = "TOTP_KEY";
pub const TOTP_KEY_SECRET_ID: &str = "TOTP_KEY_SECRET_ID";
pub const TOTP_ISSUER: &str = "TOTP_ISSUER";
pub const DOCS_ASSETS_URL: &str = "DOCS_ASSETS_URL";
pub const EMAIL_FROM: &str = "EMAIL_FROM";
pub const EMAIL_REPLY_TO: &str = "EMAIL_REPLY_TO";
pub const SES_CONFIGURATION_SET: &str = "SES_CONFIGURATION_SET";
pub const EMAIL_LINK_URL: &str = "EMAIL_LINK_URL";
pub const PRODUCT_NAME: &str = "PRODUCT_NAME";
pub const VERIFICATION_CODE_TTL_SECONDS: &str = "VERIFICATION_CODE_TTL_SECONDS";
pub const RESET_CODE_TTL_SECONDS: &str = "RESET_CODE_TTL_SECONDS";
pub const REQUIRE_VERIFIED_EMAIL: &str = "REQUIRE_VERIFIED_EMAIL";
pub const EVENT_RETENTION_DAYS: &str = "EVENT_RETENTION_DAYS";
/// Set by Lambda, never by a deployment.
pub const FUNCTION_MEMORY: &str = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

/// Every variable [`Config`] reads (a test records the reads and compares). A deployment sets
/// all of them but `PASSWORD_PEPPER`, `SESSION_KEY`, `TOTP_KEY` and [`FUNCTION_MEMORY`]: a deployed
/// function reads its pepper and keys from Secrets Manager, never from its configuration, where anyone allowed to read the
/// function's settings could see it; and Lambda sets the memory size itself.
pub const VARIABLES: [&str; 31] = [
    TABLE_NAME,
    PASSWORD_PEPPER,
    PASSWORD_PEPPER_SECRET_ID,
    APP_ENV,
    MIN_PASSWORD_LENGTH,
    ARGON2_PARAMS,
    FUNCTION_MEMORY,
    SIGNING_KEYS_SECRET_ID,
    TOKEN_ISSUER,
    TOKEN_AUDIENCE,
    TOKEN_CLIENT_ID,
    ACCESS_TOKEN_TTL_SECONDS,
    REFRESH_TOKEN_TTL_SECONDS,
    REFRESH_REUSE_GRACE_SECONDS,
    SESSION_MAX_AGE_SECONDS,
    SESSION_KEY,
    SESSION_KEY_SECRET_ID,
    TOTP_KEY,
    TOTP_KEY_SECRET_ID,
    TOTP_ISSUER,
    PREVENT_USER_EXISTENCE_ERRORS,
    DOCS_ASSETS_URL,
    EMAIL_FROM,
    EMAIL_REPLY_TO,
    SES_CONFIGURATION_SET,
    EMAIL_LINK_URL,
    PRODUCT_NAME,
    VERIFICATION_CODE_TTL_SECONDS,
    RESET_CODE_TTL_SECONDS,
    REQUIRE_VERIFIED_EMAIL,
    EVENT_RETENTION_DAYS,
];

/// The pepper used when `APP_ENV=local` and none is configured. It is public (it is in this
/// repository), so hashes made with it protect nothing; the name says so.
pub const DEVELOPMENT_PEPPER: &str = "insecure-local-development-pepper-do-not-deploy";
/// The session key used when `APP_ENV=local` and none is configured; as public.
pub const DEVELOPMENT_SESSION_KEY: &str = "insecure-local-development-session-key-do-not-deploy";
/// The TOTP key used when `APP_ENV=local` and none is configured; as public.
pub const DEVELOPMENT_TOTP_KEY: &str = "insecure-local-development-totp-key-do-not-deploy";

#[derive(Debug)]
pub struct Config {
    pub table_name: String,
    pub pepper: PepperSource,
    /// The keys refresh tokens are derived under.
    pub session_keys: SecretSource<SessionKeys>,
    /// The keys TOTP secrets are sealed under.
    pub totp_keys: SecretSource<TotpKeys>,
    /// The issuer authenticator apps show.
    pub totp_issuer: String,
    pub password_policy: PasswordPolicy,
    pub hash_cost: HashCost,
    pub hash_limit: HashMemoryLimit,
    /// The secret holding the signing keys (they never sit in the configuration itself).
    pub signing_keys_secret_id: String,
    pub token_settings: TokenSettings,
    pub session_policy: SessionPolicy,
    pub docs_assets_url: String,
    /// Whether an unknown address is answered as a wrong password.
    pub prevent_existence_errors: bool,
    /// The mail channel (SES): the sender and what the mails say.
    pub mail: MailSettings,
    /// How long mailed codes live.
    pub code_lifetimes: CodeLifetimes,
    /// Whether sign-in and activation need a verified address.
    pub require_verified_email: bool,
    /// How long account events are kept (and readable by the admin API), in days.
    pub event_retention_days: u64,
}

/// Where the pepper comes from.
pub type PepperSource = SecretSource<Peppers>;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} must be set")]
    Missing(String),
    #[error("only one of {0} may be set")]
    Ambiguous(String),
    #[error("{name} {reason}")]
    Invalid { name: &'static str, reason: Invalid },
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests). Empty values
    /// count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let table_name = get(TABLE_NAME).ok_or(ConfigError::Missing(TABLE_NAME.to_owned()))?;
        let local = match get(APP_ENV).as_deref() {
            None | Some("production") => false,
            Some("local") => true,
            Some(_) => {
                return Err(invalid(
                    APP_ENV,
                    Invalid::new("must be `local` or `production`"),
                ));
            }
        };
        let pepper = SecretSource::read(
            &get,
            local,
            [PASSWORD_PEPPER, PASSWORD_PEPPER_SECRET_ID],
            DEVELOPMENT_PEPPER,
            Peppers::parse,
        )?;
        let session_keys = SecretSource::read(
            &get,
            local,
            [SESSION_KEY, SESSION_KEY_SECRET_ID],
            DEVELOPMENT_SESSION_KEY,
            SessionKeys::parse,
        )?;
        let totp_keys = SecretSource::read(
            &get,
            local,
            [TOTP_KEY, TOTP_KEY_SECRET_ID],
            DEVELOPMENT_TOTP_KEY,
            TotpKeys::parse,
        )?;
        let totp_issuer = get(TOTP_ISSUER).unwrap_or_else(|| DEFAULT_TOTP_ISSUER.to_owned());
        if totp_issuer.contains(':') || totp_issuer.chars().count() > 64 {
            return Err(invalid(
                TOTP_ISSUER,
                Invalid::new("must be at most 64 characters, without `:`"),
            ));
        }
        let password_policy = match get(MIN_PASSWORD_LENGTH) {
            None => PasswordPolicy::default(),
            Some(text) => text
                .trim()
                .parse()
                .map_err(|_| Invalid::new("must be a whole number"))
                .and_then(PasswordPolicy::new)
                .map_err(|r| invalid(MIN_PASSWORD_LENGTH, r))?,
        };
        let hash_limit = match get(FUNCTION_MEMORY) {
            None => HashMemoryLimit::default(),
            Some(text) => text
                .trim()
                .parse()
                .map(HashMemoryLimit::for_function_memory)
                .map_err(|_| invalid(FUNCTION_MEMORY, Invalid::new("must be a whole number")))?,
        };
        let hash_cost = match get(ARGON2_PARAMS) {
            None => HashCost::default(),
            Some(text) => HashCost::parse(&text).map_err(|r| invalid(ARGON2_PARAMS, r))?,
        };
        hash_limit
            .admits(&hash_cost)
            .map_err(|r| invalid(ARGON2_PARAMS, r))?;
        let signing_keys_secret_id = get(SIGNING_KEYS_SECRET_ID)
            .ok_or(ConfigError::Missing(SIGNING_KEYS_SECRET_ID.to_owned()))?;
        let issuer = get(TOKEN_ISSUER).ok_or(ConfigError::Missing(TOKEN_ISSUER.to_owned()))?;
        let secure = issuer.starts_with("https://") || (local && issuer.starts_with("http://"));
        if !secure || issuer.ends_with('/') {
            return Err(invalid(
                TOKEN_ISSUER,
                Invalid::new("must be an https:// base URL without a trailing slash"),
            ));
        }
        let seconds = |name: &'static str, default: u64, range: std::ops::RangeInclusive<u64>| {
            let value = match get(name) {
                None => default,
                Some(text) => text
                    .trim()
                    .parse()
                    .map_err(|_| invalid(name, Invalid::new("must be a whole number")))?,
            };
            if range.contains(&value) {
                Ok(value)
            } else {
                Err(invalid(
                    name,
                    Invalid::new(format!("must be {}–{}", range.start(), range.end())),
                ))
            }
        };
        let audience = get(TOKEN_AUDIENCE).unwrap_or_else(|| "user-service".to_owned());
        let access_ttl = seconds(ACCESS_TOKEN_TTL_SECONDS, 900, 60..=86_400)?;
        let refresh_ttl = seconds(
            REFRESH_TOKEN_TTL_SECONDS,
            30 * 86_400,
            access_ttl..=365 * 86_400,
        )?;
        let reuse_grace = seconds(REFRESH_REUSE_GRACE_SECONDS, 10, 0..=300)?;
        let max_age = seconds(SESSION_MAX_AGE_SECONDS, 90 * 86_400, 1..=10 * 365 * 86_400)?;
        let docs_assets_url =
            get(DOCS_ASSETS_URL).unwrap_or_else(|| crate::http::DEFAULT_ASSETS_URL.to_owned());
        if !docs_assets_url.starts_with("https://") && !docs_assets_url.starts_with("http://") {
            return Err(invalid(
                DOCS_ASSETS_URL,
                Invalid::new("must be an http(s) URL"),
            ));
        }
        let flag = |name: &'static str| match get(name).as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(invalid(name, Invalid::new("must be `true` or `false`"))),
        };
        let prevent_existence_errors = flag(PREVENT_USER_EXISTENCE_ERRORS)?;
        let require_verified_email = flag(REQUIRE_VERIFIED_EMAIL)?;
        let code_lifetimes = CodeLifetimes {
            verification: seconds(VERIFICATION_CODE_TTL_SECONDS, 86_400, 300..=7 * 86_400)?,
            reset: seconds(RESET_CODE_TTL_SECONDS, 900, 60..=86_400)?,
        };
        let event_retention_days =
            seconds(EVENT_RETENTION_DAYS, DEFAULT_EVENT_RETENTION_DAYS, 1..=3650)?;
        let mail = MailSettings::read(&get, local)?;
        Ok(Self {
            table_name,
            pepper,
            session_keys,
            totp_keys,
            totp_issuer,
            password_policy,
            hash_cost,
            hash_limit,
            signing_keys_secret_id,
            token_settings: TokenSettings {
                issuer,
                client_id: get(TOKEN_CLIENT_ID).unwrap_or_else(|| audience.clone()),
                audience,
                access_ttl,
            },
            session_policy: SessionPolicy {
                refresh_ttl,
                max_age,
                reuse_grace,
            },
            docs_assets_url,
            prevent_existence_errors,
            mail,
            code_lifetimes,
            require_verified_email,
            event_retention_days,
        })
    }
}

fn invalid(name: &'static str, reason: Invalid) -> ConfigError {
    ConfigError::Invalid { name, reason }
}

#[cfg(test)]
mod tests;
