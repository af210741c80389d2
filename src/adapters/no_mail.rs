//! The mailer of a build that has no e-mail channel yet: every send fails, loudly, naming the
//! purpose and never the code. Sign-up still succeeds (its mail is best effort); resend,
//! forgot and the e-mail change answer 503. `main.rs` wires it until the SES adapter is.

use anyhow::anyhow;

use crate::service::{Mail, Mailer, Sending};

/// Sends nothing, and says so.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoChannel;

impl Mailer for NoChannel {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            tracing::error!(purpose = mail.purpose.name(), "mail not sent: no channel");
            Err(anyhow!("no e-mail channel is configured"))
        })
    }
}
