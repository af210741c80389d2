//! Everything that talks to the outside world.
//!
//! [`dynamodb`] implements the service layer's [`AccountStore`](crate::service::AccountStore)
//! port for production; [`in_memory`] is its twin for fast tests, with the same guarantees
//! (unique e-mail addresses, version-checked updates, all-or-nothing commits) plus fault
//! injection, and a mailbox that keeps mails. [`secrets_manager`] fetches the pepper at cold
//! start. [`no_mail`] is the mailer of a build without an e-mail channel.

pub mod dynamodb;
pub mod in_memory;
pub mod no_mail;
pub mod secrets_manager;
