//! The password guard: every check of a password goes through it, on every route, so that
//! guessing is slowed the same way wherever it is tried.
//!
//! A locked account is refused without running Argon2 (a lock costs no CPU); a failure is
//! counted with an atomic increment on the account item (exact under concurrency, and outside
//! the account's version, so it never conflicts with a real change); a success clears a count
//! that still stands, the only write a success makes. The schedule itself is the domain's
//! ([`Failures`](crate::domain::Failures)), read against the service's one clock.

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;

use super::outcome::Attempt;
use super::{AccountStore, Accounts, CommitError, Refusal, ServiceError};
use crate::domain::{Password, User};

impl<S: AccountStore> Accounts<S> {
    /// Checks `password` against `user`'s, as a guard against guessing.
    pub(super) async fn check_password(
        &self,
        user: &User,
        password: &Password,
    ) -> Result<(), ServiceError> {
        let now = self.clock.now();
        if let Some(retry_after) = user.failures().locked_for(now) {
            return Err(Refusal::Locked { retry_after }.into());
        }
        if self.password_matches(user, password).await? {
            if user.failures().current(now) > 0 {
                let mut uow = self.begin();
                uow.clear_failures(user);
                if let Err(error) = uow.commit().await {
                    tracing::warn!(user_id = %user.id(), %error, "clearing failed attempts failed");
                }
            }
            return Ok(());
        }
        // Whether this failure starts a new run; if another request's failure got in first, the
        // condition fails and the other kind applies.
        let restart = AtomicBool::new(user.failures().current(now) == 0);
        let restart = &restart;
        self.retrying(
            "counting a failed password check",
            move |mut uow| async move {
                uow.record_failure(user, now, restart.load(Ordering::Relaxed));
                match uow.commit().await {
                    Err(CommitError::Conflict) => {
                        restart.fetch_xor(true, Ordering::Relaxed);
                        Err(Attempt::Conflict)
                    }
                    other => Ok(other?),
                }
            },
        )
        .await?;
        Err(Refusal::WrongPassword.into())
    }

    /// Whether `password` is `user`'s. An error means the stored hash is unusable, never that
    /// the password is wrong.
    pub(super) async fn password_matches(
        &self,
        user: &User,
        password: &Password,
    ) -> anyhow::Result<bool> {
        self.hasher
            .verify(password, user.password_hash())
            .await
            .with_context(|| format!("verifying the password of account {}", user.id()))
    }
}
