//! Use case: move the account an access token speaks for to another e-mail address.
//!
//! It needs the token and the password. The move is one transaction: the account's item moves
//! to the new address (conditioned on nobody holding it), the old one is deleted (conditioned
//! on the version read) and the id reservation is re-pointed; so of two accounts racing for one
//! address exactly one wins and nothing is left half-moved. The address is the sign-in
//! identity, so a move ends every session: the owner signs in again with the new address.

use super::{AccountStore, Accounts, Bearer, ServiceError};
use crate::domain::{NewEmail, Password, User};

/// The password, to re-authenticate, and the address to move to (under the rules for new
/// ones).
#[derive(Debug, Clone)]
pub struct ChangeEmail {
    pub password: Password,
    pub new_email: NewEmail,
}

impl<S: AccountStore> Accounts<S> {
    /// Moves `bearer`'s account to `command.new_email` and returns the account as stored
    /// after. Moving to the address it already has changes nothing.
    pub async fn change_email(
        &self,
        bearer: &Bearer,
        command: ChangeEmail,
    ) -> Result<User, ServiceError> {
        let command = &command;
        self.retrying("e-mail change", move |mut uow| async move {
            let mut user = self.bearer_account(&uow, bearer).await?;
            self.check_password(&user, &command.password).await?;
            if user.change_email(command.new_email.as_ref().clone()) {
                user.end_sessions();
                uow.save_email(&user);
                uow.commit().await?;
                tracing::info!(user_id = %user.id(), "e-mail address changed; sessions ended");
            }
            Ok(user)
        })
        .await
    }
}
