//! Authenticator-app codes (TOTP, RFC 6238): the secret an account shares with its owner's
//! app, the six digits the app shows, and the rule for accepting them.
//!
//! The parameters are the ones every authenticator app assumes when an `otpauth://` URI says
//! nothing else: HMAC-SHA-1, 6 digits, 30-second steps. A code is accepted for the step it was
//! made in, or one step either side (clocks drift, and people type slowly), and only for a step
//! after the last one accepted: a code, once used, is spent, even within its 30 seconds. The
//! arithmetic is totp-rs's; nothing here computes an HMAC.

use std::fmt;

use totp_rs::{Builder, Secret, Totp};

use super::Invalid;

/// How many bytes a secret has: 160 bits, RFC 4226's recommendation.
pub const TOTP_SECRET_BYTES: usize = 20;
/// Seconds per step.
pub const TOTP_STEP_SECONDS: u64 = 30;
/// Digits per code.
pub const TOTP_DIGITS: usize = 6;

/// A TOTP secret, in clear. It exists in clear only in memory: the store keeps it sealed
/// (`TotpKeys`), the client sees it once, at enrolment. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret([u8; TOTP_SECRET_BYTES]);

impl TotpSecret {
    /// A fresh secret from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0; TOTP_SECRET_BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Self(bytes))
    }

    /// A secret from its bytes (as unsealed), which must be exactly [`TOTP_SECRET_BYTES`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Invalid> {
        bytes
            .try_into()
            .map(Self)
            .map_err(|_| Invalid::new(format!("must be {TOTP_SECRET_BYTES} bytes")))
    }

    /// The bytes, for sealing.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The unpadded Base32 form that authenticator apps read (the `secret` of an `otpauth` URI).
    pub fn base32(&self) -> String {
        Secret::from(self.0).to_base32()
    }

    /// The step `code` was made in, if it is this secret's code for the step of `now` or one
    /// either side (compared in constant time).
    pub fn step_of(&self, code: &TotpCode, now: u64) -> Option<u64> {
        self.generator().check(&code.0, now)
    }

    /// The code for the step of `time`: what the owner's app shows then (for tests and tools).
    pub fn code_at(&self, time: u64) -> TotpCode {
        TotpCode(self.generator().generate(time).to_string())
    }

    /// SHA-1, 6 digits, 30 s, a step of skew: Builder's defaults, stated anyway. The
    /// parameters are RFC-compliant, so `build_noncompliant` builds what `build` would (a test
    /// holds them to `build`) without an error path that cannot happen.
    fn generator(&self) -> Totp {
        Builder::new()
            .with_algorithm(totp_rs::Algorithm::SHA1)
            .with_digits(TOTP_DIGITS as u8)
            .with_step_duration(TOTP_STEP_SECONDS)
            .with_skew(1)
            .with_secret(self.0)
            .build_noncompliant()
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

/// A six-digit code as a client sends it. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpCode(String);

impl TotpCode {
    /// Exactly six ASCII digits; surrounding white space and one space in the middle (apps show
    /// `123 456`) forgiven.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let trimmed = raw.trim();
        let code: String = match trimmed.split_once(' ') {
            Some((first, second)) if first.len() == 3 => format!("{first}{second}"),
            _ => trimmed.to_owned(),
        };
        if code.len() == TOTP_DIGITS && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(code))
        } else {
            Err(Invalid::new(format!(
                "must be the {TOTP_DIGITS} digits your authenticator app shows"
            )))
        }
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TotpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret and its 8-digit codes, of which a 6-digit code
    /// is the last six (the truncation is the same, modulo 10^6).
    const RFC_SECRET: &[u8; 20] = b"12345678901234567890";
    const RFC_VECTORS: [(u64, &str); 6] = [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];

    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(RFC_SECRET).expect("20 bytes")
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        for (time, eight) in RFC_VECTORS {
            assert_eq!(
                rfc_secret().code_at(time).reveal(),
                &eight[2..],
                "at {time}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_for_its_step_and_one_either_side_only() {
        let secret = rfc_secret();
        let made_at = 1_111_111_111;
        let code = secret.code_at(made_at);
        let step = made_at / TOTP_STEP_SECONDS;
        let cases = [
            (made_at, Some(step)),
            (made_at - TOTP_STEP_SECONDS, Some(step)),
            (made_at + TOTP_STEP_SECONDS, Some(step)),
            (made_at - 2 * TOTP_STEP_SECONDS, None),
            (made_at + 2 * TOTP_STEP_SECONDS, None),
        ];
        for (now, expected) in cases {
            assert_eq!(secret.step_of(&code, now), expected, "checked at {now}");
        }
    }

    #[test]
    fn another_secrets_code_is_refused() {
        let other = TotpSecret::generate().expect("random");
        let code = rfc_secret().code_at(59);
        assert_eq!(other.step_of(&code, 59), None);
    }

    #[test]
    fn the_generator_is_rfc_compliant() {
        let built = Builder::new()
            .with_digits(TOTP_DIGITS as u8)
            .with_step_duration(TOTP_STEP_SECONDS)
            .with_secret(*RFC_SECRET)
            .build();
        assert!(built.is_ok());
    }

    #[test]
    fn secrets_are_160_random_bits_in_base32() {
        let (a, b) = (
            TotpSecret::generate().expect("random"),
            TotpSecret::generate().expect("random"),
        );
        assert_ne!(a, b);
        assert_eq!(a.base32().len(), 32, "160 bits are 32 Base32 characters");
        assert_eq!(rfc_secret().base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn codes_are_six_digits_as_apps_show_them() {
        for raw in ["123456", " 123456 ", "123 456"] {
            assert_eq!(
                TotpCode::parse(raw).map(|c| c.0),
                Ok("123456".to_owned()),
                "{raw:?}"
            );
        }
        for raw in [
            "",
            "12345",
            "1234567",
            "12345a",
            "１２３４５６",
            "12 3456",
            "123  456",
        ] {
            assert!(TotpCode::parse(raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn debug_output_hides_secrets_and_codes() {
        let secret = rfc_secret();
        assert!(!format!("{secret:?}").contains(&secret.base32()));
        assert_eq!(format!("{:?}", secret.code_at(59)), "TotpCode(<redacted>)");
    }
}
