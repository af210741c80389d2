//! Use case: start an enrolment in TOTP (bearer and password).

use anyhow::Context;

use super::super::{AccountStore, Accounts, Bearer, Lockout, Refusal, ServiceError};
use crate::domain::{Password, TotpSecret};

/// What an authenticator app needs: the secret, and the URI that carries it (a QR code's text).
#[derive(Clone)]
pub struct TotpEnrolment {
    /// Base32, for typing in.
    pub secret: String,
    pub otpauth_uri: String,
}

impl std::fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrolment(<redacted>)")
    }
}

impl<S: AccountStore> Accounts<S> {
    /// A new TOTP secret for `bearer`'s account, pending until a code of it confirms it: the
    /// password is checked, the address must be verified (a second factor must never lock the
    /// mailbox's owner out of an account squatted on their address), and an account with TOTP
    /// already is refused. A second enrolment replaces the first's secret.
    pub async fn enrol_totp(
        &self,
        bearer: &Bearer,
        password: Password,
    ) -> Result<TotpEnrolment, ServiceError> {
        let password = &password;
        self.retrying("TOTP enrolment", move |mut uow| async move {
            let mut user = self.bearer_account(&uow, bearer).await?;
            self.check_password(&user, password).await?;
            if !user.is_email_verified() {
                return Err(Refusal::EmailNotVerified.into());
            }
            if user.has_totp() {
                return Err(Refusal::TotpAlreadyEnabled.into());
            }
            let secret = TotpSecret::generate().context("drawing a TOTP secret")?;
            user.begin_totp(self.totp.keys.seal(&secret, user.id())?);
            uow.save_second_factor(&user, Lockout::Keep);
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), "TOTP enrolment started");
            Ok(TotpEnrolment {
                otpauth_uri: self.totp.uri(&secret, user.email()),
                secret: secret.base32(),
            })
        })
        .await
    }
}
