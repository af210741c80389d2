//! Use case: replace the recovery codes (bearer and password); the old ones are void.

use super::super::{AccountStore, Accounts, Bearer, Lockout, Refusal, ServiceError, TokenPair};
use crate::domain::{Password, RecoveryCode};

/// The new recovery codes, shown this once, and the caller's new pair.
#[derive(Debug)]
pub struct RecoveryCodesReplaced {
    pub recovery_codes: Vec<RecoveryCode>,
    pub tokens: TokenPair,
}

impl<S: AccountStore> Accounts<S> {
    /// New recovery codes for `bearer`'s account, which must have TOTP. Every other session
    /// ends (one may be how the old codes leaked); the caller's new session keeps how its own
    /// was proven. One read, the password check, one transaction.
    pub async fn replace_recovery_codes(
        &self,
        bearer: &Bearer,
        password: Password,
    ) -> Result<RecoveryCodesReplaced, ServiceError> {
        let password = &password;
        self.retrying("recovery codes", move |mut uow| async move {
            let mut user = self.bearer_account(&uow, bearer).await?;
            self.check_password(&user, password).await?;
            if !user.has_totp() {
                return Err(Refusal::TotpNotEnabled.into());
            }
            let (codes, digests) = self.new_recovery_codes(&user)?;
            user.replace_recovery_codes(digests);
            let (session, tokens) = self.new_session(&user, bearer.amr)?;
            uow.save_second_factor(&user, Lockout::Keep);
            uow.start_session(session);
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), "recovery codes replaced; other sessions ended");
            Ok(RecoveryCodesReplaced {
                recovery_codes: codes,
                tokens,
            })
        })
        .await
    }
}
