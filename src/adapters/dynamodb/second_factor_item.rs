//! How an account's second factor is laid out on its e-mail item: the sealed secrets as
//! binary attributes (`totp_secret`, `totp_pending`; each the key id, the nonce and the
//! AES-256-GCM ciphertext, see `TotpKeys`), the last step accepted (`totp_step`), and the
//! recovery codes' digests (`recovery_codes`, a list of binaries). An account without a second
//! factor has none of them; one stored before MFA existed reads as having none.

use anyhow::Context;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, Update};

use super::fields::Fields;
use super::item::{Item, attr, n};
use super::writes::Writes;
use crate::domain::{CodeDigest, Revision, SealedSecret, SecondFactor};

pub(super) const TOTP_SECRET: &str = "totp_secret";
pub(super) const TOTP_PENDING: &str = "totp_pending";
pub(super) const TOTP_STEP: &str = "totp_step";
pub(super) const RECOVERY_CODES: &str = "recovery_codes";

fn blob(bytes: &[u8]) -> AttributeValue {
    AttributeValue::B(Blob::new(bytes.to_vec()))
}

/// The attributes `factor` sets, and those it removes (the secrets it has not).
fn attributes(factor: &SecondFactor) -> (Vec<(&'static str, AttributeValue)>, Vec<&'static str>) {
    let mut set = vec![(TOTP_STEP, n(factor.last_step()))];
    let mut remove = Vec::new();
    for (name, secret) in [
        (TOTP_SECRET, factor.totp()),
        (TOTP_PENDING, factor.pending()),
    ] {
        match secret {
            Some(sealed) => set.push((name, blob(sealed.bytes()))),
            None => remove.push(name),
        }
    }
    match factor.recovery() {
        [] => remove.push(RECOVERY_CODES),
        digests => set.push((
            RECOVERY_CODES,
            AttributeValue::L(digests.iter().map(|d| blob(d.bytes())).collect()),
        )),
    }
    (set, remove)
}

/// The attributes of `factor` on a new account's item: none for a new account, which has no
/// second factor (a step of 0, none accepted yet, is what an absent `totp_step` reads as).
pub(super) fn put_attributes(factor: &SecondFactor) -> Vec<(String, AttributeValue)> {
    let (set, _) = attributes(factor);
    set.into_iter()
        .filter(|(name, _)| *name != TOTP_STEP || factor.last_step() != 0)
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

impl Writes<'_> {
    /// `SetSecondFactor`: the factor whole, the status and the epoch, on the account read as
    /// `account`; with `passed`, the failed checks removed.
    pub(super) fn set_second_factor(
        &self,
        account: &Revision,
        factor: &SecondFactor,
        active: bool,
        session_epoch: u64,
        passed: bool,
    ) -> anyhow::Result<Update> {
        let (mut set, mut remove) = attributes(factor);
        set.push((attr::ACTIVE, AttributeValue::Bool(active)));
        set.push((attr::SESSION_EPOCH, n(session_epoch)));
        if passed {
            remove.extend([attr::FAILED_ATTEMPTS, attr::LAST_FAILURE_AT]);
        }
        self.update_removing(account, &set, &remove)
    }
}

/// The second factor on an account's item.
pub(super) fn parse_second_factor(item: &Item) -> anyhow::Result<SecondFactor> {
    let sealed = |name: &str| match item.get(name) {
        None => Ok(None),
        Some(AttributeValue::B(bytes)) => {
            Ok(Some(SealedSecret::from_bytes(bytes.as_ref().to_vec())))
        }
        Some(_) => Err(anyhow::anyhow!("attribute `{name}` is not a binary")),
    };
    let recovery = match item.get(RECOVERY_CODES) {
        None => Vec::new(),
        Some(AttributeValue::L(list)) => list
            .iter()
            .map(|value| match value {
                AttributeValue::B(bytes) => <[u8; 32]>::try_from(bytes.as_ref())
                    .map(CodeDigest::from_bytes)
                    .context("attribute `recovery_codes`"),
                _ => Err(anyhow::anyhow!(
                    "attribute `recovery_codes` holds a non-binary"
                )),
            })
            .collect::<anyhow::Result<_>>()?,
        Some(_) => anyhow::bail!("attribute `recovery_codes` is not a list"),
    };
    Ok(SecondFactor::restore(
        sealed(TOTP_SECRET)?,
        sealed(TOTP_PENDING)?,
        Fields(item).number_or(TOTP_STEP, 0)?,
        recovery,
    ))
}
