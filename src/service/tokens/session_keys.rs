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
//!
//! One-time codes are digested under the same keys with a label of their own (so no code
//! digest is ever a token's secret, or the other way round), bound to what the code is for:
//! its purpose, its account, the address its record is kept under and, for an e-mail change,
//! the address it went to. A code's digest from before a rotation still verifies.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::domain::{
    CodeDigest, CodePurpose, Email, Invalid, OneTimeCode, RefreshToken, SECRET_BYTES, Session,
    UserId,
};

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
    const CODE_LABEL: &[u8] = b"user-service one-time code\0";

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

/// What a code's digest binds it to, besides its digits.
#[derive(Debug, Clone, Copy)]
pub struct CodeBinding<'a> {
    pub purpose: CodePurpose,
    pub account: UserId,
    /// The address the code record is kept under.
    pub address: &'a Email,
    /// For an e-mail change, the address the code went to.
    pub to: Option<&'a Email>,
}

impl SessionKey {
    /// The MAC of `code` as bound by `binding`, ready to finish or verify. Each part is
    /// followed by a NUL, which none holds, so no two bindings write the same bytes.
    fn code_mac(&self, binding: &CodeBinding<'_>, code: &OneTimeCode) -> Hmac<Sha256> {
        let mut mac = self.mac.clone();
        mac.update(Self::CODE_LABEL);
        let account = binding.account.to_string();
        let to = binding.to.map_or("", AsRef::as_ref);
        for part in [
            binding.purpose.name(),
            &account,
            binding.address.as_ref(),
            to,
            code.reveal(),
        ] {
            mac.update(part.as_bytes());
            mac.update(b"\0");
        }
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

    /// The digest a code is stored as, under the current key.
    pub fn code_digest(&self, binding: &CodeBinding<'_>, code: &OneTimeCode) -> CodeDigest {
        let digest = self.current.code_mac(binding, code).finalize().into_bytes();
        CodeDigest::from_bytes(digest.into())
    }

    /// Whether `code`, bound by `binding`, is the one `digest` was made of under some key
    /// listed, compared in constant time.
    pub fn is_code(
        &self,
        digest: &CodeDigest,
        binding: &CodeBinding<'_>,
        code: &OneTimeCode,
    ) -> bool {
        self.all().any(|key| {
            key.code_mac(binding, code)
                .verify_slice(digest.bytes())
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
