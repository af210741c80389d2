//! Use case: disable TOTP (bearer, password and a second factor).

use super::super::{AccountStore, Accounts, Bearer, Lockout, Refusal, ServiceError, TokenPair};
use super::SecondFactorProof;
use crate::domain::{Amr, Password};

impl<S: AccountStore> Accounts<S> {
    /// Removes TOTP and its recovery codes from `bearer`'s account: the password and a code
    /// (or a recovery code) are both needed, so neither a stolen password nor a stolen phone
    /// alone turns the second factor off. Every other session ends; the caller continues on a
    /// new pair. One read, the password check, one transaction.
    pub async fn disable_totp(
        &self,
        bearer: &Bearer,
        password: Password,
        proof: Option<SecondFactorProof>,
    ) -> Result<TokenPair, ServiceError> {
        let (password, proof) = (&password, &proof);
        self.retrying("TOTP disabling", move |mut uow| async move {
            let mut user = self.bearer_account(&uow, bearer).await?;
            self.check_password(&user, password).await?;
            if !user.has_totp() {
                return Err(Refusal::TotpNotEnabled.into());
            }
            self.require_second_factor(&mut user, proof.as_ref())?;
            user.disable_totp();
            let (session, tokens) = self.new_session(&user, Amr::PasswordAndOtp)?;
            uow.save_second_factor(&user, Lockout::Clear);
            uow.start_session(session);
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), "TOTP disabled; other sessions ended");
            Ok(tokens)
        })
        .await
    }
}
