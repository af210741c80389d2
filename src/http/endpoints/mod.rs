//! One module per endpoint, each in the shape of mini-redis's commands: how its request is
//! parsed, what it promises (`OPERATION`, which the API description is built from) and how it
//! is answered (`handle`: parse → one use case → render). The route table (`routes.rs`) lists
//! them; what is shared by several lives here.

pub(super) mod activate;
pub(super) mod admin;
pub(super) mod change_email;
pub(super) mod change_password;
pub(super) mod confirm_email_change;
pub(super) mod confirm_totp;
pub(super) mod deactivate;
pub(super) mod delete_account;
pub(super) mod disable_totp;
pub(super) mod docs;
pub(super) mod enrol_totp;
pub(super) mod forgot_password;
pub(super) mod jwks;
pub(super) mod list_sessions;
pub(super) mod me;
pub(super) mod openapi;
pub(super) mod openid_configuration;
pub(super) mod recovery_codes;
pub(super) mod refresh;
pub(super) mod resend_verification;
pub(super) mod reset_password;
pub(super) mod revoke;
pub(super) mod revoke_session;
pub(super) mod sign_in;
pub(super) mod sign_in_mfa;
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
use crate::domain::{Email, Password, RecoveryCode, TotpCode};
use crate::service::{Credentials, Refusal, SecondFactorProof};

/// What deactivation can refuse: the credentials' check, then the second factor.
const CREDENTIALS_REFUSED: &[Refusal] = &[
    Refusal::WrongPassword,
    Refusal::UnknownEmail,
    Refusal::Locked { retry_after: 1 },
    Refusal::SecondFactorRequired,
    Refusal::WrongSecondFactor,
];

/// What activation can refuse: the credentials' check, then an unverified address (with
/// `REQUIRE_VERIFIED_EMAIL`), then the second factor.
const ACTIVATION_REFUSED: &[Refusal] = &[
    Refusal::WrongPassword,
    Refusal::UnknownEmail,
    Refusal::Locked { retry_after: 1 },
    Refusal::EmailNotVerified,
    Refusal::SecondFactorRequired,
    Refusal::WrongSecondFactor,
];

/// What the bearer routes that check the password again can refuse.
const PASSWORD_REFUSED: &[Refusal] = &[Refusal::WrongPassword, Refusal::Locked { retry_after: 1 }];

/// The body of sign-in: `{"email", "password"}`, the password as any account may have it (a
/// raised minimum length never locks anyone out).
fn credentials(body: JsonObject) -> Result<Credentials, ApiError> {
    let mut fields = Fields::new(body);
    let email = fields.take("email", |raw| Email::parse(&raw));
    let password = fields.take("password", Password::parse);
    match (email, password) {
        (Some(email), Some(password)) => Ok(Credentials {
            email,
            password,
            second_factor: None,
        }),
        _ => Err(fields.into_error()),
    }
}

/// The body of activation and deactivation: the credentials, and for an account with TOTP a
/// `code` or a `recovery_code`.
fn credentials_with_second_factor(body: JsonObject) -> Result<Credentials, ApiError> {
    let mut fields = Fields::new(body);
    let email = fields.take("email", |raw| Email::parse(&raw));
    let password = fields.take("password", Password::parse);
    let second_factor = second_factor(&mut fields);
    match (email, password, second_factor) {
        (Some(email), Some(password), Some(second_factor)) => Ok(Credentials {
            email,
            password,
            second_factor,
        }),
        _ => Err(fields.into_error()),
    }
}

/// The optional `code` or `recovery_code` of a body (`Some(None)`: neither; `None`: a bad one,
/// or both, recorded in `fields`).
fn second_factor(fields: &mut Fields) -> Option<Option<SecondFactorProof>> {
    let code = fields.take_optional("code", |raw| TotpCode::parse(&raw));
    let recovery = fields.take_optional("recovery_code", |raw| RecoveryCode::parse(&raw));
    match (code?, recovery?) {
        (Some(_), Some(_)) => {
            fields.refuse("recovery_code", "must not be sent with code");
            None
        }
        (Some(code), None) => Some(Some(SecondFactorProof::Totp(code))),
        (None, Some(code)) => Some(Some(SecondFactorProof::RecoveryCode(code))),
        (None, None) => Some(None),
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

const CREDENTIALS_WITH_SECOND_FACTOR: RequestBody = RequestBody {
    schema: "CredentialsWithSecondFactor",
    fields: credentials_with_second_factor_schema,
};

fn credentials_with_second_factor_schema(s: &Schemas) -> Value {
    let mut object = s.object(
        &["email", "password"],
        serde_json::json!({"email": s.email(), "password": s.password(),
            "code": second_factor_schema(s, "code"),
            "recovery_code": second_factor_schema(s, "recovery_code")}),
    );
    // Either factor, or neither (the password decides whether one is needed), never both.
    object["not"] = serde_json::json!({"required": ["code", "recovery_code"]});
    object
}

/// The body of the bearer routes that take the password alone: `{"password"}`.
fn password_confirmation(body: JsonObject) -> Result<Password, ApiError> {
    let mut fields = Fields::new(body);
    fields
        .take("password", Password::parse)
        .ok_or_else(|| fields.into_error())
}

const PASSWORD_CONFIRMATION: RequestBody = RequestBody {
    schema: "PasswordConfirmation",
    fields: |s| s.object(&["password"], serde_json::json!({"password": s.password()})),
};

/// `code` or `recovery_code`, as required of an account with TOTP.
fn second_factor_schema(s: &Schemas, field: &str) -> Value {
    let mut schema = match field {
        "code" => s.totp_code(),
        _ => s.recovery_code(),
    };
    schema["description"] = serde_json::json!(format!(
        "{} Required, instead of the other, when the account has TOTP.",
        schema["description"].as_str().unwrap_or_default()
    ));
    schema
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
