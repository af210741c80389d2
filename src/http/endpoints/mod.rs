//! One module per endpoint, each in the shape of mini-redis's commands: how its request is
//! parsed, what it promises (`OPERATION`, which the API description is built from) and how it
//! is answered (`handle`: parse → one use case → render). The route table (`routes.rs`) lists
//! them; what is shared by several lives here.

pub(super) mod activate;
pub(super) mod change_email;
pub(super) mod change_password;
pub(super) mod confirm_email_change;
pub(super) mod deactivate;
pub(super) mod delete_account;
pub(super) mod docs;
pub(super) mod forgot_password;
pub(super) mod jwks;
pub(super) mod me;
pub(super) mod openapi;
pub(super) mod openid_configuration;
pub(super) mod refresh;
pub(super) mod resend_verification;
pub(super) mod reset_password;
pub(super) mod revoke;
pub(super) mod sign_in;
pub(super) mod sign_out;
pub(super) mod sign_up;
pub(super) mod update_me;
pub(super) mod verify_email;

use serde_json::Value;

use super::ApiError;
use super::body::JsonObject;
use super::endpoint::RequestBody;
use super::fields::Fields;
use super::schemas::Schemas;
use crate::domain::{Email, Password};
use crate::service::{Credentials, Refusal};

/// What activation and deactivation can refuse: the credentials' check.
const CREDENTIALS_REFUSED: &[Refusal] = &[
    Refusal::WrongPassword,
    Refusal::UnknownEmail,
    Refusal::Locked { retry_after: 1 },
];

/// What activation can refuse: the credentials' check, then an unverified address (with
/// `REQUIRE_VERIFIED_EMAIL`).
const ACTIVATION_REFUSED: &[Refusal] = &[
    Refusal::WrongPassword,
    Refusal::UnknownEmail,
    Refusal::Locked { retry_after: 1 },
    Refusal::EmailNotVerified,
];

/// What the bearer routes that check the password again can refuse.
const PASSWORD_REFUSED: &[Refusal] = &[Refusal::WrongPassword, Refusal::Locked { retry_after: 1 }];

/// The body of sign-in, activation and deactivation: `{"email", "password"}`, the password as
/// any account may have it (a raised minimum length never locks anyone out).
fn credentials(body: JsonObject) -> Result<Credentials, ApiError> {
    let mut fields = Fields::new(body);
    let email = fields.take("email", |raw| Email::parse(&raw));
    let password = fields.take("password", Password::parse);
    match (email, password) {
        (Some(email), Some(password)) => Ok(Credentials { email, password }),
        _ => Err(fields.into_error()),
    }
}

const CREDENTIALS: RequestBody = RequestBody {
    schema: "Credentials",
    fields: credentials_schema,
};

fn credentials_schema(s: &Schemas) -> Value {
    s.object(
        &["email", "password"],
        serde_json::json!({"email": s.email(), "password": s.password()}),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::http::fields::tests::{field_errors, object};

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
    fn sign_in_does_not_apply_the_sign_up_policy() {
        let body = json!({"email": "a@b.co", "password": "short"});
        assert!(credentials(object(body)).is_ok());
    }
}
