//! The service layer: what the account service does, knowing nothing of HTTP or DynamoDB.
//!
//! [`Accounts`] holds what every use case shares (the store, the password hasher, the token
//! issuer, the session rules, the clock), built once per cold start. Each use case is one method
//! on it, in a file of its own (`sign_up.rs`, `sign_in.rs`, …); it reads through a
//! [`UnitOfWork`], lets the domain decide, and commits what changed as one change set. Every use
//! case answers a [`ServiceError`]: a [`Refusal`] the client may be told, or the store being
//! unavailable, or a bug. The same code runs on the in-memory store in tests and on DynamoDB in
//! production.
//!
//! Beside the use cases: the port ([`AccountStore`] and its [`Change`]s), the unit of work, the
//! one retry loop (`retrying`), the request's time budget ([`deadline`]), the clock, the
//! password guard (`guard`, the lockout), what a bearer token speaks for (`bearer`), and three
//! modules of their own: [`credentials`] (hashing, pepper, the TOTP keys), [`tokens`] (access
//! tokens, signing keys, the session policy) and `mfa` (the second factor's use cases).

mod admin;
mod bearer;
mod change;
mod clock;
mod codes;
pub mod credentials;
pub mod deadline;
mod guard;
mod mailer;
mod mfa;
pub mod origin;
mod outcome;
mod ports;
mod retrying;
pub mod tokens;
mod unit_of_work;

mod activate;
mod authenticate;
mod change_email;
mod change_password;
mod confirm_email_change;
mod current_account;
mod deactivate;
mod delete_account;
mod forgot_password;
mod list_sessions;
mod refresh;
mod rename;
mod resend_verification;
mod reset_password;
mod revoke_session;
mod sign_in;
mod sign_out;
mod sign_up;
mod status_change;
mod verify_email;

pub use admin::{AdminAccount, AdminPage, EventPage, ListUsers};
pub use authenticate::Credentials;
pub use change::{Change, Lockout, RECORDS_PER_COMMIT, Record, writable_at_once};
pub use change_email::ChangeEmail;
pub use change_password::ChangePassword;
pub use clock::Clock;
pub use codes::CodeLifetimes;
pub use credentials::{
    HashCost, HashMemoryLimit, PasswordHasher, Pepper, PepperAge, PepperId, Peppers, TotpKeys,
};
pub use list_sessions::OwnSessions;
pub use mailer::{Mail, Mailer, Sending};
pub use mfa::{
    DEFAULT_TOTP_ISSUER, RecoveryCodesReplaced, SecondFactorProof, TotpConfirmed, TotpEnrolment,
    TotpSettings,
};
pub use outcome::{Refusal, ServiceError};
pub use ports::{AccountPage, AccountRecord, AccountStore, AtAddress, CommitError, StoreError};
pub use rename::Rename;
pub use reset_password::ResetPassword;
pub use sign_in::{SignIn, SignedIn};
pub use sign_out::SignOut;
pub use sign_up::CreateUser;
pub use tokens::{
    ALGORITHM, AccessToken, AccessTokens, Bearer, CodeBinding, SCOPE, SessionKeys, SessionPolicy,
    SigningKeys, TokenPair, TokenSettings, Tokens,
};
pub use unit_of_work::{DEFAULT_EVENT_RETENTION_DAYS, UnitOfWork};
pub use verify_email::VerifyEmail;

use std::sync::Arc;

/// What every use case shares. Built once per cold start; each request borrows it.
pub struct Accounts<S> {
    store: S,
    hasher: PasswordHasher,
    tokens: Tokens,
    /// The second factor's keys and issuer.
    totp: TotpSettings,
    clock: Clock,
    /// The e-mail channel codes go out through, after they are committed.
    mailer: Arc<dyn Mailer>,
    /// How long codes live.
    code_lifetimes: CodeLifetimes,
    /// Whether an unknown address is answered as a wrong password (see `authenticate`).
    prevent_existence_errors: bool,
    /// Whether sign-in and activation need a verified address (`REQUIRE_VERIFIED_EMAIL`).
    require_verified_email: bool,
    /// How long account events are kept (`EVENT_RETENTION_DAYS`).
    event_retention_days: u64,
}

impl<S: AccountStore> Accounts<S> {
    /// The use cases over `store`, mailing codes through `mailer`.
    pub fn new(
        store: S,
        hasher: PasswordHasher,
        tokens: Tokens,
        totp: TotpSettings,
        clock: Clock,
        mailer: Arc<dyn Mailer>,
    ) -> Self {
        Self {
            store,
            hasher,
            tokens,
            totp,
            clock,
            mailer,
            code_lifetimes: CodeLifetimes::default(),
            prevent_existence_errors: false,
            require_verified_email: false,
            event_retention_days: DEFAULT_EVENT_RETENTION_DAYS,
        }
    }

    /// The same use cases, keeping account events `days` (`EVENT_RETENTION_DAYS`).
    pub fn keeping_events_for(self, days: u64) -> Self {
        Self {
            event_retention_days: days,
            ..self
        }
    }

    /// The same use cases, sealing and reading TOTP secrets as `totp` says (after a rotation of
    /// its keys, say).
    pub fn with_totp(self, totp: TotpSettings) -> Self {
        Self { totp, ..self }
    }

    /// The same use cases, issuing codes that live as long as `lifetimes` says.
    pub fn with_code_lifetimes(self, lifetimes: CodeLifetimes) -> Self {
        Self {
            code_lifetimes: lifetimes,
            ..self
        }
    }

    /// The same use cases, refusing sign-in and activation of an account whose address is not
    /// verified (`REQUIRE_VERIFIED_EMAIL`), or not.
    pub fn requiring_verified_email(self, require: bool) -> Self {
        Self {
            require_verified_email: require,
            ..self
        }
    }

    /// The same use cases, answering a password check for an address no account has exactly
    /// as a wrong password (`PREVENT_USER_EXISTENCE_ERRORS`), or not.
    pub fn preventing_existence_errors(self, prevent: bool) -> Self {
        Self {
            prevent_existence_errors: prevent,
            ..self
        }
    }

    /// The access-token issuer: its settings and published keys, for the documents that
    /// describe them.
    pub fn access_tokens(&self) -> &AccessTokens {
        &self.tokens.access
    }

    /// A fresh unit of work on the store.
    fn begin(&self) -> UnitOfWork<'_, S> {
        UnitOfWork::stamped(&self.store, self.clock.now(), self.event_retention_days)
    }
}

impl<S> std::fmt::Debug for Accounts<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("sessions", &self.tokens.policy)
            .finish_non_exhaustive()
    }
}
