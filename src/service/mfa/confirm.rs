//! Use case: confirm an enrolment in TOTP with a code of its secret (bearer).
//!
//! The code proves the owner's app holds the secret; from then on sign-in needs a code. Every
//! other session ends (they were started without the second factor) and the caller continues
//! on a new pair. A wrong code here counts nothing against the lockout: the caller was just
//! shown the secret, so guessing its codes gains nothing.

use super::super::{AccountStore, Accounts, Bearer, Refusal, ServiceError, TokenPair};
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
            let (secret, _) = self.totp.keys.open(pending, user.id())?;
            let step = secret
                .step_of(code, self.clock.now())
                .ok_or(Refusal::WrongSecondFactor)?;
            let (codes, digests) = self.new_recovery_codes(&user)?;
            user.confirm_totp(step, digests);
            let (session, tokens) = self.new_session(&user, Amr::PasswordAndOtp)?;
            uow.save_second_factor(&user, true);
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
