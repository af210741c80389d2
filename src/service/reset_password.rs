//! Use case: set a new password with the reset code read from the account's mailbox.
//!
//! The code proves the mailbox, which is the account's identity, so whoever holds it takes the
//! account: the new hash, every session ended (a squatter who signed up with someone else's
//! address is signed out everywhere), the lockout's count cleared, and the address verified.
//! All of it, and the code's removal, is one transaction.

use anyhow::Context;

use super::{AccountStore, Accounts, ServiceError};
use crate::domain::{CodePurpose, Email, NewPassword, OneTimeCode};

/// The address, the code mailed to it and the password to set (under the rules for new ones).
#[derive(Debug, Clone)]
pub struct ResetPassword {
    pub email: Email,
    pub code: OneTimeCode,
    pub new_password: NewPassword,
}

impl<S: AccountStore> Accounts<S> {
    /// Resets the password of the account at `command.email` if `command.code` is its live
    /// reset code: one read and one transaction. The new password is hashed first, whatever
    /// the code: the answer's time says nothing about the code.
    pub async fn reset_password(&self, command: ResetPassword) -> Result<(), ServiceError> {
        let hash = (self.hasher.hash(command.new_password.as_ref()).await)
            .context("hashing a reset password")?;
        let user = self
            .use_code(
                "password reset",
                (CodePurpose::PasswordReset, &command.email),
                &command.code,
                |at| Ok(at.account()),
                |uow, mut user, _| {
                    user.reset_password(hash.clone());
                    uow.save_reset(&user);
                    Ok(user)
                },
            )
            .await?;
        tracing::info!(user_id = %user.id(), "password reset; every session ended");
        Ok(())
    }
}
