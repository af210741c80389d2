//! What a listing of accounts is asked for: an address prefix, a page size and where the last
//! page ended. Each is parsed once from the query string, so a store sees only values it can
//! use as they are.
//!
//! The cursor is opaque to clients (base64url), but not to the service: it names the address
//! key of the last account a page held, and nothing else. Whatever a client sends back either
//! decodes to such a key or is refused, so a forged cursor can at worst start a page at some
//! address: never at a session, a code record or any key that is not an account's.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::invalid::Invalid;
use super::text::{has_control_chars, nfc};
use super::{Email, User};

/// The start of an address, in the canonical form addresses are stored in (trimmed, lower
/// case, NFC), so that `Ada@` finds `ada@example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailPrefix(String);

impl EmailPrefix {
    /// Normalises `raw` as [`Email::parse`] does; empty matches every address.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let prefix = nfc(&raw.trim().to_lowercase());
        if prefix.chars().count() > Email::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Email::MAX_CHARS
            )));
        }
        if has_control_chars(&prefix) {
            return Err(Invalid::new("must not contain control characters"));
        }
        Ok(Self(prefix))
    }

    /// Whether `address` (as stored) starts with the prefix.
    pub fn matches(&self, address: &Email) -> bool {
        address.as_ref().starts_with(&self.0)
    }
}

impl AsRef<str> for EmailPrefix {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Where a page of accounts ended: the key of its last account. A page that follows starts
/// after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCursor(Email);

impl AccountCursor {
    /// The longest key a cursor may name, in characters: more than any address ever stored.
    const MAX_CHARS: usize = 320;

    /// The cursor of a page whose last account is `user`.
    pub fn after(user: &User) -> Self {
        Self(user.revision().key().clone())
    }

    /// Decodes a cursor a page answered with: base64url (unpadded) of an address key. Refused
    /// unless it decodes to text that can be one.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("must be a cursor a page answered with");
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let key = String::from_utf8(bytes).map_err(|_| invalid())?;
        let plausible = !key.is_empty()
            && key.chars().count() <= Self::MAX_CHARS
            && !has_control_chars(&key)
            && key.contains('@');
        match plausible {
            // A key as stored, possibly under older rules: it is compared, never re-parsed.
            true => Ok(Self(Email::from_stored(&key))),
            false => Err(invalid()),
        }
    }

    /// The address key the page ended at.
    pub fn key(&self) -> &Email {
        &self.0
    }
}

impl std::fmt::Display for AccountCursor {
    /// The opaque form a page answers with and [`AccountCursor::parse`] reads.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0.as_ref()))
    }
}

/// How many accounts a page holds at most: 1 to [`PageSize::MAX`], [`PageSize::DEFAULT`]
/// unless asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(usize);

impl PageSize {
    pub const DEFAULT: Self = Self(50);
    pub const MAX: usize = 200;

    /// A decimal number from 1 to [`PageSize::MAX`].
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        raw.parse::<usize>()
            .ok()
            .filter(|size| (1..=Self::MAX).contains(size) && !raw.starts_with('+'))
            .map(Self)
            .ok_or_else(|| Invalid::new(format!("must be a whole number from 1 to {}", Self::MAX)))
    }

    pub fn get(self) -> usize {
        self.0
    }
}

impl Default for PageSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::ada;

    #[test]
    fn a_prefix_is_normalised_like_an_address() {
        let prefix = EmailPrefix::parse(" ADA@Ex ").expect("valid");
        assert_eq!(prefix.as_ref(), "ada@ex");
        assert!(prefix.matches(ada().email()));
        assert!(
            !EmailPrefix::parse("grace")
                .expect("valid")
                .matches(ada().email())
        );
        assert!(
            EmailPrefix::parse("")
                .expect("valid")
                .matches(ada().email())
        );
        assert!(EmailPrefix::parse("a\u{7}").is_err());
        assert!(EmailPrefix::parse(&"a".repeat(255)).is_err());
    }

    #[test]
    fn a_cursor_survives_its_opaque_form() {
        let cursor = AccountCursor::after(&ada());
        let parsed = AccountCursor::parse(&cursor.to_string()).expect("valid");
        assert_eq!(parsed, cursor);
        assert_eq!(parsed.key().as_ref(), "ada@example.com");
    }

    #[test]
    fn a_forged_cursor_names_no_key_but_an_address() {
        let encode = |text: &str| URL_SAFE_NO_PAD.encode(text);
        let long = encode(&format!("{}@example.com", "a".repeat(320)));
        let cases = [
            (String::new(), "empty"),
            ("not base64!".to_owned(), "not base64url"),
            ("YWRh@".to_owned(), "not base64url either"),
            (URL_SAFE_NO_PAD.encode([0xff, 0xfe]), "not UTF-8"),
            (
                encode("USER#0b7e7a3c-5d0e-4f6a-9b1c-2f3e4d5c6b7a"),
                "no address",
            ),
            (encode("ada@example.com\n"), "a control character"),
            (long, "too long"),
        ];
        for (raw, why) in cases {
            assert!(AccountCursor::parse(&raw).is_err(), "{why}: {raw:?}");
        }
    }

    #[test]
    fn a_page_size_is_one_to_two_hundred() {
        assert_eq!(PageSize::parse("1").map(PageSize::get), Ok(1));
        assert_eq!(PageSize::parse("200").map(PageSize::get), Ok(200));
        assert_eq!(PageSize::default().get(), 50);
        for raw in [
            "0",
            "201",
            "-1",
            "+5",
            "",
            "ten",
            "1.5",
            " 5",
            "99999999999999999999999",
        ] {
            assert!(PageSize::parse(raw).is_err(), "{raw:?}");
        }
    }
}
