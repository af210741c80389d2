//! The account's second factor: the rules for enrolling in TOTP, confirming it, spending a
//! code or a recovery code, replacing the codes and disabling it (see [`SecondFactor`]).

use super::{EventKind, Failures, RecoveryDigest, SealedSecret, SecondFactor, User};

impl User {
    /// Starts an enrolment in TOTP with `secret` (sealed): nothing changes for sign-in until
    /// it is confirmed. A second enrolment replaces the first's secret.
    pub fn begin_totp(&mut self, secret: SealedSecret) {
        self.state.second_factor.pending = Some(secret);
    }

    /// Confirms the enrolment with a code of `step`: TOTP is required from now on, with
    /// `recovery` (digests) as its recovery codes; every session started so far ends. Returns
    /// whether there was an enrolment to confirm.
    pub fn confirm_totp(&mut self, step: u64, recovery: Vec<RecoveryDigest>) -> bool {
        let Some(secret) = self.state.second_factor.pending.take() else {
            return false;
        };
        self.state.second_factor = SecondFactor {
            totp: Some(secret),
            pending: None,
            last_step: step,
            recovery,
        };
        self.passed_second_factor();
        self.end_sessions();
        self.happened(EventKind::MfaEnabled);
        true
    }

    /// Records a TOTP code of `step` as used: no code of it or an earlier step is accepted
    /// again. The caller has checked that `step` is later than the last one.
    pub fn use_totp_step(&mut self, step: u64) {
        self.state.second_factor.last_step = step;
        self.passed_second_factor();
    }

    /// Spends the recovery code whose digest is at `index` (as listed by
    /// [`SecondFactor::recovery`]); returns whether there was one.
    pub fn use_recovery_code(&mut self, index: usize) -> bool {
        let recovery = &mut self.state.second_factor.recovery;
        if index >= recovery.len() {
            return false;
        }
        recovery.remove(index);
        self.passed_second_factor();
        true
    }

    /// Replaces the recovery codes with `recovery` (digests): the old ones are void, and every
    /// session started so far ends.
    pub fn replace_recovery_codes(&mut self, recovery: Vec<RecoveryDigest>) {
        self.state.second_factor.recovery = recovery;
        self.end_sessions();
    }

    /// Removes TOTP and its recovery codes (an enrolment in progress too); every session
    /// started so far ends. The last step stays, so a code seen before is never taken again.
    pub fn disable_totp(&mut self) {
        if self.has_totp() {
            self.happened(EventKind::MfaDisabled);
        }
        let last_step = self.state.second_factor.last_step;
        self.state.second_factor = SecondFactor {
            last_step,
            ..SecondFactor::default()
        };
        self.passed_second_factor();
        self.end_sessions();
    }

    /// Puts the TOTP secret back sealed anew (under the current key), unchanged in clear.
    pub fn reseal_totp(&mut self, secret: SealedSecret) {
        if self.state.second_factor.totp.is_some() {
            self.state.second_factor.totp = Some(secret);
        }
    }

    /// A second-factor check succeeded: only that clears the lockout's count of an account
    /// with TOTP (a right password alone never does).
    fn passed_second_factor(&mut self) {
        self.state.failures = Failures::default();
    }

    /// The account's second factor.
    pub fn second_factor(&self) -> &SecondFactor {
        &self.state.second_factor
    }

    /// Whether sign-in (and activation, deactivation, disabling TOTP) needs a second factor.
    pub fn has_totp(&self) -> bool {
        self.state.second_factor.has_totp()
    }
}
