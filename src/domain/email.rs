//! E-mail addresses, normalised so that uniqueness is decided on one canonical form.
//!
//! Two addresses that a person cannot tell apart must be one account: so the address is
//! trimmed, lower-cased and brought to NFC, invisible characters are refused (see
//! [`text`](super::text)), and the domain is brought to its one Unicode form by IDNA (UTS #46),
//! so that `ana@xn--bcher-kva.de` and `ana@Bücher.de` are both `ana@bücher.de`. The Unicode
//! form, not the ASCII one, is canonical because accounts were stored that way before IDNA.

use super::invalid::Invalid;
use super::text::{has_control_chars, has_invisible_chars, nfc};

/// A canonical, syntactically plausible e-mail address of at most [`Email::MAX_CHARS`]
/// characters.
///
/// "Plausible" is deliberately not full RFC 5322: quoted local parts, comments and IP-literal
/// domains are refused because no real sign-up uses them, while international addresses pass.
/// Whether the mailbox exists can only be proven by sending to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// The longest address accepted (RFC 5321's path limit minus the angle brackets).
    pub const MAX_CHARS: usize = 254;
    pub const MAX_LOCAL_CHARS: usize = 64;
    const MAX_LABEL_CHARS: usize = 63;
    /// RFC 1035's limit on a domain name in its ASCII (wire) form.
    const MAX_ASCII_DOMAIN_BYTES: usize = 253;

    /// Trims, lower-cases and normalises `raw`, then checks its shape.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let email = nfc(&raw.trim().to_lowercase());
        if email.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        if email.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        if has_invisible_chars(&email) {
            return Err(Invalid::new("must not contain invisible characters"));
        }
        let invalid = || Invalid::new("must be a valid e-mail address");
        if has_control_chars(&email) {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        if !valid_local_part(local) {
            return Err(invalid());
        }
        let domain = canonical_domain(domain).ok_or_else(invalid)?;
        let email = format!("{local}@{domain}");
        if email.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        Ok(Self(email))
    }

    /// An address as a store holds it (its key), trusted as written: it was canonical when it
    /// was stored, and an account must stay addressable under that key even if the rules of
    /// canonical form change later.
    pub(crate) fn from_stored(stored: &str) -> Self {
        Self(stored.to_owned())
    }

    /// What precedes the `@`.
    pub(crate) fn local_part(&self) -> &str {
        self.0.split_once('@').map_or(&self.0, |(local, _)| local)
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

/// The domain in its one Unicode form (UTS #46 processing decodes `xn--` labels and maps case
/// and width), if it is at least two dot-separated labels of letters, digits and inner
/// hyphens, the last no number, within DNS's length limits in ASCII form.
fn canonical_domain(domain: &str) -> Option<String> {
    let (unicode, mapped) = idna::domain_to_unicode(domain);
    mapped.ok()?;
    let ascii = idna::domain_to_ascii(&unicode).ok()?;
    let labels: Vec<&str> = unicode.split('.').collect();
    let valid_label = |label: &&str| {
        !label.is_empty()
            && label.chars().count() <= Email::MAX_LABEL_CHARS
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let valid = labels.len() >= 2
        && labels.iter().all(valid_label)
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
        && ascii.len() <= Email::MAX_ASCII_DOMAIN_BYTES
        && ascii
            .split('.')
            .all(|label| label.len() <= Email::MAX_LABEL_CHARS);
    valid.then_some(unicode)
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
    fn spellings_a_person_cannot_tell_apart_are_one_address() {
        let cases = [
            ("ADA@Example.com", " ada@example.COM ", "case and spaces"),
            (
                "jose\u{301}@example.com",
                "josé@example.com",
                "two spellings of é",
            ),
            (
                "ana@xn--bcher-kva.de",
                "ana@bücher.de",
                "punycode and Unicode domain",
            ),
            (
                "ana@BÜCHER.de",
                "ana@bücher.de",
                "upper-case Unicode domain",
            ),
            (
                "ada@ｅｘａｍｐｌｅ.com",
                "ada@example.com",
                "full-width domain",
            ),
        ];
        for (one, other, why) in cases {
            let (one, other) = (Email::parse(one), Email::parse(other));
            assert!(one.is_ok(), "{why}: {one:?}");
            assert_eq!(one, other, "case: {why}");
        }
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
            ("ada@xn--invalid-.com", invalid, "broken punycode"),
            (
                "ada\u{200B}@example.com",
                "must not contain invisible characters",
                "zero-width space",
            ),
            (
                "\u{202E}moc.elpmaxe@ada",
                "must not contain invisible characters",
                "right-to-left override",
            ),
            (
                "ada@exam\u{AD}ple.com",
                "must not contain invisible characters",
                "soft hyphen in the domain",
            ),
        ];
        for (raw, reason, why) in cases {
            assert_eq!(Email::parse(raw), Err(Invalid::new(reason)), "case: {why}");
        }
    }
}
