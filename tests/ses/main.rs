//! The SES adapter through the real SDK: against moto's SES (what `make test` starts and
//! points `AWS_ENDPOINT_URL_SESV2` at), which checks the sender is verified and keeps what it
//! was sent at `/moto-api/data.json`; with canned responses for what moto never does
//! (throttling); and with the request itself recorded, for what moto does not keep (the text
//! part, Reply-To, the configuration set). And no log line holds the code.
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

#[path = "../common/mod.rs"]
mod common;

mod faults;
mod logs;
mod moto;
mod request;

use user_service::config::MailSettings;
use user_service::domain::{CodePurpose, Email};
use user_service::service::Mail;

pub const PRODUCT: &str = "Analytical Engine";

/// Settings with sender `from` and nothing optional.
pub fn settings(from: &str) -> MailSettings {
    MailSettings {
        from: Email::parse(from).expect("valid"),
        reply_to: None,
        configuration_set: None,
        link_url: None,
        product_name: PRODUCT.to_owned(),
    }
}

/// A mail of `purpose` to `to`, with a code of the purpose's length that is unlike anything
/// else in the mail.
pub fn mail(to: &str, purpose: CodePurpose) -> Mail {
    Mail {
        to: Email::parse(to).expect("valid"),
        purpose,
        code: "97531864"[..purpose.digits()].to_owned(),
        valid_for_seconds: 900,
    }
}

/// A fresh address under `example.com`, so that tests sharing one moto never see each other's
/// mail.
pub fn unique(name: &str) -> String {
    format!("{name}-{}@example.com", uuid::Uuid::new_v4().simple())
}
