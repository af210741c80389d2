//! Use case: change the names of the account an access token speaks for.

use super::{AccountStore, Accounts, Bearer, ServiceError};
use crate::domain::{PersonName, User};

/// The names to set; a name not given stays as it is.
#[derive(Debug, Clone, Default)]
pub struct Rename {
    pub name: Option<PersonName>,
    pub surname: Option<PersonName>,
}

impl<S: AccountStore> Accounts<S> {
    /// Sets the names `command` gives on `bearer`'s account and returns the account as stored
    /// after: one read, and one write conditioned on the version read (only if a name
    /// changes), retried on a concurrent change rather than overwriting it.
    pub async fn rename(&self, bearer: &Bearer, command: Rename) -> Result<User, ServiceError> {
        let command = &command;
        self.retrying("renaming", move |mut uow| async move {
            let mut user = self.bearer_account(&uow, bearer).await?;
            if user.rename(command.name.clone(), command.surname.clone()) {
                uow.save_names(&user);
                uow.commit().await?;
                tracing::info!(user_id = %user.id(), "names changed");
            }
            Ok(user)
        })
        .await
    }
}
