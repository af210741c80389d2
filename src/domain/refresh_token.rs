//! Refresh tokens: opaque bearer secrets that continue a session.
//!
//! A token is `<session id>.<generation>.<secret>`: the session id says which item to read
//! (one `GetItem`, no index), the generation which of the session's tokens it claims to be (the
//! first is 0, each refresh issues the next), and the 256-bit secret proves the claim. The
//! secret is not random but derived from the session id and the generation under a key that is
//! kept outside the table (`service::tokens::SessionKeys`). So the service recognises every
//! token it ever issued for a session, however old, while the session stores nothing but a
//! number, and a copy of the table yields no usable token.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Invalid;

/// The length of a token's secret, in bytes.
pub const SECRET_BYTES: usize = 32;

super::id::uuid_id!(
    /// Which session a refresh token belongs to: a random (v4) UUID, not a secret.
    SessionId
);

/// A refresh token. Its `Debug` hides the secret; [`RefreshToken::reveal`] is for the one
/// response that issues it.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken {
    session: SessionId,
    generation: u64,
    secret: [u8; SECRET_BYTES],
}

impl RefreshToken {
    /// The token of `session`'s `generation`, whose secret is `secret` (the session keys
    /// derive it; nothing else may make up a token).
    pub(crate) fn new(session: SessionId, generation: u64, secret: [u8; SECRET_BYTES]) -> Self {
        Self {
            session,
            generation,
            secret,
        }
    }

    /// Parses what [`RefreshToken::reveal`] wrote; anything else is refused.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let malformed = || Invalid::new("is not a refresh token");
        let mut parts = raw.split('.');
        let (Some(session), Some(generation), Some(secret), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed());
        };
        let session = SessionId::parse(session).map_err(|_| malformed())?;
        let digits = !generation.is_empty() && generation.bytes().all(|b| b.is_ascii_digit());
        let generation = (digits && (generation == "0" || !generation.starts_with('0')))
            .then(|| generation.parse().ok())
            .flatten()
            .ok_or_else(malformed)?;
        let secret = URL_SAFE_NO_PAD
            .decode(secret)
            .ok()
            .and_then(|bytes| <[u8; SECRET_BYTES]>::try_from(bytes).ok())
            .ok_or_else(malformed)?;
        Ok(Self {
            session,
            generation,
            secret,
        })
    }

    pub fn session(&self) -> SessionId {
        self.session
    }

    /// Which of its session's tokens this claims to be.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The secret, for the session keys to check it against the one they derive.
    pub(crate) fn secret(&self) -> &[u8; SECRET_BYTES] {
        &self.secret
    }

    /// The token's text, for the response that hands it to its owner, and nowhere else.
    pub fn reveal(&self) -> String {
        format!(
            "{}.{}.{}",
            self.session,
            self.generation,
            URL_SAFE_NO_PAD.encode(self.secret)
        )
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("session", &self.session)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> RefreshToken {
        RefreshToken::new(SessionId::generate(), 7, [0x5a; SECRET_BYTES])
    }

    #[test]
    fn a_token_survives_its_text_form() {
        let token = token();
        assert_eq!(RefreshToken::parse(&token.reveal()), Ok(token));
    }

    #[test]
    fn the_secret_carries_256_bits_and_the_generation_is_plain() {
        let text = token().reveal();
        let parts: Vec<&str> = text.split('.').collect();
        assert_eq!(parts[1], "7");
        assert_eq!(URL_SAFE_NO_PAD.decode(parts[2]).map(|b| b.len()), Ok(32));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let token = token();
        let secret = token.reveal().rsplit_once('.').expect("parts").1.to_owned();
        assert!(!format!("{token:?}").contains(&secret));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let good = token().reveal();
        let parts: Vec<&str> = good.split('.').collect();
        let (session, secret) = (parts[0], parts[2]);
        let cases = [
            String::new(),
            "no-dot".to_owned(),
            format!("{session}.{secret}"),
            format!("not-a-uuid.0.{secret}"),
            // The session id spelled any way but the one `reveal` writes.
            format!("{}.0.{secret}", session.to_uppercase()),
            format!("{}.0.{secret}", session.replace('-', "")),
            format!("{{{session}}}.0.{secret}"),
            format!("urn:uuid:{session}.0.{secret}"),
            format!("{session}.0."),
            format!("{session}..{secret}"),
            format!("{session}.-1.{secret}"),
            format!("{session}.+1.{secret}"),
            format!("{session}.01.{secret}"),
            format!("{session}.1e3.{secret}"),
            format!("{session}.99999999999999999999.{secret}"),
            format!("{session}.0.{}", &secret[1..]),
            format!("{session}.0.{secret}AAAA"),
            format!("{session}.0.{secret}="),
            format!("{good}.extra"),
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln".to_owned(),
        ];
        for case in cases {
            assert!(RefreshToken::parse(&case).is_err(), "{case:?}");
        }
    }
}
