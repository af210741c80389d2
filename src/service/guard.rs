//! The password guard: every check of a password goes through it, on every route, so that
//! guessing is slowed the same way wherever it is tried.
//!
//! A check is counted before Argon2 runs, by a write conditioned on the count as read: of a
//! burst of guesses that all read the same count, one lands; the others read again and find
//! the account locked (429, nothing hashed) or count one more. So however many guesses arrive
//! at once, no more are checked than the schedule allows ([`Failures`](crate::domain::Failures)).
//! A success clears the count. The count lives beside the account's version, not in it, so it
//! never conflicts with a real change of the account.

use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, anyhow};

use super::retrying::MAX_ATTEMPTS;
use super::{AccountStore, Accounts, CommitError, Refusal, ServiceError};
use crate::domain::{Password, User};

impl<S: AccountStore> Accounts<S> {
    /// Checks `password` against `user`'s (as read), as a guard against guessing.
    pub(super) async fn check_password(
        &self,
        user: &User,
        password: &Password,
    ) -> Result<(), ServiceError> {
        self.reserve_check(user).await?;
        if !self.password_matches(user, password).await? {
            return Err(Refusal::WrongPassword.into());
        }
        let mut uow = self.begin();
        uow.clear_failures(user);
        if let Err(error) = uow.commit().await {
            // The check itself succeeded; the count runs out on its own within 15 minutes.
            tracing::warn!(user_id = %user.id(), %error, "clearing the failure count failed");
        }
        Ok(())
    }

    /// Counts one more password check of `user` before it runs, or refuses it as locked.
    async fn reserve_check(&self, user: &User) -> Result<(), ServiceError> {
        let attempt = AtomicU32::new(0);
        let attempt = &attempt;
        self.retrying("counting a password check", move |mut uow| async move {
            let n = attempt.fetch_add(1, Ordering::Relaxed) + 1;
            let current = match n {
                1 => user.clone(),
                _ => uow
                    .user_by_email(user.revision().key())
                    .await?
                    .filter(|stored| stored.id() == user.id())
                    .ok_or_else(|| anyhow!("the account went away during a password check"))
                    .map_err(ServiceError::Unavailable)?,
            };
            let now = self.clock.now();
            if let Some(retry_after) = current.failures().locked_for(now) {
                return Err(Refusal::Locked { retry_after }.into());
            }
            uow.reserve_attempt(&current, now);
            match uow.commit().await {
                // Still losing to concurrent guesses: a burst is on; it waits like a lock.
                Err(CommitError::Conflict) if n == MAX_ATTEMPTS => {
                    Err(Refusal::Locked { retry_after: 1 }.into())
                }
                other => Ok(other?),
            }
        })
        .await
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
