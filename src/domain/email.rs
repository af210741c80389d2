//! E-mail addresses, normalised so that uniqueness is decided on one canonical form.

use super::invalid::{Invalid, has_control_chars};

/// A trimmed, lower-cased, syntactically plausible e-mail address of at most
/// [`Email::MAX_CHARS`] characters.
///
/// "Plausible" is deliberately not full RFC 5322: quoted local parts, comments and IP-literal
/// domains are refused because no real sign-up uses them, while international addresses pass.
/// Whether the mailbox exists can only be proven by sending to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// The longest address accepted (RFC 5321's path limit minus the angle brackets).
    pub const MAX_CHARS: usize = 254;
    const MAX_LOCAL_CHARS: usize = 64;
    const MAX_LABEL_CHARS: usize = 63;

    /// Trims and lower-cases `raw`, then checks its shape.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        if email.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        let plausible = email
            .split_once('@')
            .is_some_and(|(local, domain)| valid_local_part(local) && valid_domain(domain));
        if !plausible || has_control_chars(&email) {
            return Err(Invalid::new("must be a valid e-mail address"));
        }
        Ok(Self(email))
    }
}

/// `local` is what precedes the `@`: dot-separated runs of characters that need no quoting.
fn valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "\"(),:;<>@[\\]";
    local.chars().count() <= Email::MAX_LOCAL_CHARS
        && local.split('.').all(|atom| !atom.is_empty())
        && !local
            .chars()
            .any(|c| c.is_whitespace() || SPECIALS.contains(c))
}

/// At least two dot-separated labels of letters, digits and inner hyphens; the last is no number.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let valid_label = |label: &&str| {
        !label.is_empty()
            && label.chars().count() <= Email::MAX_LABEL_CHARS
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    labels.len() >= 2
        && labels.iter().all(valid_label)
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        let cases = [
            ("ada@example.com", "ada@example.com"),
            ("  Ada.Lovelace@Example.COM \n", "ada.lovelace@example.com"),
            ("first+tag@sub.example.co.uk", "first+tag@sub.example.co.uk"),
            ("o'brien@example.ie", "o'brien@example.ie"),
            ("Ünïcödé@bücher.de", "ünïcödé@bücher.de"),
            ("x@a-b.io", "x@a-b.io"),
        ];
        for (raw, expected) in cases {
            let email = Email::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(email.as_ref(), expected, "parsing {raw:?}");
        }
    }

    #[test]
    fn two_spellings_of_one_address_are_equal() {
        assert_eq!(
            Email::parse("ADA@Example.com"),
            Email::parse(" ada@example.COM ")
        );
    }

    #[test]
    fn an_address_of_exactly_254_characters_is_accepted() {
        let domain = format!(
            "{}.{}.{}.com",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(57)
        );
        let raw = format!("{}@{domain}", "l".repeat(64));
        assert_eq!(raw.len(), Email::MAX_CHARS);
        assert!(Email::parse(&raw).is_ok());
    }

    #[test]
    fn implausible_addresses_are_refused_with_a_reason() {
        let too_long = format!("{}@{}.com", "a".repeat(60), "b".repeat(190));
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_label = format!("a@{}.com", "b".repeat(64));
        let invalid = "must be a valid e-mail address";
        let cases = [
            ("", "must not be empty", "empty"),
            ("  ", "must not be empty", "only whitespace"),
            (
                too_long.as_str(),
                "must be at most 254 characters",
                "255 characters",
            ),
            ("ada", invalid, "no @"),
            ("ada@", invalid, "no domain"),
            ("@example.com", invalid, "no local part"),
            ("ada@@example.com", invalid, "two @"),
            ("a@b@example.com", invalid, "@ in the local part"),
            ("ada@localhost", invalid, "single-label domain"),
            ("ada@example..com", invalid, "empty label"),
            ("ada@.example.com", invalid, "leading dot in domain"),
            ("ada@example.com.", invalid, "trailing dot in domain"),
            ("ada@-example.com", invalid, "label starts with a hyphen"),
            ("ada@example-.com", invalid, "label ends with a hyphen"),
            ("ada@exa_mple.com", invalid, "underscore in domain"),
            ("ada@127.0.0.1", invalid, "numeric top-level label"),
            ("ada@[127.0.0.1]", invalid, "IP literal"),
            (".ada@example.com", invalid, "leading dot in local part"),
            ("ada.@example.com", invalid, "trailing dot in local part"),
            ("a..da@example.com", invalid, "double dot in local part"),
            ("a da@example.com", invalid, "inner space"),
            ("\"ada\"@example.com", invalid, "quoted local part"),
            ("ada(comment)@example.com", invalid, "comment"),
            ("ada\0@example.com", invalid, "NUL"),
            ("ada@exam\u{7f}ple.com", invalid, "DEL in domain"),
            (long_local.as_str(), invalid, "65-character local part"),
            (long_label.as_str(), invalid, "64-character label"),
        ];
        for (raw, reason, why) in cases {
            assert_eq!(Email::parse(raw), Err(Invalid::new(reason)), "case: {why}");
        }
    }
}
