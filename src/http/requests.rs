//! Request bodies → use-case commands. This is where raw strings become domain types, once.
//!
//! Every field is checked even after one fails, so a client learns about all its mistakes in
//! one round trip: `{"email": "must be a valid e-mail address", "password": "is required"}`.
//! Keys the API does not know are ignored, so clients may send extra data.

use std::collections::BTreeMap;

use serde_json::Value;

use super::ApiError;
use super::body::JsonObject;
use crate::domain::{Email, Invalid, Password, PasswordPolicy, PersonName};
use crate::service::{ChangeEmail, ChangePassword, CreateUser, Credentials};

/// The body of `POST /user/`.
pub fn create_user(body: JsonObject, policy: &PasswordPolicy) -> Result<CreateUser, ApiError> {
    let mut fields = Fields::new(body);
    let name = fields.take("name", |raw| PersonName::parse(&raw));
    let surname = fields.take("surname", |raw| PersonName::parse(&raw));
    let email = fields.take("email", |raw| Email::parse(&raw));
    let password = fields.take("password", |raw| policy.parse(raw));
    match (name, surname, email, password) {
        (Some(name), Some(surname), Some(email), Some(password)) => Ok(CreateUser {
            name,
            surname,
            email,
            password,
        }),
        _ => Err(fields.into_error()),
    }
}

/// The body of sign-in, activation and deactivation.
pub fn credentials(body: JsonObject) -> Result<Credentials, ApiError> {
    let mut fields = Fields::new(body);
    let email = fields.take("email", |raw| Email::parse(&raw));
    let password = fields.take("password", Password::parse);
    match (email, password) {
        (Some(email), Some(password)) => Ok(Credentials { email, password }),
        _ => Err(fields.into_error()),
    }
}

/// The body of `POST /user/password/`: the current password as sign-in takes it, the new one as
/// sign-up does.
pub fn change_password(
    body: JsonObject,
    policy: &PasswordPolicy,
) -> Result<ChangePassword, ApiError> {
    let mut fields = Fields::new(body);
    let current = fields.take("current_password", Password::parse);
    let new = fields.take("new_password", |raw| policy.parse(raw));
    match (current, new) {
        (Some(current), Some(new)) => Ok(ChangePassword { current, new }),
        _ => Err(fields.into_error()),
    }
}

/// The body of `POST /user/email/`.
pub fn change_email(body: JsonObject) -> Result<ChangeEmail, ApiError> {
    let mut fields = Fields::new(body);
    let password = fields.take("password", Password::parse);
    let new_email = fields.take("new_email", |raw| Email::parse(&raw));
    match (password, new_email) {
        (Some(password), Some(new_email)) => Ok(ChangeEmail {
            password,
            new_email,
        }),
        _ => Err(fields.into_error()),
    }
}

/// The body of `POST /user/delete/`: the password, checked again.
pub fn delete_account(body: JsonObject) -> Result<Password, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("password", Password::parse)
        .ok_or_else(|| fields.into_error())
}

/// The body of `POST /user/token/`: the refresh token's text, as given. Whether it is a token
/// at all is the use case's question (a string that is none is an unknown token: 401).
pub fn refresh_token(body: JsonObject) -> Result<String, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("refresh_token", Ok)
        .ok_or_else(|| fields.into_error())
}

/// The body of `POST /user/signout/`: the refresh token's text and whether to sign out
/// everywhere (`false` when absent).
pub fn sign_out(body: JsonObject) -> Result<(String, bool), ApiError> {
    let mut fields = Fields::new(body);
    let token = fields.take("refresh_token", Ok);
    let everywhere = fields.take_flag("everywhere");
    match (token, everywhere) {
        (Some(token), Some(everywhere)) => Ok((token, everywhere)),
        _ => Err(fields.into_error()),
    }
}

/// The members of a body, consumed field by field, with the reasons each failed.
struct Fields {
    body: JsonObject,
    errors: BTreeMap<&'static str, String>,
}

impl Fields {
    fn new(body: JsonObject) -> Self {
        Self {
            body,
            errors: BTreeMap::new(),
        }
    }

    /// Removes string field `name` and parses it, recording why if it is missing, not a
    /// string, or refused by `parse`.
    fn take<T>(
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

    /// Removes optional boolean field `name` (`false` when absent or null).
    fn take_flag(&mut self, name: &'static str) -> Option<bool> {
        match self.body.0.remove(name) {
            None | Some(Value::Null) => Some(false),
            Some(Value::Bool(flag)) => Some(flag),
            Some(_) => {
                self.errors.insert(name, "must be a boolean".to_owned());
                None
            }
        }
    }

    fn into_error(self) -> ApiError {
        ApiError::Validation(self.errors)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> JsonObject {
        match value {
            Value::Object(members) => JsonObject(members),
            other => panic!("not an object: {other}"),
        }
    }

    fn field_errors(result: Result<impl std::fmt::Debug, ApiError>) -> Value {
        match result {
            Err(ApiError::Validation(fields)) => json!(fields),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_sign_up_becomes_a_command_with_normalised_fields() {
        let body = json!({"name": " Ada ", "surname": "Lovelace", "email": " ADA@Example.com",
                          "password": "  spaced secret  ", "extra": [1, 2]});
        let command = create_user(object(body), &PasswordPolicy::default()).expect("valid");
        assert_eq!(command.name.as_ref(), "Ada");
        assert_eq!(command.email.as_ref(), "ada@example.com");
        assert_eq!(command.password.as_ref().expose(), b"  spaced secret  ");
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let body = json!({"name": "", "surname": 7, "email": "nope", "password": "short"});
        let errors = field_errors(create_user(object(body), &PasswordPolicy::default()));
        assert_eq!(
            errors,
            json!({
                "name": "must not be empty",
                "surname": "must be a string",
                "email": "must be a valid e-mail address",
                "password": "must be at least 8 characters",
            })
        );
    }

    #[test]
    fn missing_and_mistyped_credentials_are_named() {
        let cases = [
            (
                json!({}),
                json!({"email": "is required", "password": "is required"}),
            ),
            (
                json!({"email": null, "password": "x"}),
                json!({"email": "must be a string"}),
            ),
            (
                json!({"email": "a@b.co", "password": ["x"]}),
                json!({"password": "must be a string"}),
            ),
            (
                json!({"email": "a@b.co", "password": ""}),
                json!({"password": "must not be empty"}),
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(
                field_errors(credentials(object(body.clone()))),
                expected,
                "{body}"
            );
        }
    }

    #[test]
    fn sign_out_bodies_are_read_with_everywhere_optional() {
        let cases = [
            (json!({"refresh_token": "t"}), Some(("t", false))),
            (
                json!({"refresh_token": "t", "everywhere": null}),
                Some(("t", false)),
            ),
            (
                json!({"refresh_token": "t", "everywhere": true}),
                Some(("t", true)),
            ),
            (json!({"refresh_token": "t", "everywhere": "yes"}), None),
            (json!({"everywhere": true}), None),
            (json!({"refresh_token": 1}), None),
        ];
        for (body, expected) in cases {
            let read = sign_out(object(body.clone())).ok();
            assert_eq!(
                read.as_ref().map(|(t, e)| (t.as_str(), *e)),
                expected,
                "{body}"
            );
        }
    }

    #[test]
    fn sign_in_does_not_apply_the_sign_up_policy() {
        let body = json!({"email": "a@b.co", "password": "short"});
        assert!(credentials(object(body)).is_ok());
    }

    #[test]
    fn the_configured_minimum_length_is_enforced_and_reported() {
        let policy = PasswordPolicy::new(12).expect("valid");
        let body =
            json!({"name": "A", "surname": "B", "email": "a@b.co", "password": "elevenchars"});
        let errors = field_errors(create_user(object(body), &policy));
        assert_eq!(
            errors,
            json!({"password": "must be at least 12 characters"})
        );
    }
}
