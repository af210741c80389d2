//! Implementations of the service layer's [`AccountStore`](crate::service::AccountStore) port.
//!
//! [`dynamodb`] is production; [`in_memory`] is its twin for fast tests, with the same
//! guarantees (unique e-mail addresses, version-checked updates, all-or-nothing commits) plus
//! fault injection.

pub mod dynamodb;
pub mod in_memory;
