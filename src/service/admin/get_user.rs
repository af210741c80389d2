//! Use case (admin): one account as an administrator sees it, by id, with its live sessions
//! counted.
//!
//! The count reads the account's sessions as the owner's own list does (their keys from the
//! sessions index, eventually consistent: a session started a moment ago may be missing; then
//! the sessions themselves) and counts those that would still refresh.

use super::refused;
use crate::domain::{IamCaller, UserId};
use crate::service::{AccountRecord, AccountStore, Accounts, ServiceError};

/// An account, when it was last written, and how many of its sessions are live (if counted),
/// at `read_at`
/// (Unix seconds: what its lockout is told against).
#[derive(Debug)]
pub struct AdminAccount {
    pub record: AccountRecord,
    pub live_sessions: Option<usize>,
    pub read_at: u64,
}

impl<S: AccountStore> Accounts<S> {
    /// Account `id`, or `UserNotFound`.
    pub async fn get_user(
        &self,
        caller: &IamCaller,
        id: UserId,
    ) -> Result<AdminAccount, ServiceError> {
        let read = async {
            let uow = self.begin();
            let record =
                (uow.account_by_id(id).await?).ok_or(crate::service::Refusal::UserNotFound)?;
            let now = self.clock.now();
            let live_sessions = (uow.find_sessions_of(id).await?)
                .iter()
                .filter(|session| session.is_live(&record.user, now))
                .count();
            tracing::info!(caller_arn = %caller, user_id = %id, "admin: account read");
            Ok(AdminAccount {
                record,
                live_sessions: Some(live_sessions),
                read_at: now,
            })
        };
        read.await
            .inspect_err(|error| refused(caller, id, "reading", error))
    }
}
