//! Use case: finish a sign-in with its second factor (`mfa_token` and a code or a recovery
//! code).
//!
//! One read (the account and the challenge, together) and one transaction, whichever the
//! outcome. A wrong code writes the challenge's try and the account's lockout count, each
//! conditioned on what was read; a right one spends the challenge (conditioned the same way),
//! writes the code as used with the count cleared (conditioned on the account's version and on
//! the count being still as read, which is what the lock was checked against: a wrong code of
//! another challenge counted meanwhile sends it back to read again, and maybe find the account
//! locked), and starts the session. The answer is given only once that write has landed: of a burst of
//! requests that read the same state, one write lands and the others read again and decide
//! again, so no more codes are ever compared than the challenge and the lockout allow, and a
//! code is accepted once. Comparing a code takes microseconds, so (unlike a password, which
//! is counted before Argon2 runs) comparing before the counting write gives an attacker
//! nothing: no answer leaves before it.

use super::super::{AccountStore, Accounts, Lockout, Refusal, ServiceError, SignedIn};
use super::SecondFactorProof;
use crate::domain::{Amr, MfaToken, SessionOrigin};

impl<S: AccountStore> Accounts<S> {
    /// The session `token`'s sign-in was waiting for, if `proof` is its account's second
    /// factor. In the order of answers: an unknown, expired, spent or worn-out token (or one
    /// whose account changed since its password was checked), then a locked account, then a
    /// wrong code.
    pub async fn sign_in_mfa(
        &self,
        token: MfaToken,
        proof: SecondFactorProof,
    ) -> Result<SignedIn, ServiceError> {
        self.sign_in_mfa_from(token, proof, SessionOrigin::default())
            .await
    }

    /// [`sign_in_mfa`](Self::sign_in_mfa), the session recording `origin`: where the request
    /// came from.
    pub async fn sign_in_mfa_from(
        &self,
        token: MfaToken,
        proof: SecondFactorProof,
        origin: SessionOrigin,
    ) -> Result<SignedIn, ServiceError> {
        let (token, proof, origin) = (&token, &proof, &origin);
        self.retrying("second-factor sign-in", move |mut uow| async move {
            let (at, challenge) = uow.challenge_at(token.account(), token.challenge_id()).await?;
            let now = self.clock.now();
            let (mut user, challenge) = at
                .account()
                .zip(challenge)
                .filter(|(user, challenge)| {
                    challenge.admits(user, now) && user.has_totp() && !user.is_disabled()
                })
                .ok_or(Refusal::InvalidMfaToken)?;
            let read = user.failures();
            if let Some(retry_after) = read.locked_for(now) {
                return Err(Refusal::Locked { retry_after }.into());
            }
            if !self.pass_second_factor(&mut user, proof)? {
                uow.count_challenge_try(&challenge);
                uow.reserve_attempt(&user, now);
                uow.commit().await?;
                tracing::info!(user_id = %user.id(), "second factor refused");
                return Err(Refusal::WrongSecondFactor.into());
            }
            let (session, tokens) = self.new_session(&user, Amr::PasswordAndOtp)?;
            uow.end_challenge(&challenge);
            uow.save_second_factor(&user, Lockout::ClearIfStill(read));
            uow.start_session(session.started_from(origin.clone()));
            uow.commit().await?;
            tracing::info!(user_id = %user.id(), session_id = %tokens.refresh.session(), "signed in with a second factor");
            Ok(SignedIn { user, tokens })
        })
        .await
    }
}
