//! Checking an e-mail and password pair: the first step of sign-in, activation and deactivation.

use super::{
    AccountStore, Accounts, AtAddress, Refusal, SecondFactorProof, ServiceError, UnitOfWork,
};
use crate::domain::{Email, Password, User};

/// An e-mail address and the password claimed for it, and, where a route takes one, the
/// second factor offered with them.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub email: Email,
    pub password: Password,
    pub second_factor: Option<SecondFactorProof>,
}

impl<S: AccountStore> Accounts<S> {
    /// Loads the account registered under `credentials.email` and checks the password against
    /// it (through the guard). A password verified against a hash weaker than today's settings
    /// is re-hashed on the way.
    ///
    /// An address no account has is refused as such (`UnknownEmail`), or, with existence
    /// errors prevented, as a wrong password, after the same guard and the same Argon2 work.
    pub(super) async fn authenticate(
        &self,
        uow: &UnitOfWork<'_, S>,
        credentials: &Credentials,
    ) -> Result<User, ServiceError> {
        let user = match uow.at(&credentials.email).await? {
            AtAddress::Account(user) => user,
            AtAddress::Nobody(read) if self.prevent_existence_errors => {
                let address = &credentials.email;
                self.check_nobody(address, read, &credentials.password)
                    .await?;
                return Err(Refusal::WrongPassword.into());
            }
            AtAddress::Nobody(_) => return Err(Refusal::UnknownEmail.into()),
        };
        self.check_password(&user, &credentials.password).await?;
        if self.hasher.is_weaker(user.password_hash()) {
            return Ok(self.rehashed(uow, user, &credentials.password).await);
        }
        Ok(user)
    }

    /// `user` with its hash re-made at the hasher's current settings and written back (one
    /// conditional write), as read again; or, should that fail, `user` as it was: the next
    /// sign-in tries again, and the weaker hash still works meanwhile.
    async fn rehashed(&self, uow: &UnitOfWork<'_, S>, mut user: User, password: &Password) -> User {
        let before = user.clone();
        let written = async {
            user.replace_password_hash(self.hasher.hash(password).await?);
            let mut rehash = self.begin();
            rehash.save_password_hash(&user);
            rehash.commit().await?;
            anyhow::Ok(uow.user_by_email(user.revision().key()).await?)
        };
        match written.await {
            Ok(Some(stored)) => {
                tracing::info!(user_id = %stored.id(), "password re-hashed at the current cost");
                stored
            }
            Ok(None) => before,
            Err(error) => {
                tracing::warn!(user_id = %before.id(), error = %format!("{error:#}"), "re-hashing failed");
                before
            }
        }
    }
}
