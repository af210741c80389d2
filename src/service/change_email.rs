//! Use case: ask to move the account an access token speaks for to another address.
//!
//! Nothing moves yet: an 8-digit code goes to the new address, and only its reader can move
//! the account there (`confirm_email_change`), so an e-mail change can no longer land on an
//! address its requester does not control. It needs the token and the password. A taken
//! address is refused before anything is sent. The code is kept in the account's own code
//! record (with the address it went to), the mail counted against the new address's send
//! limits: one write for both, then the mail.

use super::codes::Outgoing;
use super::{AccountStore, Accounts, Bearer, Refusal, ServiceError};
use crate::domain::{CodePurpose, NewEmail, Password};

/// The password, to re-authenticate, and the address to move to (under the rules for new
/// ones).
#[derive(Debug, Clone)]
pub struct ChangeEmail {
    pub password: Password,
    pub new_email: NewEmail,
}

impl<S: AccountStore> Accounts<S> {
    /// Mails a code for moving `bearer`'s account to `command.new_email` (voiding any earlier
    /// one). Its own address has nothing to confirm: nothing is sent.
    pub async fn change_email(
        &self,
        bearer: &Bearer,
        command: ChangeEmail,
    ) -> Result<(), ServiceError> {
        let user = self.bearer_account(&self.begin(), bearer).await?;
        self.check_password(&user, &command.password).await?;
        let to = command.new_email.as_ref();
        if to == user.revision().key() {
            return Ok(());
        }
        let (user, purpose) = (&user, CodePurpose::EmailChange);
        let outgoing = self
            .retrying("e-mail change request", move |mut uow| async move {
                let now = self.clock.now();
                let (there, mut recipient) = uow.codes_at(to, purpose).await?;
                if there.account().is_some() {
                    return Err(Refusal::EmailTaken.into());
                }
                if let Some(retry_after) = recipient.sends().retry_after(now) {
                    return Err(Refusal::TooManyRequests { retry_after }.into());
                }
                // The requester's own record counts its change mails too, to any address: an
                // account mails strangers no faster than one address is mailed.
                let (_, mut own) = uow.codes_at(user.revision().key(), purpose).await?;
                if let Some(retry_after) = own.sends().retry_after(now) {
                    return Err(Refusal::TooManyRequests { retry_after }.into());
                }
                let counted_in = vec![recipient.clone(), own.clone()];
                recipient.count_send(now);
                own.count_send(now);
                let mail = self.issue_code(&mut own, user, to, now)?;
                uow.save_codes(recipient);
                uow.save_codes(own);
                uow.commit().await?;
                Ok(Outgoing { mail, counted_in })
            })
            .await?;
        self.send(outgoing).await?;
        tracing::info!(user_id = %user.id(), "e-mail change requested; a code went to the new address");
        Ok(())
    }
}
