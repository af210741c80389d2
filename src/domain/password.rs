//! Plain-text passwords, the policy new ones must meet, and stored password hashes.
//!
//! None of these types can be printed: their `Debug` output is redacted so that a stray
//! `{:?}` in a log line or an error message cannot leak a secret.

use std::fmt;

use super::invalid::Invalid;
use super::text::has_control_chars;

/// A password as the user typed it: never trimmed, never altered, at most
/// [`Password::MAX_CHARS`] characters.
///
/// This is what sign-in accepts. It does not enforce today's [`PasswordPolicy`], so that raising
/// `MIN_PASSWORD_LENGTH` never locks out accounts created under a shorter minimum.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// The longest password accepted; the bound keeps hashing cost per request predictable.
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: String) -> Result<Self, Invalid> {
        if raw.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        Ok(Self(raw))
    }

    /// The password's bytes, for the hasher only.
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A password that met the [`PasswordPolicy`] when its account was created.
///
/// Only [`PasswordPolicy::parse`] makes one, so a sign-up command cannot carry a password that
/// skipped the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPassword(Password);

impl AsRef<Password> for NewPassword {
    fn as_ref(&self) -> &Password {
        &self.0
    }
}

/// The rules a new password must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    min_chars: usize,
}

impl PasswordPolicy {
    /// NIST SP 800-63B's minimum for user-chosen passwords; the policy never goes below it.
    pub const MIN_CHARS: usize = 8;

    /// A policy requiring at least `min_chars` characters, which must lie between
    /// [`Self::MIN_CHARS`] and [`Password::MAX_CHARS`].
    pub fn new(min_chars: usize) -> Result<Self, Invalid> {
        if (Self::MIN_CHARS..=Password::MAX_CHARS).contains(&min_chars) {
            Ok(Self { min_chars })
        } else {
            Err(Invalid::new(format!(
                "must be between {} and {}",
                Self::MIN_CHARS,
                Password::MAX_CHARS
            )))
        }
    }

    pub fn min_chars(&self) -> usize {
        self.min_chars
    }

    /// Checks a new account's password: long enough, and free of control characters (which no
    /// keyboard produces and which other systems truncate or mangle). Nothing is trimmed.
    pub fn parse(&self, raw: String) -> Result<NewPassword, Invalid> {
        if raw.chars().count() < self.min_chars {
            return Err(Invalid::new(format!(
                "must be at least {} characters",
                self.min_chars
            )));
        }
        if has_control_chars(&raw) {
            return Err(Invalid::new("must not contain control characters"));
        }
        Password::parse(raw).map(NewPassword)
    }
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_chars: Self::MIN_CHARS,
        }
    }
}

/// A password hash as stored: a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$…`, which
/// carries its algorithm, parameters and salt, so old hashes keep verifying after the cost
/// parameters change.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a stored PHC string; anything that does not look like one is refused, so a corrupt
    /// item fails loudly instead of rejecting every password.
    pub fn parse(phc: String) -> Result<Self, Invalid> {
        if phc.starts_with('$') && phc.len() > 1 {
            Ok(Self(phc))
        } else {
            Err(Invalid::new("must be a PHC string"))
        }
    }

    /// The PHC string, for the hasher and the store only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_kept_exactly_as_typed() {
        for raw in [
            "  spaces around  ",
            "Ünïcødé passwörd",
            "\u{1F512}\u{1F511}",
        ] {
            let password = Password::parse(raw.to_owned()).expect("valid");
            assert_eq!(password.expose(), raw.as_bytes());
        }
    }

    #[test]
    fn the_policy_counts_characters_not_bytes() {
        let policy = PasswordPolicy::new(8).expect("valid policy");
        assert!(
            policy.parse("ééééééé".to_owned()).is_err(),
            "7 characters, 14 bytes"
        );
        assert!(policy.parse("éééééééé".to_owned()).is_ok(), "8 characters");
    }

    #[test]
    fn invalid_new_passwords_are_refused_with_a_reason() {
        let policy = PasswordPolicy::new(12).expect("valid policy");
        let cases = [
            ("", "must be at least 12 characters", "empty"),
            ("elevenchars", "must be at least 12 characters", "one short"),
            ("            ", "", "twelve spaces are a password"),
            (
                "twelve chars\0",
                "must not contain control characters",
                "NUL",
            ),
            (
                "tab\tinside it",
                "must not contain control characters",
                "tab",
            ),
            (
                "line\nbreak inside",
                "must not contain control characters",
                "newline",
            ),
        ];
        for (raw, reason, why) in cases {
            let result = policy.parse(raw.to_owned()).map(|_| ());
            let expected = if reason.is_empty() {
                Ok(())
            } else {
                Err(Invalid::new(reason))
            };
            assert_eq!(result, expected, "case: {why}");
        }
        let too_long = "x".repeat(Password::MAX_CHARS + 1);
        assert_eq!(
            policy.parse(too_long).map(|_| ()),
            Err(Invalid::new("must be at most 256 characters"))
        );
    }

    #[test]
    fn a_candidate_password_is_only_bounded_not_held_to_the_policy() {
        let cases = [
            ("short", Ok(()), "shorter than any policy"),
            ("", Err(Invalid::new("must not be empty")), "empty"),
        ];
        for (raw, expected, why) in cases {
            assert_eq!(
                Password::parse(raw.to_owned()).map(|_| ()),
                expected,
                "case: {why}"
            );
        }
        assert!(Password::parse("x".repeat(Password::MAX_CHARS)).is_ok());
        assert!(Password::parse("x".repeat(Password::MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn the_policy_minimum_must_lie_in_range() {
        for (min, valid) in [(7, false), (8, true), (64, true), (256, true), (257, false)] {
            assert_eq!(PasswordPolicy::new(min).is_ok(), valid, "minimum {min}");
        }
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let password = Password::parse("hunter2hunter2".to_owned()).expect("valid");
        let hash = PasswordHash::parse("$argon2id$v=19$secret-material".to_owned()).expect("valid");
        let printed = format!("{password:?} {hash:?} {:?}", NewPassword(password.clone()));
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("secret-material"), "{printed}");
    }

    #[test]
    fn a_stored_hash_must_look_like_a_phc_string() {
        assert!(PasswordHash::parse(String::new()).is_err());
        assert!(PasswordHash::parse("plaintext".to_owned()).is_err());
        assert!(
            PasswordHash::parse("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned()).is_ok()
        );
    }
}
