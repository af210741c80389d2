use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use super::*;

const PEPPER: &str = "a-production-pepper-of-at-least-32-bytes";

/// The settings `vars` give, on top of the required token settings (which `vars` may override).
fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let required = [
        (SIGNING_KEYS_SECRET_ID, "signing-keys"),
        (TOKEN_ISSUER, "https://auth.example.com"),
        (SESSION_KEY_SECRET_ID, "session-key"),
        (TOTP_KEY_SECRET_ID, "totp-key"),
        (EMAIL_FROM, "no-reply@example.com"),
    ];
    let vars: HashMap<String, String> = required
        .iter()
        .chain(vars)
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::from_lookup(|name| vars.get(name).cloned())
}

#[test]
fn defaults_apply_when_only_the_required_variables_are_set() {
    let config = config(&[(TABLE_NAME, "users"), (PASSWORD_PEPPER, PEPPER)]).expect("valid");
    assert_eq!(config.table_name, "users");
    assert!(matches!(config.pepper, PepperSource::Given(_)));
    assert_eq!(config.password_policy, PasswordPolicy::default());
    assert_eq!(config.hash_cost, HashCost::default());
    assert_eq!(config.signing_keys_secret_id, "signing-keys");
    assert_eq!(config.token_settings.issuer, "https://auth.example.com");
    assert_eq!(config.token_settings.audience, "user-service");
    assert_eq!(config.token_settings.access_ttl, 900);
    assert_eq!(config.session_policy.refresh_ttl, 30 * 86_400);
    assert_eq!(config.session_policy.reuse_grace, 10);
    assert_eq!(config.session_policy.max_age, 90 * 86_400);
    assert!(
        !config.prevent_existence_errors,
        "the seed's 404 stays the default"
    );
    assert!(
        !config.require_verified_email,
        "the seed's flow stays the default"
    );
    assert_eq!(
        (
            config.code_lifetimes.verification,
            config.code_lifetimes.reset
        ),
        (86_400, 900)
    );
    assert!(
        matches!(&config.session_keys, SecretSource::SecretsManager(id) if id == "session-key")
    );
}

#[test]
fn token_settings_are_parsed() {
    let vars = [
        (TABLE_NAME, "users"),
        (PASSWORD_PEPPER, PEPPER),
        (TOKEN_AUDIENCE, "orders-api"),
        (ACCESS_TOKEN_TTL_SECONDS, "300"),
        (REFRESH_TOKEN_TTL_SECONDS, "86400"),
        (REFRESH_REUSE_GRACE_SECONDS, "0"),
        (SESSION_MAX_AGE_SECONDS, "1"),
    ];
    let config = config(&vars).expect("valid");
    assert_eq!(
        config.session_policy.max_age, 1,
        "any age from one second up"
    );
    assert_eq!(config.token_settings.audience, "orders-api");
    assert_eq!(
        config.token_settings.client_id, "orders-api",
        "the audience by default"
    );
    assert_eq!(config.token_settings.access_ttl, 300);
    assert_eq!(config.session_policy.refresh_ttl, 86_400);
    assert_eq!(config.session_policy.reuse_grace, 0);
}

#[test]
fn a_plain_http_issuer_is_for_local_development_only() {
    let base = [(TABLE_NAME, "users"), (PASSWORD_PEPPER, PEPPER)];
    let http = (TOKEN_ISSUER, "http://127.0.0.1:9000");
    assert!(config(&[base[0], base[1], http]).is_err());
    assert!(config(&[base[0], base[1], http, (APP_ENV, "local")]).is_ok());
}

#[test]
fn a_missing_pepper_is_fatal_outside_local_development() {
    for app_env in [None, Some("production")] {
        let mut vars = vec![(TABLE_NAME, "users")];
        vars.extend(app_env.map(|value| (APP_ENV, value)));
        let error = config(&vars).expect_err("must refuse");
        assert_eq!(
            error.to_string(),
            "PASSWORD_PEPPER or PASSWORD_PEPPER_SECRET_ID must be set",
            "APP_ENV={app_env:?}"
        );
    }
}

#[test]
fn local_development_falls_back_to_the_named_development_pepper() {
    let config = config(&[(TABLE_NAME, "users"), (APP_ENV, "local")]).expect("valid");
    assert!(matches!(config.pepper, PepperSource::Development(_)));
}

#[test]
fn a_deployment_names_the_secret_that_holds_the_pepper() {
    let vars = [
        (TABLE_NAME, "users"),
        (PASSWORD_PEPPER_SECRET_ID, "arn:aws:secretsmanager:x"),
    ];
    let config = config(&vars).expect("valid");
    assert!(
        matches!(&config.pepper, PepperSource::SecretsManager(id) if id == "arn:aws:secretsmanager:x")
    );
}

#[test]
fn a_pepper_given_two_ways_is_ambiguous() {
    let vars = [
        (TABLE_NAME, "t"),
        (PASSWORD_PEPPER, PEPPER),
        (PASSWORD_PEPPER_SECRET_ID, "id"),
    ];
    let error = config(&vars).expect_err("must refuse");
    assert_eq!(
        error.to_string(),
        "only one of PASSWORD_PEPPER or PASSWORD_PEPPER_SECRET_ID may be set"
    );
}

#[test]
fn a_configured_pepper_wins_even_in_local_development() {
    let vars = [
        (TABLE_NAME, "t"),
        (APP_ENV, "local"),
        (PASSWORD_PEPPER, PEPPER),
    ];
    let config = config(&vars).expect("valid");
    assert!(matches!(config.pepper, PepperSource::Given(_)));
}

#[test]
fn optional_settings_are_parsed() {
    let vars = [
        (TABLE_NAME, "users"),
        (PASSWORD_PEPPER, PEPPER),
        (MIN_PASSWORD_LENGTH, "12"),
        (ARGON2_PARAMS, "m=65536,t=3,p=1"),
    ];
    let config = config(&vars).expect("valid");
    assert_eq!(config.password_policy.min_chars(), 12);
    assert_eq!(config.hash_cost.to_string(), "m=65536,t=3,p=1");
}

#[test]
fn invalid_settings_are_refused_naming_the_variable_but_not_the_secret() {
    let cases = [
        (TABLE_NAME, "", "TABLE_NAME must be set"),
        (
            PASSWORD_PEPPER,
            "short-secret",
            "PASSWORD_PEPPER must be at least 32 bytes",
        ),
        (APP_ENV, "lcoal", "APP_ENV must be `local` or `production`"),
        (
            MIN_PASSWORD_LENGTH,
            "7",
            "MIN_PASSWORD_LENGTH must be between 8 and 256",
        ),
        (
            MIN_PASSWORD_LENGTH,
            "eight",
            "MIN_PASSWORD_LENGTH must be a whole number",
        ),
        (
            ARGON2_PARAMS,
            "m=1024,t=1,p=1",
            "ARGON2_PARAMS must be at least OWASP's minimum",
        ),
        (
            ARGON2_PARAMS,
            "m=1048576,t=1,p=1",
            "ARGON2_PARAMS asks for 1048576 KiB per hash, more than the 262144 KiB (a quarter of 1024 MB)",
        ),
        (
            FUNCTION_MEMORY,
            "lots",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE must be a whole number",
        ),
        (
            SIGNING_KEYS_SECRET_ID,
            "",
            "SIGNING_KEYS_SECRET_ID must be set",
        ),
        (TOKEN_ISSUER, "", "TOKEN_ISSUER must be set"),
        (
            TOKEN_ISSUER,
            "https://auth.example.com/",
            "TOKEN_ISSUER must be an https:// base URL",
        ),
        (
            ACCESS_TOKEN_TTL_SECONDS,
            "59",
            "ACCESS_TOKEN_TTL_SECONDS must be 60–86400",
        ),
        (
            REFRESH_TOKEN_TTL_SECONDS,
            "600",
            "REFRESH_TOKEN_TTL_SECONDS must be 900–31536000",
        ),
        (
            DOCS_ASSETS_URL,
            "ftp://x",
            "DOCS_ASSETS_URL must be an http(s) URL",
        ),
        (
            PREVENT_USER_EXISTENCE_ERRORS,
            "yes",
            "PREVENT_USER_EXISTENCE_ERRORS must be `true` or `false`",
        ),
        (
            REQUIRE_VERIFIED_EMAIL,
            "1",
            "REQUIRE_VERIFIED_EMAIL must be `true` or `false`",
        ),
        (
            VERIFICATION_CODE_TTL_SECONDS,
            "60",
            "VERIFICATION_CODE_TTL_SECONDS must be 300–604800",
        ),
        (
            RESET_CODE_TTL_SECONDS,
            "a day",
            "RESET_CODE_TTL_SECONDS must be a whole number",
        ),
        (
            SESSION_MAX_AGE_SECONDS,
            "0",
            "SESSION_MAX_AGE_SECONDS must be 1–315360000",
        ),
        (
            SESSION_KEY,
            "short-secret",
            "only one of SESSION_KEY or SESSION_KEY_SECRET_ID may be set",
        ),
        (
            REFRESH_REUSE_GRACE_SECONDS,
            "soon",
            "REFRESH_REUSE_GRACE_SECONDS must be a whole number",
        ),
        (
            FUNCTION_MEMORY,
            "64",
            "ARGON2_PARAMS asks for 19456 KiB per hash, more than the 16384 KiB (a quarter of 64 MB)",
        ),
    ];
    for (name, value, expected) in cases {
        let mut vars = vec![(TABLE_NAME, "users"), (PASSWORD_PEPPER, PEPPER)];
        vars.retain(|(k, _)| *k != name);
        vars.push((name, value));
        let message = config(&vars).expect_err(name).to_string();
        assert!(message.starts_with(expected), "{name}={value:?}: {message}");
        assert!(!message.contains("short-secret"), "{message}");
    }
}

#[test]
fn totp_settings_are_read_like_the_session_key() {
    let defaults = config(&[(TABLE_NAME, "users"), (PASSWORD_PEPPER, PEPPER)]).expect("valid");
    assert!(matches!(defaults.totp_keys, SecretSource::SecretsManager(ref id) if id == "totp-key"));
    assert_eq!(defaults.totp_issuer, "user-service");
    let issued = config(&[
        (TABLE_NAME, "users"),
        (PASSWORD_PEPPER, PEPPER),
        (TOTP_ISSUER, "Acme Inc"),
    ]);
    assert_eq!(issued.expect("valid").totp_issuer, "Acme Inc");
    let cases = [
        (
            TOTP_ISSUER,
            "Acme:Inc",
            "TOTP_ISSUER must be at most 64 characters, without `:`",
        ),
        (
            TOTP_KEY,
            "short-secret",
            "only one of TOTP_KEY or TOTP_KEY_SECRET_ID may be set",
        ),
    ];
    for (name, value, expected) in cases {
        let vars = [
            (TABLE_NAME, "users"),
            (PASSWORD_PEPPER, PEPPER),
            (name, value),
        ];
        let message = config(&vars).expect_err(name).to_string();
        assert_eq!(message, expected);
    }
    let local = Config::from_lookup(|name| match name {
        TABLE_NAME => Some("users".to_owned()),
        APP_ENV => Some("local".to_owned()),
        SIGNING_KEYS_SECRET_ID => Some("keys".to_owned()),
        TOKEN_ISSUER => Some("http://127.0.0.1:9000".to_owned()),
        _ => None,
    });
    assert!(matches!(
        local.expect("valid").totp_keys,
        SecretSource::Development(_)
    ));
}

#[test]
fn the_variables_list_is_exactly_what_config_reads() {
    let read = RefCell::new(BTreeSet::new());
    let valid = |name: &str| match name {
        PASSWORD_PEPPER_SECRET_ID => Some("a-secret-id"),
        TABLE_NAME => Some("users"),
        APP_ENV => Some("production"),
        MIN_PASSWORD_LENGTH => Some("8"),
        ARGON2_PARAMS => Some("m=19456,t=2,p=1"),
        FUNCTION_MEMORY => Some("1024"),
        SIGNING_KEYS_SECRET_ID => Some("signing-keys"),
        TOKEN_ISSUER => Some("https://auth.example.com"),
        TOKEN_AUDIENCE => Some("user-service"),
        TOKEN_CLIENT_ID => Some("my-app"),
        ACCESS_TOKEN_TTL_SECONDS => Some("900"),
        REFRESH_TOKEN_TTL_SECONDS => Some("2592000"),
        REFRESH_REUSE_GRACE_SECONDS => Some("10"),
        SESSION_MAX_AGE_SECONDS => Some("7776000"),
        SESSION_KEY_SECRET_ID => Some("session-key"),
        TOTP_KEY_SECRET_ID => Some("totp-key"),
        TOTP_ISSUER => Some("Example"),
        PREVENT_USER_EXISTENCE_ERRORS => Some("true"),
        DOCS_ASSETS_URL => Some("https://cdn.example.com/viewer"),
        EMAIL_FROM => Some("no-reply@example.com"),
        EMAIL_REPLY_TO => Some("support@example.com"),
        SES_CONFIGURATION_SET => Some("user-service"),
        EMAIL_LINK_URL => Some("https://app.example.com/code"),
        PRODUCT_NAME => Some("Example"),
        VERIFICATION_CODE_TTL_SECONDS => Some("3600"),
        RESET_CODE_TTL_SECONDS => Some("600"),
        REQUIRE_VERIFIED_EMAIL => Some("true"),
        _ => None,
    };

    let config = Config::from_lookup(|name| {
        read.borrow_mut().insert(name.to_owned());
        valid(name).map(str::to_owned)
    });

    assert!(config.is_ok(), "{config:?}");
    let listed: BTreeSet<String> = VARIABLES.iter().map(|v| (*v).to_owned()).collect();
    assert_eq!(read.into_inner(), listed);
}
