//! Recovery codes: the way back in when the authenticator app is lost.
//!
//! An account with TOTP gets [`RECOVERY_CODES`] of them at once, shown to its owner once; each
//! stands in for a TOTP code exactly once. A code is 12 characters of Crockford's Base32 (60
//! random bits, no `i`, `l`, `o` or `u` to misread), shown as `xxxx-xxxx-xxxx`; the store keeps
//! only keyed digests ([`RecoveryDigest`](super::RecoveryDigest), made under the TOTP keys), so a copy
//! of the table holds none of them.

use std::fmt;

use super::Invalid;

/// How many codes an account is given at a time.
pub const RECOVERY_CODES: usize = 10;
/// Characters per code: 5 bits each, 60 in all.
const LENGTH: usize = 12;
/// Crockford's Base32, lower case.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A recovery code in clear, in its canonical form (12 lower-case characters). Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl RecoveryCode {
    /// A fresh code from the CSPRNG: each character one uniform 5-bit draw.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; LENGTH];
        getrandom::fill(&mut bytes)?;
        let text = bytes
            .iter()
            .map(|byte| char::from(ALPHABET[usize::from(byte & 31)]))
            .collect();
        Ok(Self(text))
    }

    /// A fresh set of [`RECOVERY_CODES`].
    pub fn generate_set() -> Result<Vec<Self>, getrandom::Error> {
        (0..RECOVERY_CODES).map(|_| Self::generate()).collect()
    }

    /// A code as a person types it back: case, hyphens and spaces do not matter, and the
    /// letters Crockford's alphabet leaves out read as the digits they resemble.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let text: Option<String> = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| match c.to_ascii_lowercase() {
                'o' => Some('0'),
                'i' | 'l' => Some('1'),
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
                _ => None,
            })
            .collect();
        match text {
            Some(text) if text.len() == LENGTH => Ok(Self(text)),
            _ => Err(Invalid::new(
                "must be one of your recovery codes (xxxx-xxxx-xxxx)",
            )),
        }
    }

    /// The canonical form, which the digest is made of.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// The form shown to the owner: `xxxx-xxxx-xxxx`.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_ten_distinct_codes_of_sixty_bits() {
        let codes = RecoveryCode::generate_set().expect("random");
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::HashSet<_> = codes.iter().map(|c| &c.0).collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        const { assert!(LENGTH * 5 >= 50, "at least 50 bits each") };
        for code in &codes {
            assert_eq!(code.0.len(), LENGTH);
            assert!(code.0.bytes().all(|b| ALPHABET.contains(&b)));
        }
    }

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = RecoveryCode::generate().expect("random");
        let shown = code.display();
        for typed in [
            shown.clone(),
            shown.to_uppercase(),
            shown.replace('-', " "),
            code.0.clone(),
        ] {
            assert_eq!(RecoveryCode::parse(&typed), Ok(code.clone()), "{typed:?}");
        }
        assert_eq!(
            RecoveryCode::parse("0O1I-lL00-0000").map(|c| c.0),
            Ok("001111000000".to_owned())
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for raw in [
            "",
            "abcd-efgh-jkm",
            "abcd-efgh-jkmnp",
            "abcd-efgh-jkmu",
            "abcd-éfgh-jkmn",
        ] {
            assert!(RecoveryCode::parse(raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn debug_output_hides_the_code() {
        let code = RecoveryCode::generate().expect("random");
        assert!(!format!("{code:?}").contains(code.reveal()));
    }
}
