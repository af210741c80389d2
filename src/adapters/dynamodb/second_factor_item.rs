//! How an account's second factor is laid out on its e-mail item: the sealed secrets as
//! binary attributes (`totp_secret`, `totp_pending`; each the key id, the nonce and the
//! AES-256-GCM ciphertext, see `TotpKeys`), the last step accepted (`totp_step`), and the
//! recovery codes' digests (`recovery_codes`, a list of binaries). An account that never had
//! a second factor has none of them (one stored before MFA existed reads as such); one whose
//! factor was disabled keeps `totp_step`, so a code seen before is never taken again.

use anyhow::Context;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, Update};

use super::fields::Fields;
use super::item::{Item, attr, n};
use super::writes::{Condition, Writes};
use crate::domain::{Failures, RecoveryDigest, Revision, SealedSecret, SecondFactor};
use crate::service::Lockout;

pub(super) const TOTP_SECRET: &str = "totp_secret";
pub(super) const TOTP_PENDING: &str = "totp_pending";
pub(super) const TOTP_STEP: &str = "totp_step";
pub(super) const RECOVERY_CODES: &str = "recovery_codes";

fn blob(bytes: &[u8]) -> AttributeValue {
    AttributeValue::B(Blob::new(bytes.to_vec()))
}

/// The attributes `factor` sets, and those it removes (the secrets it has not).
fn attributes(factor: &SecondFactor) -> (Vec<(&'static str, AttributeValue)>, Vec<&'static str>) {
    let (mut set, mut remove) = (Vec::new(), Vec::new());
    match factor.last_step() {
        0 => remove.push(TOTP_STEP),
        step => set.push((TOTP_STEP, n(step))),
    }
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

/// The attributes of `factor` on a new account's item (a new account has none).
pub(super) fn put_attributes(factor: &SecondFactor) -> Vec<(String, AttributeValue)> {
    let (set, _) = attributes(factor);
    set.into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

impl Writes<'_> {
    /// `SetSecondFactor`: the factor whole, the status and the epoch, on the account read as
    /// `account`; the failed checks removed unless `lockout` keeps them, and with
    /// `ClearIfStill(read)` only while they are still as read.
    pub(super) fn set_second_factor(
        &self,
        account: &Revision,
        factor: &SecondFactor,
        active: bool,
        session_epoch: u64,
        lockout: Lockout,
    ) -> anyhow::Result<Update> {
        let (mut set, mut remove) = attributes(factor);
        set.push((attr::ACTIVE, AttributeValue::Bool(active)));
        set.push((attr::SESSION_EPOCH, n(session_epoch)));
        if lockout != Lockout::Keep {
            remove.extend([attr::FAILED_ATTEMPTS, attr::LAST_FAILURE_AT]);
        }
        let still = match lockout {
            Lockout::ClearIfStill(read) => Some(failures_as_read(read)),
            Lockout::Keep | Lockout::Clear => None,
        };
        self.update_removing_if(account, &set, &remove, still)
    }
}

/// The condition that the failed checks are still exactly `read`: none stored, or the count
/// and the time read (what `ReserveAttempt` and `ClearFailures` write, and nothing else).
fn failures_as_read(read: Failures) -> Condition {
    let names = vec![
        ("#failed".to_owned(), attr::FAILED_ATTEMPTS.to_owned()),
        ("#last".to_owned(), attr::LAST_FAILURE_AT.to_owned()),
    ];
    if read == Failures::default() {
        return Condition {
            expression: "attribute_not_exists(#failed)".to_owned(),
            names: vec![names[0].clone()],
            values: Vec::new(),
        };
    }
    Condition {
        expression: "#failed = :failed AND #last = :last".to_owned(),
        names,
        values: vec![
            (":failed".to_owned(), n(u64::from(read.count))),
            (":last".to_owned(), n(read.last_at)),
        ],
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
                AttributeValue::B(bytes) => RecoveryDigest::from_bytes(bytes.as_ref())
                    .context("attribute `recovery_codes` holds a digest of another length"),
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
