//! What the use cases of codes share: mailing one and using one.
//!
//! **Mailing.** A mail is counted against the address's send limits, and its code (if the
//! address's account is to get one) written, by one conditional write of the address's code
//! record; only then is it sent, within the request's deadline. Of concurrent requests, one
//! write lands and the others read again and meet the limit, so no burst sends more than the
//! limits allow. Should the send fail, the record is put back as it was, provided nothing
//! wrote it since (a conditional write again): the failed mail is not counted, the previous
//! code is live again, and the client hears 503. Unknown addresses are counted alike, and get
//! no mail.
//!
//! **Using.** A presented code's try is counted before the code is compared (the lockout's
//! lesson): one write, conditioned on the version read, counts it as a wrong try; only once
//! that write has landed is the code compared, so no comparison, its timing included, is made
//! for a try that was not counted, and of a burst at most five are ever compared with a code.
//! A wrong code's answer is then given; a right one is used by a second write, conditioned on
//! the version the first made, that removes the code, takes the try back, and commits what
//! the code grants. A try that keeps losing the race to count is answered 429 unread.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::{Context, anyhow};

use super::retrying::MAX_ATTEMPTS;
use super::{
    AccountStore, Accounts, AtAddress, CodeBinding, CommitError, Mail, Refusal, ServiceError,
    UnitOfWork, deadline,
};
use crate::domain::{CodeCheck, CodePurpose, CodeRecord, Email, LiveCode, OneTimeCode, User};

/// What the undo of a failed send keeps of the request's deadline.
const UNDO_RESERVE: Duration = Duration::from_secs(2);

/// How long codes live (`VERIFICATION_CODE_TTL_SECONDS`, `RESET_CODE_TTL_SECONDS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeLifetimes {
    /// Seconds a verification code lives.
    pub verification: u64,
    /// Seconds a reset or e-mail change code lives: they hand an account over.
    pub reset: u64,
}

impl Default for CodeLifetimes {
    fn default() -> Self {
        Self {
            verification: 86_400,
            reset: 900,
        }
    }
}

impl CodeLifetimes {
    /// How long a code of `purpose` lives.
    pub fn of(&self, purpose: CodePurpose) -> u64 {
        match purpose {
            CodePurpose::Verification => self.verification,
            CodePurpose::PasswordReset | CodePurpose::EmailChange => self.reset,
        }
    }
}

/// A mail committed and waiting to go, with the records to put back should it not.
pub(super) struct Outgoing {
    pub(super) mail: Mail,
    pub(super) counted_in: Vec<CodeRecord>,
}

impl<S: AccountStore> Accounts<S> {
    /// Issues `user` a fresh code in `record` (voiding the previous one) and returns the mail
    /// that carries it to `to`.
    pub(super) fn issue_code(
        &self,
        record: &mut CodeRecord,
        user: &User,
        to: &Email,
        now: u64,
    ) -> anyhow::Result<Mail> {
        let purpose = record.purpose();
        let code = OneTimeCode::generate(purpose).context("drawing a code")?;
        let target = (purpose == CodePurpose::EmailChange).then(|| to.clone());
        let binding = CodeBinding {
            purpose,
            account: user.id(),
            address: record.address(),
            to: target.as_ref(),
        };
        let digest = self.tokens.refresh.code_digest(&binding, &code);
        let ttl = self.code_lifetimes.of(purpose);
        record.issue(LiveCode {
            account: user.id(),
            digest,
            expires_at: now.saturating_add(ttl),
            tries: 0,
            to: target,
        });
        Ok(Mail {
            to: to.clone(),
            purpose,
            code: code.reveal().to_owned(),
            valid_for_seconds: ttl,
        })
    }

    /// Counts a mail of `purpose` to `address` and, when its account is `wanted`, issues the
    /// account a code and mails it; an unknown address (or an account not wanted) is counted
    /// and gets nothing, so the answers are the same. `what` names it in the log.
    pub(super) async fn mail_code(
        &self,
        what: &'static str,
        purpose: CodePurpose,
        address: &Email,
        wanted: fn(&User) -> bool,
    ) -> Result<(), ServiceError> {
        let outgoing = self
            .retrying(what, move |mut uow| async move {
                let now = self.clock.now();
                let (at, mut record) = uow.codes_at(address, purpose).await?;
                if let Some(retry_after) = record.sends().retry_after(now) {
                    return Err(Refusal::TooManyRequests { retry_after }.into());
                }
                let before = record.clone();
                record.count_send(now);
                let mail = match at.account() {
                    Some(user) if wanted(&user) => {
                        Some(self.issue_code(&mut record, &user, address, now)?)
                    }
                    _ => None,
                };
                uow.save_codes(record);
                uow.commit().await?;
                Ok(mail.map(|mail| Outgoing {
                    mail,
                    counted_in: vec![before],
                }))
            })
            .await?;
        match outgoing {
            Some(outgoing) => self.send(outgoing).await,
            None => Ok(()),
        }
    }

    /// Sends a committed mail within the request's deadline. If it fails, the records it was
    /// counted in are put back as they were before (if nothing wrote them since), and the
    /// answer is "unavailable".
    pub(super) async fn send(&self, outgoing: Outgoing) -> Result<(), ServiceError> {
        let Outgoing { mail, counted_in } = outgoing;
        let sending = self.mailer.send(&mail);
        let sent = match deadline::remaining() {
            Some(left) => tokio::time::timeout(left.saturating_sub(UNDO_RESERVE), sending)
                .await
                .unwrap_or_else(|_| Err(anyhow!("the request's deadline came first"))),
            None => sending.await,
        };
        let purpose = mail.purpose.name();
        let Err(error) = sent else {
            tracing::info!(purpose, "mail sent");
            return Ok(());
        };
        let mut uow = self.begin();
        for record in counted_in {
            uow.save_codes(record.reverting_the_next_write());
        }
        match uow.commit().await {
            Ok(()) => tracing::info!(purpose, "the failed mail is not counted"),
            Err(undo) => {
                tracing::warn!(purpose, error = %undo, "the failed mail stays counted")
            }
        }
        Err(ServiceError::Unavailable(error.context("sending a mail")))
    }

    /// Uses `code` for `purpose` at `address`. `account` says which account the code may be
    /// right for, from what the address holds (none: no code is right); `accept` stages what
    /// the right code grants, committed with the code's removal.
    pub(super) async fn use_code<T>(
        &self,
        what: &'static str,
        (purpose, address): (CodePurpose, &Email),
        code: &OneTimeCode,
        account: impl Fn(AtAddress) -> Result<Option<User>, ServiceError> + Sync,
        accept: impl Fn(&mut UnitOfWork<'_, S>, User, &LiveCode) -> Result<T, ServiceError> + Sync,
    ) -> Result<T, ServiceError> {
        let attempts = AtomicU32::new(0);
        let (attempts, account, accept) = (&attempts, &account, &accept);
        self.retrying(what, move |mut uow| async move {
            let n = attempts.fetch_add(1, Ordering::Relaxed) + 1;
            let now = self.clock.now();
            let (at, record) = uow.codes_at(address, purpose).await?;
            let user = account(at)?;
            // The try, counted as wrong before anything is compared (the comparator of the
            // reservation never matches).
            let mut reserved = record.clone();
            if let CodeCheck::Locked { retry_after } = reserved.present(None, now, |_| false) {
                return Err(Refusal::Locked { retry_after }.into());
            }
            uow.save_codes(reserved);
            match uow.commit().await {
                // Still losing to concurrent tries: a burst is on. Answered unread.
                Err(CommitError::Conflict | CommitError::Contended) if n == MAX_ATTEMPTS => {
                    return Err(Refusal::Locked { retry_after: 1 }.into());
                }
                Err(error) => return Err(error.into()),
                Ok(()) => {}
            }
            // Counted: now the code may be compared, with the live code as read.
            let keys = &self.tokens.refresh;
            let right = (user.as_ref())
                .and_then(|user| record.usable_by(user.id(), now))
                .filter(|live| {
                    let binding = CodeBinding {
                        purpose,
                        account: live.account,
                        address,
                        to: live.to.as_ref(),
                    };
                    keys.is_code(&live.digest, &binding, code)
                })
                .cloned();
            let (Some(live), Some(user)) = (right, user) else {
                return Err(Refusal::InvalidCode.into());
            };
            let granted = accept(&mut uow, user, &live)?;
            uow.save_codes(record.used_over_the_reservation());
            // A conflict here (another try, or the account changed) reads again: this try
            // stays counted, and the code, if still live, is tried once more.
            uow.commit().await?;
            Ok(granted)
        })
        .await
    }
}
