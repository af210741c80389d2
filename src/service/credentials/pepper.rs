//! The pepper: a secret mixed into every password before hashing, kept outside the database so
//! that a leaked table alone does not allow offline guessing.
//!
//! Peppers are versioned, so one can be replaced without resetting anyone. Every hash records
//! which pepper it was made with, as the PHC string's `keyid` (a fingerprint, see
//! [`PepperId`]). The configuration holds the **current** pepper, which new hashes use, an
//! optional **next** one, and any **previous** ones that stored hashes still use. A password
//! verified against a previous pepper's hash is re-hashed with the current one (see
//! `authenticate.rs`), so accounts move over as their owners sign in, and a previous pepper can
//! be dropped once no hash uses it (`scripts/pepper.py` counts, and refuses otherwise).
//!
//! The **next** pepper makes rotation safe while instances started before and after it run side
//! by side: rotation promotes `next` to `current`, and every instance running at that moment
//! already knows it (it read it as `next`), so it can verify the hashes the newer instances make.
//! A hash made with a newer pepper than an instance's current one is therefore never re-hashed
//! "back" by that instance.
//!
//! Hashes made before peppers were versioned carry no `keyid`. They were made with the first
//! pepper ever configured, which is the oldest one still listed: the last of `previous`, or
//! `current` when there is none.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::key_document::{KeyDocument, each_once};
use crate::domain::{Invalid, Password};

/// A public fingerprint of a pepper: the first 8 bytes of SHA-256 over a fixed label, a zero
/// byte and the secret. Eight bytes is the most a PHC `keyid` holds; they say which pepper made
/// a hash and nothing useful about the secret (at least 256 bits) itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PepperId([u8; 8]);

impl PepperId {
    const LABEL: &[u8] = b"user-service pepper\0";

    fn of(secret: &[u8]) -> Self {
        let digest = Sha256::new()
            .chain_update(Self::LABEL)
            .chain_update(secret)
            .finalize();
        let mut id = [0; 8];
        id.copy_from_slice(&digest[..8]);
        Self(id)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for PepperId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PepperId(")?;
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))?;
        write!(f, ")")
    }
}

/// One pepper, held as a keyed HMAC. Never printed.
#[derive(Clone)]
pub struct Pepper {
    mac: Hmac<Sha256>,
    id: PepperId,
}

impl Pepper {
    /// The shortest pepper accepted: as many bytes as HMAC-SHA-256 outputs.
    pub const MIN_BYTES: usize = 32;

    pub fn new(secret: impl Into<Vec<u8>>) -> Result<Self, Invalid> {
        let secret = secret.into();
        if secret.len() < Self::MIN_BYTES {
            return Err(Invalid::new(format!(
                "must be at least {} bytes",
                Self::MIN_BYTES
            )));
        }
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&secret)
            .map_err(|_| Invalid::new("must be a valid HMAC key"))?;
        Ok(Self {
            mac,
            id: PepperId::of(&secret),
        })
    }

    pub fn id(&self) -> PepperId {
        self.id
    }

    /// HMAC-SHA-256(pepper, password): what Argon2 actually hashes.
    pub(super) fn apply(&self, password: &Password) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(password.expose());
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Debug for Pepper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pepper(<redacted>)")
    }
}

/// How a stored hash's pepper relates to the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PepperAge {
    Current,
    /// `next`: made by an instance started after a rotation this one has not seen.
    Newer,
    /// One of `previous`: the hash is re-made with the current pepper when next verified.
    Older,
}

/// Every pepper this instance knows. Never printed.
#[derive(Clone)]
pub struct Peppers {
    current: Pepper,
    next: Option<Pepper>,
    /// Newest first.
    previous: Vec<Pepper>,
}

impl Peppers {
    /// A secret's text: either the pepper itself, or a document
    /// `{"current": "…", "next": "…" or null, "previous": ["…", …]}` (`previous` newest first;
    /// `next` and `previous` may be left out).
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        if !text.trim_start().starts_with('{') {
            return Pepper::new(text).map(Self::from);
        }
        let document = KeyDocument::parse(text, "pepper")?;
        let pepper = |role: &str, secret: String| {
            Pepper::new(secret).map_err(|reason| Invalid::new(format!("{role}: {reason}")))
        };
        let peppers = Self {
            current: pepper("current", document.current)?,
            next: document.next.map(|next| pepper("next", next)).transpose()?,
            previous: (document.previous.into_iter())
                .map(|old| pepper("previous", old))
                .collect::<Result<_, _>>()?,
        };
        let ids: Vec<PepperId> = peppers.all().map(|(pepper, _)| pepper.id).collect();
        each_once(&ids, "the same pepper")?;
        Ok(peppers)
    }

    /// The pepper new hashes are made with.
    pub fn current(&self) -> &Pepper {
        &self.current
    }

    /// The pepper a stored hash was made with, given its `keyid` (empty when it has none), and
    /// how old it is; `None` when no configured pepper has that id.
    pub fn made_with(&self, keyid: &[u8]) -> Option<(&Pepper, PepperAge)> {
        if keyid.is_empty() {
            return self.all().last();
        }
        self.all().find(|(pepper, _)| pepper.id.as_bytes() == keyid)
    }

    /// Next, current, then previous newest first: from the newest to the oldest.
    fn all(&self) -> impl Iterator<Item = (&Pepper, PepperAge)> {
        let next = self.next.iter().map(|p| (p, PepperAge::Newer));
        let current = std::iter::once((&self.current, PepperAge::Current));
        let previous = self.previous.iter().map(|p| (p, PepperAge::Older));
        next.chain(current).chain(previous)
    }
}

impl From<Pepper> for Peppers {
    /// Just one pepper, as in an unversioned secret.
    fn from(current: Pepper) -> Self {
        Self {
            current,
            next: None,
            previous: Vec::new(),
        }
    }
}

impl fmt::Debug for Peppers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Peppers(<redacted>)")
    }
}

#[cfg(test)]
#[path = "pepper_tests.rs"]
mod tests;
