//! The JSON form a versioned secret takes in Secrets Manager, shared by the pepper and the TOTP
//! key: `{"current": …, "next": … or null, "previous": [… newest first], "rotated_at": …}`.
//!
//! `next` is what makes a rotation safe while instances started before and after it run side by
//! side: every instance running when `next` becomes `current` already knows it. `rotated_at` is
//! the scripts' record (they refuse a second rotation within a day); it is named so that a
//! misspelt key is still refused, and never read here.

use serde::Deserialize;

use crate::domain::Invalid;

/// A versioned secret's parts, in text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyDocument {
    pub(super) current: String,
    #[serde(default)]
    pub(super) next: Option<String>,
    #[serde(default)]
    pub(super) previous: Vec<String>,
    #[serde(default, rename = "rotated_at")]
    _rotated_at: serde::de::IgnoredAny,
}

impl KeyDocument {
    /// A secret's text: the document, or (not starting with `{`) a lone `current`. `what` names
    /// the secret in errors, which only say where the JSON failed: serde's messages may quote
    /// the values, which are secrets.
    pub(super) fn parse(text: &str, what: &str) -> Result<Self, Invalid> {
        if !text.trim_start().starts_with('{') {
            return Ok(Self {
                current: text.to_owned(),
                next: None,
                previous: Vec::new(),
                _rotated_at: serde::de::IgnoredAny,
            });
        }
        serde_json::from_str(text).map_err(|e| {
            Invalid::new(format!(
                "must be a {what} or a {what} document (JSON {:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })
    }
}

/// Refuses a list of ids in which one appears twice (`what`: "the same pepper").
pub(super) fn each_once<T: PartialEq>(ids: &[T], what: &str) -> Result<(), Invalid> {
    match (1..ids.len()).any(|i| ids[..i].contains(&ids[i])) {
        true => Err(Invalid::new(format!("must not list {what} twice"))),
        false => Ok(()),
    }
}
