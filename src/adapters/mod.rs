//! Everything that talks to the outside world.
//!
//! [`dynamodb`] implements the service layer's [`AccountStore`](crate::service::AccountStore)
//! port for production; [`in_memory`] is its twin for fast tests, with the same guarantees
//! (unique e-mail addresses, version-checked updates, all-or-nothing commits) plus fault
//! injection, and a mailbox that keeps mails. [`secrets_manager`] fetches the pepper at cold
//! start. [`ses`] implements the [`Mailer`](crate::service::Mailer) port: it renders each mail
//! and sends it through Amazon SES.

pub mod dynamodb;
pub mod in_memory;
pub mod secrets_manager;
pub mod ses;
