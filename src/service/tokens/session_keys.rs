//! The keys that refresh tokens are derived under, kept outside the table like the pepper.
//!
//! The secret of a session's token of generation `g` is HMAC-SHA-256(key, label, session id,
//! `g`). So the service can tell a genuine token of any generation from a forgery without
//! storing one digest per generation (reuse of a token however many rotations old is caught),
//! and a dump of the table, which holds only generation numbers, yields no usable token.
//!
//! The secret holds a key, or a document `{"current": key, "previous": [key, …]}`: new tokens
//! are derived under `current`; a token is genuine if any key listed derives it, so a rotation
//! signs nobody out (each session moves to the new key at its next refresh) and reuse of a
//! token issued before it is still recognised, until its key is dropped from `previous`.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::domain::{Invalid, RefreshToken, SECRET_BYTES, Session};

/// One key. Never printed.
#[derive(Clone)]
struct SessionKey {
    /// A public fingerprint, to tell keys apart without showing them.
    id: [u8; 8],
    mac: Hmac<Sha256>,
}

impl SessionKey {
    /// The shortest key accepted: as many bytes as HMAC-SHA-256 outputs.
    const MIN_BYTES: usize = 32;
    const ID_LABEL: &[u8] = b"user-service session key\0";
    const TOKEN_LABEL: &[u8] = b"user-service refresh token\0";

    fn new(secret: &str, role: &str) -> Result<Self, Invalid> {
        if secret.len() < Self::MIN_BYTES {
            return Err(Invalid::new(format!(
                "{role}: must be at least {} bytes",
                Self::MIN_BYTES
            )));
        }
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
            .map_err(|_| Invalid::new(format!("{role}: must be a valid HMAC key")))?;
        let digest = Sha256::new()
            .chain_update(Self::ID_LABEL)
            .chain_update(secret.as_bytes())
            .finalize();
        let mut id = [0; 8];
        id.copy_from_slice(&digest[..8]);
        Ok(Self { id, mac })
    }

    /// The MAC of `session`'s token of `generation`, ready to finish or verify.
    fn mac(&self, session: &Session, generation: u64) -> Hmac<Sha256> {
        let id = session.id().to_string();
        let mut mac = self.mac.clone();
        mac.update(Self::TOKEN_LABEL);
        mac.update(id.as_bytes());
        mac.update(&generation.to_be_bytes());
        mac
    }
}

/// The JSON form of a versioned key secret.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    current: String,
    #[serde(default)]
    previous: Vec<String>,
}

/// Every session key this instance knows. Never printed.
#[derive(Clone)]
pub struct SessionKeys {
    current: SessionKey,
    previous: Vec<SessionKey>,
}

impl SessionKeys {
    /// A secret's text: the key itself (at least 32 bytes), or a document
    /// `{"current": "…", "previous": ["…", …]}`. Errors never quote a key.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        if !text.trim_start().starts_with('{') {
            return Ok(Self {
                current: SessionKey::new(text, "the key")?,
                previous: Vec::new(),
            });
        }
        let document: Document = serde_json::from_str(text).map_err(|e| {
            Invalid::new(format!(
                "must be a key or a key document (JSON {:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let keys = Self {
            current: SessionKey::new(&document.current, "current")?,
            previous: (document.previous.iter())
                .map(|key| SessionKey::new(key, "previous"))
                .collect::<Result<_, _>>()?,
        };
        let ids: Vec<[u8; 8]> = keys.all().map(|key| key.id).collect();
        if (1..ids.len()).any(|i| ids[..i].contains(&ids[i])) {
            return Err(Invalid::new("must not list the same key twice"));
        }
        Ok(keys)
    }

    /// The current token of `session`, derived under the current key.
    pub fn token(&self, session: &Session) -> RefreshToken {
        let secret: [u8; SECRET_BYTES] = (self.current)
            .mac(session, session.generation())
            .finalize()
            .into_bytes()
            .into();
        RefreshToken::new(session.id(), session.generation(), secret)
    }

    /// Whether `token` is one `session` could have issued: its secret is the one some key
    /// listed derives for its generation, compared in constant time.
    pub fn is_genuine(&self, session: &Session, token: &RefreshToken) -> bool {
        self.all().any(|key| {
            key.mac(session, token.generation())
                .verify_slice(token.secret())
                .is_ok()
        })
    }

    fn all(&self) -> impl Iterator<Item = &SessionKey> {
        std::iter::once(&self.current).chain(&self.previous)
    }
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKeys(<redacted>)")
    }
}

#[cfg(test)]
#[path = "session_keys_tests.rs"]
mod tests;
