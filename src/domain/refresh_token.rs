//! Refresh tokens: opaque bearer secrets that continue a session, and the digest stored for them.
//!
//! A token is `<session id>.<secret>`: the session id says which item to read (one `GetItem`,
//! no index), and the secret is 256 bits straight from the operating system's random source.
//! Only the SHA-256 digest of the secret is stored, so a copy of the table signs nobody in. A
//! digest may be compared with `==`: timing reveals at most how much of a hash matches, and
//! finding a secret with a chosen hash prefix is a preimage search.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::Invalid;

const SECRET_BYTES: usize = 32;

super::id::uuid_id!(
    /// Which session a refresh token belongs to: a random (v4) UUID, not a secret.
    SessionId
);

/// A refresh token. Its `Debug` hides the secret; [`RefreshToken::reveal`] is for the one
/// response that issues it.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken {
    session: SessionId,
    secret: [u8; SECRET_BYTES],
}

impl RefreshToken {
    /// A new token for `session`, with a fresh secret.
    pub fn issue(session: SessionId) -> Result<Self, getrandom::Error> {
        let mut secret = [0; SECRET_BYTES];
        getrandom::fill(&mut secret)?;
        Ok(Self { session, secret })
    }

    /// Parses what [`RefreshToken::reveal`] wrote; anything else is refused.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let malformed = || Invalid::new("is not a refresh token");
        let (session, secret) = raw.split_once('.').ok_or_else(malformed)?;
        let session = SessionId::parse(session).map_err(|_| malformed())?;
        let secret = URL_SAFE_NO_PAD
            .decode(secret)
            .ok()
            .and_then(|bytes| <[u8; SECRET_BYTES]>::try_from(bytes).ok())
            .ok_or_else(malformed)?;
        Ok(Self { session, secret })
    }

    pub fn session(&self) -> SessionId {
        self.session
    }

    /// What is stored in place of the secret.
    pub fn digest(&self) -> TokenDigest {
        TokenDigest(Sha256::digest(self.secret).into())
    }

    /// The token's text, for the response that hands it to its owner, and nowhere else.
    pub fn reveal(&self) -> String {
        format!("{}.{}", self.session, URL_SAFE_NO_PAD.encode(self.secret))
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// The SHA-256 digest of a refresh token's secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenDigest([u8; 32]);

impl TokenDigest {
    /// Parses the text written by [`fmt::Display`] (unpadded URL-safe base64).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        URL_SAFE_NO_PAD
            .decode(raw)
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .map(Self)
            .ok_or_else(|| Invalid::new("is not a token digest"))
    }
}

impl fmt::Display for TokenDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> RefreshToken {
        RefreshToken::issue(SessionId::generate()).expect("the OS has randomness")
    }

    #[test]
    fn a_token_survives_its_text_form() {
        let token = token();
        assert_eq!(RefreshToken::parse(&token.reveal()), Ok(token));
    }

    #[test]
    fn two_tokens_of_one_session_differ_in_secret_and_digest() {
        let session = SessionId::generate();
        let (a, b) = (
            RefreshToken::issue(session).expect("random"),
            RefreshToken::issue(session).expect("random"),
        );
        assert_ne!(a, b);
        assert_ne!(a.digest(), b.digest());
    }

    #[test]
    fn the_secret_carries_256_bits() {
        let text = token().reveal();
        let (_, secret) = text.split_once('.').expect("two parts");
        assert_eq!(URL_SAFE_NO_PAD.decode(secret).map(|b| b.len()), Ok(32));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let token = token();
        let secret = token
            .reveal()
            .split_once('.')
            .expect("two parts")
            .1
            .to_owned();
        assert!(!format!("{token:?}").contains(&secret));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let good = token().reveal();
        let (session, secret) = good.split_once('.').expect("two parts");
        let cases = [
            String::new(),
            "no-dot".to_owned(),
            format!("not-a-uuid.{secret}"),
            format!("{session}."),
            format!("{session}.{}", &secret[1..]),
            format!("{session}.{secret}AAAA"),
            format!("{session}.{secret}="),
            format!("{good}.extra"),
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln".to_owned(),
        ];
        for case in cases {
            assert!(RefreshToken::parse(&case).is_err(), "{case:?}");
        }
    }

    #[test]
    fn a_digest_survives_its_text_form() {
        let digest = token().digest();
        assert_eq!(TokenDigest::parse(&digest.to_string()), Ok(digest));
        assert!(TokenDigest::parse("short").is_err());
    }
}
