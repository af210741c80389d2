//! The port to the e-mail channel: a use case hands over one mail carrying one code, after the
//! code is committed; the adapter (Amazon SES in production, a mailbox in memory in tests)
//! renders and sends it. A failed send is an error the use case decides about (503, or only a
//! log line at sign-up); it never undoes what was committed.

use std::future::Future;
use std::pin::Pin;

use crate::domain::{CodePurpose, Email};

/// One mail to send: a code for one purpose, to one address.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Email,
    pub purpose: CodePurpose,
    /// The code in clear: it exists only here, on its way to the mailbox.
    pub code: String,
    /// How long the code is valid, for the mail's text.
    pub valid_for_seconds: u64,
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("to", &self.to)
            .field("purpose", &self.purpose)
            .field("code", &"<redacted>")
            .finish()
    }
}

/// A future a mailer answers with; boxed, so that `Accounts` holds any mailer as `Arc<dyn Mailer>`.
pub type Sending<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// Sends mails. `Err` when the channel refused or throttled it, or could not be reached.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a>;
}
