//! The bodies of the second factor's answers: the account's `mfa` summary, the challenge a
//! sign-in answers for an account with TOTP, an enrolment, and recovery codes with a pair.

use serde::Serialize;
use utoipa::ToSchema;

use super::response::TokenView;
use crate::domain::{MfaToken, RecoveryCode, User};
use crate::service::{TokenPair, TotpEnrolment};

/// What the account says of its second factor.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Mfa)]
pub(super) struct MfaView {
    /// Whether sign-in needs an authenticator-app code.
    pub totp: bool,
    /// How many unused recovery codes the account has.
    pub recovery_codes_left: usize,
}

impl From<&User> for MfaView {
    fn from(user: &User) -> Self {
        Self {
            totp: user.has_totp(),
            recovery_codes_left: user.second_factor().recovery_codes_left(),
        }
    }
}

/// A sign-in that waits for its second factor: nothing of the account, no tokens.
#[derive(Serialize, ToSchema)]
#[schema(as = MfaRequired)]
pub(super) struct MfaRequiredView<'a> {
    #[schema(value_type = bool, pattern = "true")]
    pub mfa_required: bool,
    /// Send it to `POST /user/signin/mfa/` with a code; it is no bearer token.
    pub mfa_token: &'a str,
    /// The second factors it accepts.
    pub methods: [&'static str; 2],
    /// Seconds until it expires.
    pub expires_in: u64,
}

impl<'a> MfaRequiredView<'a> {
    pub(super) fn new(token: &'a MfaToken, expires_in: u64) -> Self {
        Self {
            mfa_required: true,
            mfa_token: token.reveal(),
            methods: ["totp", "recovery_code"],
            expires_in,
        }
    }
}

/// A pending enrolment: what the authenticator app reads.
#[derive(Serialize, ToSchema)]
#[schema(as = TotpEnrolment)]
pub(super) struct TotpEnrolmentView<'a> {
    /// The secret in Base32, to type into an app.
    pub secret: &'a str,
    /// `otpauth://totp/…`: the text of a QR code for the app to scan.
    pub otpauth_uri: &'a str,
}

impl<'a> From<&'a TotpEnrolment> for TotpEnrolmentView<'a> {
    fn from(enrolment: &'a TotpEnrolment) -> Self {
        Self {
            secret: &enrolment.secret,
            otpauth_uri: &enrolment.otpauth_uri,
        }
    }
}

/// Recovery codes, shown this once, and the caller's new token pair.
#[derive(Serialize, ToSchema)]
#[schema(as = RecoveryCodes)]
pub(super) struct RecoveryCodesView {
    /// Each works once in place of a code (`recovery_code`); keep them somewhere safe.
    pub recovery_codes: Vec<String>,
    #[serde(flatten)]
    pub tokens: TokenView,
}

impl RecoveryCodesView {
    pub(super) fn new(codes: &[RecoveryCode], tokens: &TokenPair) -> Self {
        Self {
            recovery_codes: codes.iter().map(RecoveryCode::display).collect(),
            tokens: TokenView::from(tokens),
        }
    }
}
