//! The bodies of the admin routes' answers: an account as an administrator sees it (its
//! state, its lockout and when it was written, never its hash, TOTP secret or any digest), and
//! a page of them.

use serde::Serialize;
use utoipa::ToSchema;

use super::mfa_views::MfaView;
use crate::service::{AccountRecord, AdminAccount, AdminPage};

/// An account, for an administrator.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AdminAccount)]
pub(super) struct AdminAccountView<'a> {
    #[schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    pub id: String,
    pub name: &'a str,
    pub surname: &'a str,
    pub email: &'a str,
    /// Whether its owner activated it.
    pub active: bool,
    /// Whether an administrator disabled it (only an administrator can enable it).
    pub disabled: bool,
    pub email_verified: bool,
    pub mfa: MfaView,
    /// Failed password (and second-factor) checks in the current run of them.
    pub failed_attempts: u32,
    /// Until when (Unix seconds) password checks are refused as `TooManyAttempts`; `null`
    /// when they are not.
    pub locked_until: Option<u64>,
    /// Unix seconds.
    pub created_at: u64,
    /// When it was last written, in Unix seconds.
    pub updated_at: u64,
    /// How many of its sessions would still refresh (`GET /admin/users/{id}/` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_sessions: Option<usize>,
}

impl<'a> AdminAccountView<'a> {
    fn new(record: &'a AccountRecord, now: u64, live_sessions: Option<usize>) -> Self {
        let user = &record.user;
        Self {
            id: user.id().to_string(),
            name: user.name().as_ref(),
            surname: user.surname().as_ref(),
            email: user.email().as_ref(),
            active: user.is_active(),
            disabled: user.is_disabled(),
            email_verified: user.is_email_verified(),
            mfa: MfaView::from(user),
            failed_attempts: user.failures().current(now),
            locked_until: user.failures().locked_until(now),
            created_at: user.created_at(),
            updated_at: record.updated_at,
            live_sessions,
        }
    }
}

impl<'a> From<&'a AdminAccount> for AdminAccountView<'a> {
    fn from(account: &'a AdminAccount) -> Self {
        Self::new(&account.record, account.read_at, account.live_sessions)
    }
}

/// A page of accounts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AdminAccountPage)]
pub(super) struct AdminPageView<'a> {
    /// At most `limit`, in a stable order (their live sessions are not counted here).
    pub users: Vec<AdminAccountView<'a>>,
    /// Send it back as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<'a> From<&'a AdminPage> for AdminPageView<'a> {
    fn from(page: &'a AdminPage) -> Self {
        Self {
            users: (page.page.accounts.iter())
                .map(|record| AdminAccountView::new(record, page.read_at, None))
                .collect(),
            next_cursor: page.page.next.as_ref().map(ToString::to_string),
        }
    }
}
