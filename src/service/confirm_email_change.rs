//! Use case: move the account to the address an e-mail change code was mailed to.
//!
//! The code proves the new address is the requester's. The move is one transaction with the
//! code's removal: the account's item moves to the new address (conditioned on nobody holding
//! it), the old one is deleted (conditioned on the version read) and the id reservation is
//! re-pointed; so of two accounts racing for one address exactly one wins, and if the address
//! was taken since the request, nothing moves (409) and the code stays. The address is the
//! sign-in identity, so a move ends every session, and the new address is verified.

use anyhow::anyhow;

use super::{AccountStore, Accounts, Bearer, ServiceError};
use crate::domain::{CodePurpose, OneTimeCode, User};

impl<S: AccountStore> Accounts<S> {
    /// Moves `bearer`'s account to the address its live e-mail change code went to, if `code`
    /// is that code, and returns the account as moved.
    pub async fn confirm_email_change(
        &self,
        bearer: &Bearer,
        code: &OneTimeCode,
    ) -> Result<User, ServiceError> {
        let user = self
            .use_code(
                "e-mail change",
                (CodePurpose::EmailChange, &bearer.email),
                code,
                |at| Self::spoken_for(bearer, at.account()).map(Some),
                |uow, mut user, live| {
                    let to = (live.to.clone())
                        .ok_or_else(|| anyhow!("an e-mail change code without its address"))?;
                    user.change_email(to);
                    user.verify_email();
                    user.end_sessions();
                    uow.save_email(&user);
                    Ok(user)
                },
            )
            .await?;
        tracing::info!(user_id = %user.id(), "e-mail address changed; sessions ended");
        Ok(user)
    }
}
