//! Use case: send an unverified account a new verification code.

use super::{AccountStore, Accounts, ServiceError};
use crate::domain::{CodePurpose, Email, User};

impl<S: AccountStore> Accounts<S> {
    /// Mails a new verification code (voiding the previous one) if `email` is an unverified
    /// account's; any other address is counted against the send limits all the same and gets
    /// nothing, so the answer says nothing about it.
    pub async fn resend_verification(&self, email: &Email) -> Result<(), ServiceError> {
        self.mail_code(
            "resending a verification code",
            CodePurpose::Verification,
            email,
            unverified,
        )
        .await
    }

    /// Mails the verification code of a new account: the first verification mail of its
    /// address. Best effort: the account exists whatever happens to its mail (the log says
    /// why one failed; a resend sends another).
    pub(super) async fn mail_first_verification(&self, user: &User) {
        let mailed = self
            .mail_code(
                "the sign-up's verification mail",
                CodePurpose::Verification,
                user.email(),
                unverified,
            )
            .await;
        if let Err(error) = mailed {
            let error = match &error {
                ServiceError::Unavailable(cause) | ServiceError::Unexpected(cause) => {
                    format!("{cause:#}")
                }
                refused => refused.to_string(),
            };
            tracing::warn!(user_id = %user.id(), %error, "the verification mail was not sent");
        }
    }
}

fn unverified(user: &User) -> bool {
    !user.is_email_verified()
}
