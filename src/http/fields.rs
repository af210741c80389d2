//! Request bodies, field by field: where raw strings become domain types, once.
//!
//! Every field is checked even after one fails, so a client learns about all its mistakes in
//! one round trip: `{"email": "must be a valid e-mail address", "password": "is required"}`.
//! Keys the API does not know are ignored, so clients may send extra data.

use std::collections::BTreeMap;

use serde_json::Value;

use super::ApiError;
use super::body::JsonObject;
use crate::domain::Invalid;

/// The members of a body, consumed field by field, with the reasons each failed.
pub(crate) struct Fields {
    body: JsonObject,
    errors: BTreeMap<&'static str, String>,
}

impl Fields {
    pub(crate) fn new(body: JsonObject) -> Self {
        Self {
            body,
            errors: BTreeMap::new(),
        }
    }

    /// Removes string field `name` and parses it, recording why if it is missing, not a
    /// string, or refused by `parse`.
    pub(crate) fn take<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(String) -> Result<T, Invalid>,
    ) -> Option<T> {
        let parsed = match self.body.0.remove(name) {
            None => Err("is required".to_owned()),
            Some(Value::String(raw)) => parse(raw).map_err(|invalid| invalid.to_string()),
            Some(_) => Err("must be a string".to_owned()),
        };
        parsed
            .map_err(|reason| self.errors.insert(name, reason))
            .ok()
    }

    /// Removes optional string field `name` and parses it: `Some(None)` when absent or null,
    /// `None` (recording why) if it is not a string or refused by `parse`.
    pub(crate) fn take_optional<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(String) -> Result<T, Invalid>,
    ) -> Option<Option<T>> {
        match self.body.0.get(name) {
            None | Some(Value::Null) => {
                self.body.0.remove(name);
                Some(None)
            }
            Some(_) => self.take(name, parse).map(Some),
        }
    }

    /// Removes optional boolean field `name` (`false` when absent or null).
    pub(crate) fn take_flag(&mut self, name: &'static str) -> Option<bool> {
        match self.body.0.remove(name) {
            None | Some(Value::Null) => Some(false),
            Some(Value::Bool(flag)) => Some(flag),
            Some(_) => {
                self.errors.insert(name, "must be a boolean".to_owned());
                None
            }
        }
    }

    /// Records that field `name` is refused for `reason` (a rule across fields).
    pub(crate) fn refuse(&mut self, name: &'static str, reason: &str) {
        self.errors.insert(name, reason.to_owned());
    }

    /// The 400 naming every field that failed.
    pub(crate) fn into_error(self) -> ApiError {
        ApiError::Validation(self.errors)
    }
}

/// Sample bodies for the parsers' unit tests.
#[cfg(test)]
pub(crate) mod tests {
    use serde_json::{Value, json};

    use super::*;

    pub(crate) fn object(value: Value) -> JsonObject {
        match value {
            Value::Object(members) => JsonObject(members),
            other => panic!("not an object: {other}"),
        }
    }

    /// The field → reason map of a 400, or a panic naming what came instead.
    pub(crate) fn field_errors(result: Result<impl std::fmt::Debug, ApiError>) -> Value {
        match result {
            Err(ApiError::Validation(fields)) => json!(fields),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_field_of_the_wrong_type_or_missing_is_named_and_others_still_read() {
        let mut fields = Fields::new(object(json!({"a": 1, "flag": "yes", "b": "x"})));
        assert_eq!(fields.take("a", Ok), None);
        assert_eq!(fields.take("missing", Ok), None);
        assert_eq!(fields.take_flag("flag"), None);
        assert_eq!(fields.take("b", Ok).as_deref(), Some("x"));
        assert_eq!(
            field_errors(Err::<(), _>(fields.into_error())),
            json!({"a": "must be a string", "missing": "is required", "flag": "must be a boolean"})
        );
    }
}
