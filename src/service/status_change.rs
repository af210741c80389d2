//! What activation and deactivation share: authenticate, let the aggregate decide, write only a
//! real change, and never overwrite a concurrent one.

use super::{AccountStore, Accounts, Credentials, Lockout, ServiceError};
use crate::domain::User;

impl<S: AccountStore> Accounts<S> {
    /// Applies `change` (`User::activate` or `User::deactivate`) to the account behind
    /// `credentials` and returns the account as stored afterwards.
    ///
    /// The write is conditional on the version read, so a concurrent change makes it fail
    /// instead of being overwritten; the whole read-verify-decide step then runs again on fresh
    /// data.
    /// With `needs_verified`, an account whose address must be verified and is not is refused
    /// after the password check (activation, with `REQUIRE_VERIFIED_EMAIL`). An account with
    /// TOTP needs a second factor too, checked last; the code is spent (and the lockout count
    /// cleared) in the same write as the status, which is written even when it stays the same.
    pub(super) async fn change_status(
        &self,
        credentials: Credentials,
        change: fn(&mut User) -> bool,
        needs_verified: bool,
    ) -> Result<User, ServiceError> {
        let credentials = &credentials;
        self.retrying("status change", move |mut uow| async move {
            let mut user = self.authenticate(&uow, credentials).await?;
            if needs_verified {
                self.require_verified(&user)?;
            }
            if user.has_totp() {
                self.require_second_factor(&mut user, credentials.second_factor.as_ref())?;
                change(&mut user);
                uow.save_second_factor(&user, Lockout::Clear);
                uow.commit().await?;
                tracing::info!(user_id = %user.id(), active = user.is_active(), "status set with a second factor");
                return Ok(user);
            }
            if change(&mut user) {
                uow.save_status(&user);
                uow.commit().await?;
                tracing::info!(user_id = %user.id(), active = user.is_active(), "status changed");
            }
            Ok(user)
        })
        .await
    }
}
