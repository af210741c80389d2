//! The keys TOTP secrets are sealed under and recovery codes digested under, kept outside the
//! table like the pepper: a copy of the table alone yields no second factor.
//!
//! A secret is sealed with AES-256-GCM (aws-lc-rs) under a key derived from the configured one
//! by HKDF-SHA-256, with a fresh random 96-bit nonce, and bound to its account: the account id
//! is the AEAD's associated data, so a sealed secret copied onto another account does not open.
//! A sealed value is `key id (8 bytes) ‖ nonce (12) ‖ ciphertext and tag (20 + 16)`. The key
//! id is the first 8 bytes of SHA-256 over `user-service totp key\0` and the key: public, and
//! useless for guessing the key.
//!
//! The keys are versioned like the pepper ([`KeyDocument`]): new seals use `current`; a
//! sealed value opens under whichever listed key its id names (`next`, `current` or one of
//! `previous`), and one under another key than `current` is sealed anew when its account next
//! passes a second factor, so a previous key can be retired once `scripts/totp_key.py status`
//! shows nothing sealed under it. A value naming a key that is not listed fails loudly (a 500
//! with the reason in the log), never as a wrong code.
//!
//! Recovery codes are stored as `key id ‖ HMAC-SHA-256(key, account ‖ code)` under a second
//! key HKDF derives from the same one. They cannot be digested anew (the codes are not kept),
//! so they stay on the key they were made under until their owner replaces them: retiring
//! that key voids them, and `scripts/totp_key.py status` counts them with the sealed secrets.

use std::fmt;

use anyhow::{Context, anyhow};
use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::hkdf::{HKDF_SHA256, Salt};
use aws_lc_rs::hmac;
use sha2::{Digest, Sha256};

use super::key_document::{KeyDocument, each_once};
use crate::domain::{Invalid, RecoveryCode, RecoveryDigest, SealedSecret, TotpSecret, UserId};

const ID_LABEL: &[u8] = b"user-service totp key\0";
const HKDF_SALT: &[u8] = b"user-service totp key";
const HKDF_INFO: &[u8] = b"AES-256-GCM sealing of TOTP secrets";
const RECOVERY_INFO: &[u8] = b"HMAC-SHA-256 digests of recovery codes";
const ID_BYTES: usize = 8;

/// One key. Never printed.
struct TotpKey {
    id: [u8; ID_BYTES],
    aead: LessSafeKey,
    /// The key recovery codes are digested under: derived by HKDF like the AEAD's, with a
    /// label of its own, so neither key tells anything of the other.
    recovery: hmac::Key,
}

impl TotpKey {
    /// The shortest key accepted.
    const MIN_BYTES: usize = 32;

    fn new(secret: &str, role: &str) -> Result<Self, Invalid> {
        if secret.len() < Self::MIN_BYTES {
            return Err(Invalid::new(format!(
                "{role}: must be at least {} bytes",
                Self::MIN_BYTES
            )));
        }
        let digest = Sha256::new()
            .chain_update(ID_LABEL)
            .chain_update(secret.as_bytes())
            .finalize();
        let mut id = [0; ID_BYTES];
        id.copy_from_slice(&digest[..ID_BYTES]);
        let prk = Salt::new(HKDF_SHA256, HKDF_SALT).extract(secret.as_bytes());
        let underivable = || Invalid::new(format!("{role}: cannot derive a key"));
        let okm = (prk.expand(&[HKDF_INFO], &AES_256_GCM)).map_err(|_| underivable())?;
        let recovery =
            (prk.expand(&[RECOVERY_INFO], hmac::HMAC_SHA256)).map_err(|_| underivable())?;
        Ok(Self {
            id,
            aead: LessSafeKey::new(UnboundKey::from(okm)),
            recovery: hmac::Key::from(recovery),
        })
    }

    /// What a recovery code's MAC covers: its account and the code, NUL between.
    fn recovery_message(account: UserId, code: &RecoveryCode) -> Vec<u8> {
        [
            account.to_string().as_bytes(),
            b"\0",
            code.reveal().as_bytes(),
        ]
        .concat()
    }
}

/// Every TOTP key this instance knows. Never printed.
pub struct TotpKeys {
    current: TotpKey,
    next: Option<TotpKey>,
    /// Newest first.
    previous: Vec<TotpKey>,
}

impl TotpKeys {
    /// A secret's text: the key itself (at least 32 bytes), or a document
    /// `{"current": "…", "next": "…", "previous": ["…", …]}`. Errors never quote a key.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let document = KeyDocument::parse(text, "key")?;
        let keys = Self {
            current: TotpKey::new(&document.current, "current")?,
            next: (document.next.as_deref())
                .map(|key| TotpKey::new(key, "next"))
                .transpose()?,
            previous: (document.previous.iter())
                .map(|key| TotpKey::new(key, "previous"))
                .collect::<Result<_, _>>()?,
        };
        let ids: Vec<[u8; ID_BYTES]> = keys.all().map(|key| key.id).collect();
        each_once(&ids, "the same key")?;
        Ok(keys)
    }

    /// `secret`, sealed under the current key for `account`.
    pub fn seal(&self, secret: &TotpSecret, account: UserId) -> anyhow::Result<SealedSecret> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).context("drawing a nonce")?;
        let mut in_out = secret.expose().to_vec();
        let aad = account.to_string();
        self.current
            .aead
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad.as_bytes()),
                &mut in_out,
            )
            .map_err(|_| anyhow!("sealing a TOTP secret"))?;
        let mut sealed = Vec::with_capacity(ID_BYTES + NONCE_LEN + in_out.len());
        sealed.extend_from_slice(&self.current.id);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&in_out);
        Ok(SealedSecret::from_bytes(sealed))
    }

    /// The secret `sealed` holds for `account`, and whether it is sealed under a previous key
    /// (and should be sealed anew under the current one; a value sealed under `next`, by an
    /// instance started after a rotation this one has not seen, is left as it is). Fails if no listed key has its id, or it does not open (tampered with, or another
    /// account's).
    pub fn open(
        &self,
        sealed: &SealedSecret,
        account: UserId,
    ) -> anyhow::Result<(TotpSecret, bool)> {
        let bytes = sealed.bytes();
        let (id, rest) = bytes
            .split_at_checked(ID_BYTES)
            .ok_or_else(|| anyhow!("a sealed TOTP secret is too short"))?;
        let (nonce, ciphertext) = rest
            .split_at_checked(NONCE_LEN)
            .ok_or_else(|| anyhow!("a sealed TOTP secret is too short"))?;
        let key = self
            .all()
            .find(|key| key.id == id)
            .ok_or_else(|| anyhow!("a TOTP secret is sealed under a key that is not configured"))?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| anyhow!("a bad nonce"))?;
        let mut in_out = ciphertext.to_vec();
        let aad = account.to_string();
        let plain = key
            .aead
            .open_in_place(nonce, Aad::from(aad.as_bytes()), &mut in_out)
            .map_err(|_| anyhow!("a sealed TOTP secret does not open for its account"))?;
        let secret = TotpSecret::from_bytes(plain).context("an unsealed TOTP secret")?;
        let previous = self.previous.iter().any(|old| old.id == key.id);
        Ok((secret, previous))
    }

    /// The digest recovery code `code` of `account` is stored as, under the current key.
    pub fn recovery_digest(&self, account: UserId, code: &RecoveryCode) -> RecoveryDigest {
        let message = TotpKey::recovery_message(account, code);
        let tag = hmac::sign(&self.current.recovery, &message);
        let bytes = [&self.current.id[..], tag.as_ref()].concat();
        RecoveryDigest::from_bytes(&bytes).unwrap_or_else(|| unreachable!("8 + 32 bytes"))
    }

    /// Which of `digests` (if any) is recovery code `code` of `account`'s, each checked under
    /// the key it names. Every digest is checked (each in constant time), so the time taken
    /// does not say which one matched; a digest naming a key not listed matches nothing (it
    /// was voided when its key was retired).
    pub fn recovery_index(
        &self,
        digests: &[RecoveryDigest],
        account: UserId,
        code: &RecoveryCode,
    ) -> Option<usize> {
        let message = TotpKey::recovery_message(account, code);
        let mut found = None;
        for (i, digest) in digests.iter().enumerate() {
            let (id, tag) = digest.bytes().split_at(ID_BYTES);
            let matches = (self.all().find(|key| key.id == id))
                .is_some_and(|key| hmac::verify(&key.recovery, &message, tag).is_ok());
            if matches && found.is_none() {
                found = Some(i);
            }
        }
        found
    }

    fn all(&self) -> impl Iterator<Item = &TotpKey> {
        std::iter::once(&self.current)
            .chain(&self.next)
            .chain(&self.previous)
    }
}

impl fmt::Debug for TotpKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpKeys(<redacted>)")
    }
}

#[cfg(test)]
#[path = "totp_keys_tests.rs"]
mod tests;
