//! Use case (admin): a page of accounts, optionally those whose address starts with a prefix,
//! in the store's stable order; the page's cursor gets the next one.

use crate::domain::{AccountCursor, EmailPrefix, IamCaller, PageSize};
use crate::service::{AccountPage, AccountStore, Accounts, ServiceError};

/// A page of accounts, read at `read_at` (Unix seconds: what their lockouts are told against).
#[derive(Debug)]
pub struct AdminPage {
    pub page: AccountPage,
    pub read_at: u64,
}

/// Which page of which accounts.
#[derive(Debug, Clone)]
pub struct ListUsers {
    pub prefix: EmailPrefix,
    pub size: PageSize,
    pub after: Option<AccountCursor>,
}

impl<S: AccountStore> Accounts<S> {
    /// The page `query` asks for.
    pub async fn list_users(
        &self,
        caller: &IamCaller,
        query: ListUsers,
    ) -> Result<AdminPage, ServiceError> {
        let read_at = self.clock.now();
        let page = self
            .begin()
            .accounts(&query.prefix, query.after.as_ref(), query.size.get())
            .await;
        match &page {
            // The prefix searched for is part of an address: personal data, not logged.
            Ok(page) => {
                tracing::info!(caller_arn = %caller, prefix_chars = query.prefix.as_ref().chars().count(),
                accounts = page.accounts.len(), more = page.next.is_some(), "admin: accounts listed")
            }
            Err(error) => tracing::info!(caller_arn = %caller, %error, "admin: listing failed"),
        }
        Ok(AdminPage {
            page: page?,
            read_at,
        })
    }
}
