//! Use case: mail a password reset code to whoever holds an account's mailbox.

use super::{AccountStore, Accounts, ServiceError};
use crate::domain::{CodePurpose, Email};

impl<S: AccountStore> Accounts<S> {
    /// Mails an 8-digit reset code (voiding the previous one) if `email` is an account's,
    /// active, inactive or unverified alike; any other address is counted against the send
    /// limits all the same and gets nothing. One read, one write, one mail.
    pub async fn forgot_password(&self, email: &Email) -> Result<(), ServiceError> {
        self.mail_code(
            "mailing a reset code",
            CodePurpose::PasswordReset,
            email,
            |_| true,
        )
        .await
    }
}
