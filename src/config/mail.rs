//! The mail channel's settings: who the mails come from, where replies go, the SES
//! configuration set that tracks them, the web page their link opens, and the product they name.
//!
//! Read with the rest of [`Config`](super::Config), so that a deployment without a sender stops
//! at cold start naming `EMAIL_FROM`, not at its first sign-up with an SES error.

use url::{Host, Url};

use super::{
    ConfigError, EMAIL_FROM, EMAIL_LINK_URL, EMAIL_REPLY_TO, PRODUCT_NAME, SES_CONFIGURATION_SET,
    invalid,
};
use crate::domain::{Email, Invalid, text};

/// The sender when `APP_ENV=local` names none: the address `make run` verifies in moto.
pub const DEVELOPMENT_EMAIL_FROM: &str = "no-reply@example.com";
/// What the mails call the service when `PRODUCT_NAME` is unset.
pub const DEFAULT_PRODUCT_NAME: &str = "user-service";
/// The longest product name: it goes into every subject line.
const MAX_PRODUCT_CHARS: usize = 64;

/// How mails are sent and what they say around the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// The sender (`From`): an address SES has verified, or one of a verified domain.
    pub from: Email,
    /// Where replies go, if not to the sender.
    pub reply_to: Option<Email>,
    /// The SES configuration set each mail is sent with (event publishing, suppression).
    pub configuration_set: Option<String>,
    /// A page of the product's web front end: each mail links to it with the code, the
    /// address and the purpose as query parameters.
    pub link_url: Option<Url>,
    /// The product the mails name, in the subject and the text.
    pub product_name: String,
}

impl MailSettings {
    /// The settings `get` gives; `local` admits no sender (then [`DEVELOPMENT_EMAIL_FROM`]).
    pub(super) fn read(
        get: &impl Fn(&str) -> Option<String>,
        local: bool,
    ) -> Result<Self, ConfigError> {
        let address = |name: &'static str, raw: &str| {
            Email::parse(raw).map_err(|reason| invalid(name, reason))
        };
        let from = match get(EMAIL_FROM) {
            Some(raw) => address(EMAIL_FROM, &raw)?,
            None if local => address(EMAIL_FROM, DEVELOPMENT_EMAIL_FROM)?,
            None => return Err(ConfigError::Missing(EMAIL_FROM.to_owned())),
        };
        let reply_to = match get(EMAIL_REPLY_TO) {
            Some(raw) => Some(address(EMAIL_REPLY_TO, &raw)?),
            None => None,
        };
        let configuration_set = get(SES_CONFIGURATION_SET)
            .map(|name| configuration_set(name).map_err(|r| invalid(SES_CONFIGURATION_SET, r)))
            .transpose()?;
        let link_url = get(EMAIL_LINK_URL)
            .map(|raw| link_url(&raw).map_err(|r| invalid(EMAIL_LINK_URL, r)))
            .transpose()?;
        let product_name = match get(PRODUCT_NAME) {
            Some(raw) => product_name(&raw).map_err(|r| invalid(PRODUCT_NAME, r))?,
            None => DEFAULT_PRODUCT_NAME.to_owned(),
        };
        Ok(Self {
            from,
            reply_to,
            configuration_set,
            link_url,
            product_name,
        })
    }
}

/// SES's rule for configuration set names.
fn configuration_set(name: String) -> Result<String, Invalid> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if (1..=64).contains(&name.len()) && name.chars().all(allowed) {
        Ok(name)
    } else {
        Err(Invalid::new(
            "must be 1–64 letters, digits, `-` or `_` (an SES configuration set's name)",
        ))
    }
}

/// An `https://` URL, or `http://` on this machine only (a front end in development): the
/// link carries a code that hands over an account, so it must not travel in clear.
fn link_url(raw: &str) -> Result<Url, Invalid> {
    let refused = || Invalid::new("must be an https:// URL (http:// only for localhost)");
    let url = Url::parse(raw.trim()).map_err(|_| refused())?;
    let loopback = match url.host() {
        Some(Host::Domain(domain)) => domain == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(refused()),
    }
}

/// One line of at most [`MAX_PRODUCT_CHARS`] characters: it goes into a subject header.
fn product_name(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_PRODUCT_CHARS {
        return Err(Invalid::new(format!(
            "must be 1–{MAX_PRODUCT_CHARS} characters"
        )));
    }
    if text::has_control_chars(name) {
        return Err(Invalid::new("must be one line without control characters"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(vars: &[(&str, &str)], local: bool) -> Result<MailSettings, ConfigError> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        let get = |name: &str| vars.get(name).map(|v| (*v).to_owned());
        MailSettings::read(&get, local)
    }

    #[test]
    fn a_deployment_names_its_sender_and_the_rest_is_optional() {
        let error = read(&[], false).expect_err("no sender");
        assert_eq!(error.to_string(), "EMAIL_FROM must be set");

        let settings = read(&[(EMAIL_FROM, " No-Reply@Example.com ")], false).expect("valid");
        assert_eq!(settings.from.as_ref(), "no-reply@example.com");
        assert_eq!(settings.reply_to, None);
        assert_eq!(settings.configuration_set, None);
        assert_eq!(settings.link_url, None);
        assert_eq!(settings.product_name, DEFAULT_PRODUCT_NAME);
    }

    #[test]
    fn local_development_falls_back_to_the_sender_make_run_verifies() {
        let settings = read(&[], true).expect("valid");
        assert_eq!(settings.from.as_ref(), DEVELOPMENT_EMAIL_FROM);
    }

    #[test]
    fn every_setting_is_parsed() {
        let vars = [
            (EMAIL_FROM, "no-reply@example.com"),
            (EMAIL_REPLY_TO, "Support@Example.com"),
            (SES_CONFIGURATION_SET, "user-service_mails-1"),
            (
                EMAIL_LINK_URL,
                "https://app.example.com/account/code?lang=en",
            ),
            (PRODUCT_NAME, "  Analytical Engine  "),
        ];
        let settings = read(&vars, false).expect("valid");
        assert_eq!(
            settings.reply_to.as_ref().map(AsRef::as_ref),
            Some("support@example.com")
        );
        assert_eq!(
            settings.configuration_set.as_deref(),
            Some("user-service_mails-1")
        );
        assert_eq!(
            settings.link_url.as_ref().map(Url::as_str),
            Some("https://app.example.com/account/code?lang=en")
        );
        assert_eq!(settings.product_name, "Analytical Engine");
    }

    #[test]
    fn a_plain_http_link_is_for_this_machine_only() {
        for url in [
            "http://localhost:3000/code",
            "http://127.0.0.1:3000/code",
            "http://[::1]/code",
        ] {
            let settings = read(
                &[(EMAIL_FROM, "a@example.com"), (EMAIL_LINK_URL, url)],
                false,
            );
            assert!(settings.is_ok(), "{url}: {settings:?}");
        }
    }

    #[test]
    fn invalid_settings_are_refused_naming_the_variable() {
        let cases = [
            (EMAIL_FROM, "no-reply", "EMAIL_FROM must"),
            (
                EMAIL_REPLY_TO,
                "support at example.com",
                "EMAIL_REPLY_TO must",
            ),
            (
                SES_CONFIGURATION_SET,
                "has space",
                "SES_CONFIGURATION_SET must be 1–64",
            ),
            (
                SES_CONFIGURATION_SET,
                &"x".repeat(65),
                "SES_CONFIGURATION_SET must be 1–64",
            ),
            (
                EMAIL_LINK_URL,
                "http://app.example.com/code",
                "EMAIL_LINK_URL must be an https://",
            ),
            (
                EMAIL_LINK_URL,
                "http://localhost.example.com/",
                "EMAIL_LINK_URL must be an https://",
            ),
            (
                EMAIL_LINK_URL,
                "app.example.com/code",
                "EMAIL_LINK_URL must be an https://",
            ),
            (
                EMAIL_LINK_URL,
                "javascript:alert(1)",
                "EMAIL_LINK_URL must be an https://",
            ),
            (
                EMAIL_LINK_URL,
                "ftp://app.example.com/",
                "EMAIL_LINK_URL must be an https://",
            ),
            (PRODUCT_NAME, "   ", "PRODUCT_NAME must be 1–64 characters"),
            (
                PRODUCT_NAME,
                &"x".repeat(65),
                "PRODUCT_NAME must be 1–64 characters",
            ),
            (
                PRODUCT_NAME,
                "Two\r\nBcc: x@example.com",
                "PRODUCT_NAME must be one line",
            ),
        ];
        for (name, value, expected) in cases {
            let mut vars = vec![(EMAIL_FROM, "no-reply@example.com")];
            vars.retain(|(k, _)| *k != name);
            vars.push((name, value));
            let message = read(&vars, false).expect_err(name).to_string();
            assert!(message.starts_with(expected), "{name}={value:?}: {message}");
        }
    }
}
