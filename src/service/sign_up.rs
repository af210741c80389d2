//! Use case: register a new, inactive and unverified account, and mail it a verification code.

use anyhow::Context;

use super::{AccountStore, Accounts, ServiceError};
use crate::domain::{NewEmail, NewPassword, PersonName, User};

/// Everything needed to register an account, already parsed (the address and the password
/// under the rules for new ones).
#[derive(Debug, Clone)]
pub struct CreateUser {
    pub name: PersonName,
    pub surname: PersonName,
    pub email: NewEmail,
    pub password: NewPassword,
}

impl<S: AccountStore> Accounts<S> {
    /// Hashes the password and registers the account in one atomic write.
    ///
    /// There is deliberately no "is this e-mail taken?" read first: it would cost a call and
    /// still race with a concurrent sign-up. The store's uniqueness guarantee decides, and the
    /// loser of a race is refused with `EmailTaken`, the winner's account untouched. DynamoDB
    /// may instead cancel the loser's transaction without deciding (`TransactionConflict`,
    /// while the winner's is in flight); it is then tried again after a jittered pause, and the
    /// retry meets the winner's account and is refused.
    pub async fn create_user(&self, command: CreateUser) -> Result<User, ServiceError> {
        let hash = self
            .hasher
            .hash(command.password.as_ref())
            .await
            .context("hashing the new account's password")?;
        let user = User::register(
            command.name,
            command.surname,
            command.email.into(),
            hash,
            self.clock.now(),
        );
        let new = &user;
        self.retrying("sign-up", move |mut uow| async move {
            uow.create(new.clone());
            Ok(uow.commit().await?)
        })
        .await?;
        tracing::info!(user_id = %user.id(), "account created");
        self.mail_first_verification(&user).await;
        Ok(user)
    }
}
