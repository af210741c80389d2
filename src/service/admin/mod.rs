//! The administrators' use cases, one file each: list accounts, read one, disable and enable
//! it, end its sessions, delete it, read its events.
//!
//! Each takes the [`IamCaller`] that API Gateway's IAM authorization verified, and names it as
//! `caller_arn` in the log line it writes, whatever the outcome: who did what to which account
//! is on record. None checks a password or a token: the IAM policy on `execute-api:Invoke`
//! decided who may call them before the request reached the function. Accounts are named by
//! id, which never changes (an address can).

mod delete_user;
mod disable_user;
mod enable_user;
mod get_user;
mod list_events;
mod list_users;
mod sign_out_user;

pub use get_user::AdminAccount;
pub use list_events::EventPage;
pub use list_users::{AdminPage, ListUsers};

use super::{AccountStore, Accounts, Refusal, ServiceError};
use crate::domain::{Actor, IamCaller, User, UserId};

impl<S: AccountStore> Accounts<S> {
    /// Applies `change` (`User::disable` or `User::enable`) to account `id` and returns it as
    /// stored afterwards: one conditional write if anything changed, none otherwise.
    async fn set_disabled(
        &self,
        caller: &IamCaller,
        id: UserId,
        change: fn(&mut User) -> bool,
    ) -> Result<AdminAccount, ServiceError> {
        let outcome = self.retrying("disabling or enabling an account", move |uow| async move {
            let mut uow = uow.acting_as(Actor::Admin(caller.clone()));
            let mut record = (uow.account_by_id(id).await?).ok_or(Refusal::UserNotFound)?;
            let now = self.clock.now();
            if change(&mut record.user) {
                uow.save_disabled(&record.user);
                uow.commit().await?;
                record.updated_at = now;
            }
            let disabled = record.user.is_disabled();
            tracing::info!(caller_arn = %caller, user_id = %id, disabled, "admin: account disabled or enabled");
            Ok(AdminAccount {
                record,
                live_sessions: None,
                read_at: now,
            })
        });
        outcome
            .await
            .inspect_err(|error| refused(caller, id, "disabling or enabling", error))
    }
}

/// Logs an admin call that did not succeed, naming its caller.
fn refused(caller: &IamCaller, id: UserId, what: &'static str, error: &ServiceError) {
    tracing::info!(caller_arn = %caller, user_id = %id, what, %error, "admin: call refused or failed");
}
