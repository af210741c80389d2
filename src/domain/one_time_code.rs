//! One-time codes: the digits a mail carries to prove that its reader holds the mailbox.
//!
//! A code is drawn from the operating system's CSPRNG (`getrandom`), uniformly: a random
//! 64-bit number outside the last incomplete block of `10^digits` is drawn again, so no
//! code is likelier than another. It exists in clear only on its way to the mailbox (the
//! [`Mail`](crate::service::Mail)) and in the request that brings it back; the store keeps a
//! keyed digest of it ([`CodeDigest`], made by the service's session keys), and neither its
//! `Debug` nor any error message shows its digits.

use std::fmt;

use super::{CodePurpose, Invalid};

/// A code of one purpose's length, in clear.
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

impl OneTimeCode {
    /// A fresh code for `purpose`, from the CSPRNG.
    pub fn generate(purpose: CodePurpose) -> Result<Self, getrandom::Error> {
        let digits = purpose.digits();
        let bound = 10u64.pow(digits as u32);
        // The largest multiple of `bound`: numbers at or above it would favour small codes.
        let fair = u64::MAX - u64::MAX % bound;
        loop {
            let drawn = getrandom::u64()?;
            if drawn < fair {
                return Ok(Self(format!("{:0digits$}", drawn % bound)));
            }
        }
    }

    /// A code as a client sends it back: exactly `purpose.digits()` ASCII digits, surrounding
    /// white space forgiven (codes are copied out of mails).
    pub fn parse(raw: &str, purpose: CodePurpose) -> Result<Self, Invalid> {
        let code = raw.trim();
        let digits = purpose.digits();
        if code.len() == digits && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(code.to_owned()))
        } else {
            Err(Invalid::new(format!("must be {digits} digits")))
        }
    }

    /// The digits, for the mail that carries them and the digest that stores them.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(<redacted>)")
    }
}

/// What the store keeps of a code: HMAC-SHA-256 under a key outside the table, so a copy of
/// the table does not let anyone try the 10^8 codes offline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CodeDigest(pub(crate) [u8; 32]);

impl CodeDigest {
    /// The digest's bytes, for a store to write and the service to compare (in constant time).
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A digest read back from a store.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for CodeDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeDigest(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_its_purposes_length_in_digits_and_codes_differ() {
        for purpose in CodePurpose::ALL {
            let codes: Vec<String> = (0..50)
                .map(|_| OneTimeCode::generate(purpose).expect("random").0)
                .collect();
            for code in &codes {
                assert_eq!(code.len(), purpose.digits(), "{purpose:?}");
                assert!(code.bytes().all(|b| b.is_ascii_digit()));
            }
            let distinct: std::collections::HashSet<_> = codes.iter().collect();
            assert!(distinct.len() > 45, "{purpose:?}: drawn at random");
        }
    }

    #[test]
    fn a_code_sent_back_must_be_exactly_its_digits() {
        let accepted = [
            (" 012345 ", CodePurpose::Verification),
            ("01234567", CodePurpose::PasswordReset),
        ];
        for (raw, purpose) in accepted {
            assert!(OneTimeCode::parse(raw, purpose).is_ok(), "{raw:?}");
        }
        let refused = [
            ("", CodePurpose::Verification),
            ("12345", CodePurpose::Verification),
            ("1234567", CodePurpose::Verification),
            ("12345a", CodePurpose::Verification),
            ("１２３４５６", CodePurpose::Verification),
            ("123456", CodePurpose::PasswordReset),
            ("12 34 56 78", CodePurpose::EmailChange),
            ("-1234567", CodePurpose::EmailChange),
        ];
        for (raw, purpose) in refused {
            let refusal = OneTimeCode::parse(raw, purpose).expect_err(raw);
            assert_eq!(
                refusal.to_string(),
                format!("must be {} digits", purpose.digits())
            );
        }
    }

    #[test]
    fn debug_output_hides_the_digits() {
        let code = OneTimeCode::generate(CodePurpose::PasswordReset).expect("random");
        assert!(!format!("{code:?}").contains(code.reveal()));
    }
}
