//! Use case: confirm an enrolment in TOTP with a code of its secret (bearer).
//!
//! The code proves the owner's app holds the secret; from then on sign-in needs a code. Every
//! other session ends (they were started without the second factor) and the caller continues
//! on a new pair. Each try is counted against the lockout before the code is compared, as a
//! password is, and a right code clears the count.

use super::super::{AccountStore, Accounts, Bearer, Lockout, Refusal, ServiceError, TokenPair};
use crate::domain::{Amr, RecoveryCode, TotpCode};

/// The recovery codes, shown this once, and the caller's new pair.
#[derive(Debug)]
pub struct TotpConfirmed {
    pub recovery_codes: Vec<RecoveryCode>,
    pub tokens: TokenPair,
}

impl<S: AccountStore> Accounts<S> {
    /// Turns TOTP on for `bearer`'s account, if `code` is a code of its pending secret now.
    /// One read, one transaction (the account and the caller's new session).
    pub async fn confirm_totp(
        &self,
        bearer: &Bearer,
        code: TotpCode,
    ) -> Result<TotpConfirmed, ServiceError> {
        let code = &code;
        self.retrying("TOTP confirmation", move |mut uow| async move {
            let mut user = self.bearer_account(&uow, bearer).await?;
            let Some(pending) = user.second_factor().pending() else {
                return Err(match user.has_totp() {
                    true => Refusal::TotpAlreadyEnabled,
                    false => Refusal::NoPendingTotp,
                }
                .into());
            };
            let (secret, stale) = self.totp.keys.open(pending, user.id())?;
            // Counted before it is compared, as a password is: a stolen access token gets no
            // more guesses at a pending secret's codes than the lockout allows.
            let key = user.revision().key();
            self.reserve_check(key, Some(user.revision()), user.failures())
                .await?;
            let step = secret
                .step_of(code, self.clock.now())
                .ok_or(Refusal::WrongSecondFactor)?;
            let (codes, digests) = self.new_recovery_codes(&user)?;
            user.confirm_totp(step, digests);
            if stale {
                user.reseal_totp(self.totp.keys.seal(&secret, user.id())?);
            }
            let (session, tokens) = self.new_session(&user, Amr::PasswordAndOtp)?;
            uow.save_second_factor(&user, Lockout::Clear);
            uow.start_session(session);
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), "TOTP enabled; other sessions ended");
            Ok(TotpConfirmed {
                recovery_codes: codes,
                tokens,
            })
        })
        .await
    }
}
