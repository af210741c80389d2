//! Use case: verify an account's address with the code mailed to it.

use super::{AccountStore, Accounts, ServiceError};
use crate::domain::{CodePurpose, Email, OneTimeCode, User};

/// The address and the code read from its mailbox.
#[derive(Debug, Clone)]
pub struct VerifyEmail {
    pub email: Email,
    pub code: OneTimeCode,
}

impl<S: AccountStore> Accounts<S> {
    /// Marks the address verified if `command.code` is its account's live verification code:
    /// one read (the account and its codes together) and one write (the code's removal with
    /// the flag, or the wrong try counted). A wrong, expired, used or voided code and an
    /// unknown address are refused alike (`InvalidCode`).
    pub async fn verify_email(&self, command: VerifyEmail) -> Result<User, ServiceError> {
        let user = self
            .use_code(
                "e-mail verification",
                (CodePurpose::Verification, &command.email),
                &command.code,
                |at| Ok(at.account()),
                |uow, mut user, _| {
                    if user.verify_email() {
                        uow.save_verified(&user);
                    }
                    Ok(user)
                },
            )
            .await?;
        tracing::info!(user_id = %user.id(), "e-mail address verified");
        Ok(user)
    }
}
