//! The mail channel on Amazon SES (API v2): one `SendEmail` per [`Mail`], with a text and an
//! HTML part rendered from the templates compiled into the binary (`render`).
//!
//! Simple content rather than SES's stored templates: the wording is reviewed, versioned and
//! tested with the code, a deployment needs no template resources, and moto (the local SES)
//! implements Simple only. The code travels in the mail and nowhere else: no log line or error
//! of this module holds it. A refusal, throttling (after the SDK's retries) or an unreachable
//! SES is an `Err` with what we were doing as context; the use case decides what it means.

mod render;

use std::time::Duration;

use anyhow::Context;
use aws_config::SdkConfig;
use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::config::timeout::TimeoutConfig;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

use crate::config::MailSettings;
use crate::service::{Mail, Mailer, Sending};

/// The longest a send may take, retries included: a mail goes out within the request's own
/// 10 s budget, after the code is committed.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(4);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// The IAM action each send needs (`template.yaml` grants it, on the sender's identity and the
/// configuration set only).
pub const SEND_ACTION: &str = "ses:SendEmail";

/// Sends mails through SES. Cheap to share: built once per cold start.
#[derive(Debug, Clone)]
pub struct SesMailer {
    client: Client,
    settings: MailSettings,
}

impl SesMailer {
    /// A mailer over `client` (tests give one with canned responses).
    pub fn new(client: Client, settings: MailSettings) -> Self {
        Self { client, settings }
    }

    /// The mailer a cold start builds: the shared SDK settings (region, credentials,
    /// `AWS_ENDPOINT_URL_SESV2` locally) with time limits sized for a request.
    pub fn from_config(sdk: &SdkConfig, settings: MailSettings) -> Self {
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .operation_attempt_timeout(ATTEMPT_TIMEOUT)
            .operation_timeout(OPERATION_TIMEOUT)
            .build();
        let config = aws_sdk_sesv2::config::Builder::from(sdk)
            .timeout_config(timeouts)
            .build();
        Self::new(Client::from_conf(config), settings)
    }

    async fn send_one(&self, mail: &Mail) -> anyhow::Result<()> {
        let rendered = render::render(mail, &self.settings);
        let utf8 = |data: String| Content::builder().data(data).charset("UTF-8").build();
        let message = Message::builder()
            .subject(utf8(rendered.subject).context("the subject")?)
            .body(
                Body::builder()
                    .text(utf8(rendered.text).context("the text part")?)
                    .html(utf8(rendered.html).context("the HTML part")?)
                    .build(),
            )
            .build();
        let destination = Destination::builder()
            .to_addresses(ses_address(mail.to.as_ref()))
            .build();
        let settings = &self.settings;
        self.client
            .send_email()
            .from_email_address(ses_address(settings.from.as_ref()))
            .destination(destination)
            .set_reply_to_addresses(
                (settings.reply_to.as_ref()).map(|to| vec![ses_address(to.as_ref())]),
            )
            .set_configuration_set_name(settings.configuration_set.clone())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await?;
        Ok(())
    }
}

impl Mailer for SesMailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            self.send_one(mail)
                .await
                .with_context(|| format!("sending the {} mail through SES", mail.purpose.name()))
        })
    }
}

/// `address` as SES takes it: the domain in its ASCII (punycode) form, since our canonical
/// form keeps it in Unicode (`ana@bücher.de` → `ana@xn--bcher-kva.de`). A local part that is
/// not ASCII stays as it is, and SES refuses it: it does not speak SMTPUTF8.
fn ses_address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => match idna::domain_to_ascii(domain) {
            Ok(ascii) => format!("{local}@{ascii}"),
            Err(_) => address.to_owned(),
        },
        None => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::ses_address;

    #[test]
    fn addresses_reach_ses_with_their_domain_in_ascii() {
        let cases = [
            ("ada@example.com", "ada@example.com"),
            ("ana@bücher.de", "ana@xn--bcher-kva.de"),
            ("a@b@münchen.de", "a@b@xn--mnchen-3ya.de"),
        ];
        for (address, expected) in cases {
            assert_eq!(ses_address(address), expected, "{address}");
        }
    }
}
