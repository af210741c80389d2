//! The second factor: TOTP (authenticator apps) with recovery codes, one use case per file.
//!
//! - `enrol` hands out a secret (sealed at rest, [`TotpKeys`]); nothing changes for sign-in
//!   until `confirm` proves the app has it with a code, which also issues the recovery codes;
//! - sign-in of an account with TOTP stops at an `mfa_token` (`sign_in.rs`), which
//!   `sign_in_mfa` exchanges, with a code or a recovery code, for the session;
//! - `recovery_codes` replaces the recovery codes; `disable` removes TOTP.
//!
//! What every check of a second factor shares is here: a TOTP code is accepted once (only for
//! a later step than the last accepted), a recovery code once (its digest is removed), and only
//! a passed check clears the lockout's count of an account with TOTP; a secret sealed under
//! another key than the current one is sealed anew on the way.

mod confirm;
mod disable;
mod enrol;
mod recovery_codes;
mod sign_in_mfa;

pub use confirm::TotpConfirmed;
pub use enrol::TotpEnrolment;
pub use recovery_codes::RecoveryCodesReplaced;

use anyhow::Context;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::credentials::TotpKeys;
use super::{AccountStore, Accounts, Refusal, ServiceError};
use crate::domain::{
    Email, RecoveryCode, RecoveryDigest, TOTP_DIGITS, TOTP_STEP_SECONDS, TotpCode, TotpSecret, User,
};

/// The issuer authenticator apps show, when none is configured (`TOTP_ISSUER`).
pub const DEFAULT_TOTP_ISSUER: &str = "user-service";

/// What TOTP needs besides the account: the keys its secrets are sealed under, and the issuer
/// apps file them under.
#[derive(Debug)]
pub struct TotpSettings {
    pub keys: TotpKeys,
    pub issuer: String,
}

/// What a request offers as its second factor.
#[derive(Debug, Clone)]
pub enum SecondFactorProof {
    Totp(TotpCode),
    RecoveryCode(RecoveryCode),
}

/// RFC 3986's unreserved characters stay as they are; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl TotpSettings {
    /// The `otpauth://` URI an app reads `secret` from (Google's Key Uri Format), for the
    /// account stored under `email`: label `<issuer>:<email>` and the issuer URL-encoded, the
    /// parameters stated even where they are the apps' defaults.
    pub fn uri(&self, secret: &TotpSecret, email: &Email) -> String {
        let issuer = utf8_percent_encode(&self.issuer, COMPONENT);
        let account = utf8_percent_encode(email.as_ref(), COMPONENT);
        format!(
            "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP_SECONDS}",
            secret.base32()
        )
    }
}

impl<S: AccountStore> Accounts<S> {
    /// Whether `proof` is a second factor of `user` now; if it is, `user` records it as used
    /// (and its lockout count cleared), for the caller to write in the same commit as whatever
    /// it unlocks.
    pub(super) fn pass_second_factor(
        &self,
        user: &mut User,
        proof: &SecondFactorProof,
    ) -> Result<bool, ServiceError> {
        match proof {
            SecondFactorProof::Totp(code) => {
                let Some(sealed) = user.second_factor().totp() else {
                    return Ok(false);
                };
                let (secret, stale) = self.totp.keys.open(sealed, user.id())?;
                let step = secret.step_of(code, self.clock.now());
                match step.filter(|step| *step > user.second_factor().last_step()) {
                    Some(step) => {
                        user.use_totp_step(step);
                        if stale {
                            user.reseal_totp(self.totp.keys.seal(&secret, user.id())?);
                        }
                        Ok(true)
                    }
                    None => Ok(false),
                }
            }
            SecondFactorProof::RecoveryCode(code) => {
                let digests = user.second_factor().recovery();
                match self.totp.keys.recovery_index(digests, user.id(), code) {
                    Some(index) => Ok(user.use_recovery_code(index)),
                    None => Ok(false),
                }
            }
        }
    }

    /// What a request that checked the password asks of an account with TOTP (activation,
    /// deactivation, disabling): `proof` must be given (else `SecondFactorRequired`) and pass
    /// (else `WrongSecondFactor`; the password check already counted this try). On success
    /// `user` records it as used, as [`pass_second_factor`](Self::pass_second_factor) does.
    pub(super) fn require_second_factor(
        &self,
        user: &mut User,
        proof: Option<&SecondFactorProof>,
    ) -> Result<(), ServiceError> {
        let proof = proof.ok_or(Refusal::SecondFactorRequired)?;
        match self.pass_second_factor(user, proof)? {
            true => Ok(()),
            false => Err(Refusal::WrongSecondFactor.into()),
        }
    }

    /// A fresh set of recovery codes for `user`, and their digests.
    pub(super) fn new_recovery_codes(
        &self,
        user: &User,
    ) -> anyhow::Result<(Vec<RecoveryCode>, Vec<RecoveryDigest>)> {
        let codes = RecoveryCode::generate_set().context("drawing recovery codes")?;
        let keys = &self.totp.keys;
        let digests = codes
            .iter()
            .map(|code| keys.recovery_digest(user.id(), code))
            .collect();
        Ok((codes, digests))
    }
}
