//! The password guard: every check of a password goes through it, on every route, so that
//! guessing is slowed the same way wherever it is tried.
//!
//! A check is counted before Argon2 runs, by a write conditioned on the count as read: of a
//! burst of guesses that all read the same count, one lands; the others read again and find
//! the address locked (429, nothing hashed) or count one more. So however many guesses arrive
//! at once, no more are checked than the schedule allows ([`Failures`](crate::domain::Failures)).
//! A success clears the count, except on an account with TOTP, where only a passed second
//! factor does (wrong codes count as wrong passwords do). The count lives beside the account's version, not in it, so it
//! never conflicts with a real change of the account. With existence errors prevented, an
//! address no account has is guarded the same way, its count kept under the same key, and its
//! "check" runs Argon2 all the same: neither the answer nor its time tells the two apart.

use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, anyhow};

use super::retrying::MAX_ATTEMPTS;
use super::{AccountStore, Accounts, AtAddress, CommitError, Refusal, ServiceError};
use crate::domain::{Email, Failures, Password, Revision, User};

impl<S: AccountStore> Accounts<S> {
    /// Checks `password` against `user`'s (as read), as a guard against guessing.
    pub(super) async fn check_password(
        &self,
        user: &User,
        password: &Password,
    ) -> Result<(), ServiceError> {
        let key = user.revision().key();
        self.reserve_check(key, Some(user.revision()), user.failures())
            .await?;
        if !self.password_matches(user, password).await? {
            return Err(Refusal::WrongPassword.into());
        }
        if user.has_totp() {
            // Only a passed second factor clears the count of such an account: were a right
            // password enough, whoever knows it would get unlimited guesses at the code by
            // interleaving sign-ins.
            return Self::not_disabled(user);
        }
        let mut uow = self.begin();
        uow.clear_failures(user);
        if let Err(error) = uow.commit().await {
            // The check itself succeeded; the count runs out on its own within 15 minutes.
            tracing::warn!(user_id = %user.id(), %error, "clearing the failure count failed");
        }
        Self::not_disabled(user)
    }

    /// Refuses an account an administrator disabled, once its password is known to be right
    /// (a wrong one is only a wrong password, counted like any other): the first answer after
    /// the password's, on every route that checks one.
    fn not_disabled(user: &User) -> Result<(), ServiceError> {
        if user.is_disabled() {
            tracing::info!(user_id = %user.id(), "right password refused: the account is disabled");
            return Err(Refusal::AccountDisabled.into());
        }
        Ok(())
    }

    /// "Checks" `password` for `address`, which no account has, as if one did: counted the
    /// same way (`read`, as read) and run against a hash of the current cost. Its only
    /// outcomes are being refused (locked) and having run: it never matches.
    pub(super) async fn check_nobody(
        &self,
        address: &Email,
        read: Failures,
        password: &Password,
    ) -> Result<(), ServiceError> {
        self.reserve_check(address, None, read).await?;
        let decoy = self.hasher.decoy()?;
        let matched =
            (self.hasher.verify(password, &decoy).await).context("verifying the decoy")?;
        debug_assert!(!matched, "no password matches the decoy");
        Ok(())
    }

    /// Counts one more password check against `key` (of the account read as `owner`, or of no
    /// account) before it runs, or refuses it as locked.
    pub(super) async fn reserve_check(
        &self,
        key: &Email,
        owner: Option<&Revision>,
        read: Failures,
    ) -> Result<(), ServiceError> {
        let attempt = AtomicU32::new(0);
        let attempt = &attempt;
        self.retrying("counting a password check", move |mut uow| async move {
            let n = attempt.fetch_add(1, Ordering::Relaxed) + 1;
            let (failures, owner) = match n {
                1 => (read, owner.cloned()),
                _ => match (uow.at(key).await?, owner) {
                    (AtAddress::Account(user), Some(read)) if user.id() == read.id() => {
                        (user.failures(), Some(user.revision().clone()))
                    }
                    (AtAddress::Nobody(failures), None) => (failures, None),
                    _ => {
                        let changed = anyhow!("the address changed hands during a password check");
                        return Err(ServiceError::Unavailable(changed).into());
                    }
                },
            };
            let now = self.clock.now();
            if let Some(retry_after) = failures.locked_for(now) {
                return Err(Refusal::Locked { retry_after }.into());
            }
            uow.reserve_attempt_at(key, owner.as_ref(), now, failures);
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
