//! A [`Mailer`] that keeps every mail in memory, for tests: what was sent, to whom, with which
//! code, and faults on demand (the next sends fail, as SES throttling or a rejection would).
//! Cheap to clone; clones share one mailbox.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::anyhow;

use crate::domain::{CodePurpose, Email};
use crate::service::{Mail, Mailer, Sending};

/// Every mail sent, in order, and how many of the next sends are to fail.
#[derive(Debug, Clone, Default)]
pub struct Mailbox {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    sent: Vec<Mail>,
    failures: usize,
    refused: usize,
}

impl Mailbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the next `sends` sends fail, sending nothing.
    pub fn fail_next(&self, sends: usize) {
        self.lock().failures += sends;
    }

    /// Every mail sent so far, in order.
    pub fn sent(&self) -> Vec<Mail> {
        self.lock().sent.clone()
    }

    /// How many sends were refused by an injected fault.
    pub fn refused(&self) -> usize {
        self.lock().refused
    }

    /// The mails of `purpose` sent to `to`, in order.
    pub fn to(&self, to: &str, purpose: CodePurpose) -> Vec<Mail> {
        let to = Email::parse(to).ok();
        (self.sent().into_iter())
            .filter(|mail| Some(&mail.to) == to.as_ref() && mail.purpose == purpose)
            .collect()
    }

    /// The code of the last mail of `purpose` to `to`, if one was sent.
    pub fn last_code(&self, to: &str, purpose: CodePurpose) -> Option<String> {
        self.to(to, purpose).pop().map(|mail| mail.code)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Mailer for Mailbox {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            let mut state = self.lock();
            if state.failures > 0 {
                state.failures -= 1;
                state.refused += 1;
                return Err(anyhow!("injected: the mail channel refused the mail"));
            }
            state.sent.push(mail.clone());
            Ok(())
        })
    }
}
