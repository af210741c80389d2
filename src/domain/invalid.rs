//! The one error every domain parser returns.

use std::fmt;

/// Why a raw value was refused, phrased to complete "<field> …" (for example
/// `must not be empty`).
///
/// The message never repeats the refused value, so it is safe to put in a response or a log
/// line even when the value was a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(String);

impl Invalid {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}
