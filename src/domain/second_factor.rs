//! An account's second factor as stored: its TOTP secret (sealed), an enrolment awaiting
//! confirmation, the last step a code was accepted for, and the digests of its unused
//! recovery codes.
//!
//! Nothing here is usable from a copy of the table: the secrets are sealed under a key kept
//! outside it (`TotpKeys`, AES-256-GCM bound to the account), the recovery codes are keyed
//! digests. The rules for changing this state are [`User`](super::User)'s methods.

use std::fmt;

/// A TOTP secret as the store keeps it: sealed, and opaque to everything but `TotpKeys`.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedSecret(Vec<u8>);

impl SealedSecret {
    /// Sealed bytes, as made by `TotpKeys` or read back from a store.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SealedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealedSecret({} bytes)", self.0.len())
    }
}

/// A recovery code as the store keeps it: the id of the TOTP key it was digested under (8
/// bytes) and HMAC-SHA-256 of the code under that key (32), made and checked by `TotpKeys`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RecoveryDigest([u8; RecoveryDigest::BYTES]);

impl RecoveryDigest {
    pub const BYTES: usize = 40;

    /// A digest as made by `TotpKeys` or read back from a store: exactly [`Self::BYTES`].
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    pub fn bytes(&self) -> &[u8; Self::BYTES] {
        &self.0
    }
}

impl fmt::Debug for RecoveryDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryDigest(<redacted>)")
    }
}

/// An account's second factor. The default is none at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecondFactor {
    /// The confirmed TOTP secret: while there is one, sign-in needs a code.
    pub(crate) totp: Option<SealedSecret>,
    /// A secret handed out by an enrolment and not yet confirmed with a code of its own.
    pub(crate) pending: Option<SealedSecret>,
    /// The step of the last code accepted (0: none): only a later step's code is accepted.
    pub(crate) last_step: u64,
    /// The digests of the recovery codes not used yet.
    pub(crate) recovery: Vec<RecoveryDigest>,
}

impl SecondFactor {
    /// Whether sign-in needs a code.
    pub fn has_totp(&self) -> bool {
        self.totp.is_some()
    }

    pub fn totp(&self) -> Option<&SealedSecret> {
        self.totp.as_ref()
    }

    pub fn pending(&self) -> Option<&SealedSecret> {
        self.pending.as_ref()
    }

    pub fn last_step(&self) -> u64 {
        self.last_step
    }

    /// The digests of the unused recovery codes.
    pub fn recovery(&self) -> &[RecoveryDigest] {
        &self.recovery
    }

    /// How many recovery codes are left.
    pub fn recovery_codes_left(&self) -> usize {
        self.recovery.len()
    }

    /// The state as a store read it back.
    pub fn restore(
        totp: Option<SealedSecret>,
        pending: Option<SealedSecret>,
        last_step: u64,
        recovery: Vec<RecoveryDigest>,
    ) -> Self {
        Self {
            totp,
            pending,
            last_step,
            recovery,
        }
    }
}
