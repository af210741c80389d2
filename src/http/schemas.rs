//! The schemas of request fields, stating what the parsers accept with the parsers' own limits,
//! and the response schemas (derived from the response types with utoipa).
//!
//! An endpoint's request schema is written beside its parser (`endpoints/`), from these
//! field schemas, so the limits are stated once: here, from the domain's constants and the
//! configured password policy.

use serde_json::{Value, json};
use utoipa::PartialSchema;

use super::response::{ErrorBody, SignedInView, TokenView, UserView};
use crate::domain::{Email, Password, PasswordPolicy, PersonName};

/// Field schemas for request bodies, for one configured password policy.
pub(crate) struct Schemas {
    policy: PasswordPolicy,
}

/// No control characters (Unicode Cc), which no text field accepts.
const NO_CONTROL: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

impl Schemas {
    pub(crate) fn new(policy: PasswordPolicy) -> Self {
        Self { policy }
    }

    /// A given name or surname.
    pub(crate) fn name(&self) -> Value {
        text(
            PersonName::MAX_CHARS,
            "Trimmed, NFC; no control or invisible characters.",
        )
    }

    /// An e-mail address, in any case and spelling that normalises to the account's.
    pub(crate) fn email(&self) -> Value {
        json!({"type": "string", "format": "email", "maxLength": Email::MAX_CHARS,
            "pattern": email_pattern(),
            "description": "Trimmed, lower-cased, NFC, IDNA domain; unique in that form. The \
                pattern shows the ASCII forms; Unicode domains are accepted too."})
    }

    /// A password a new account (or a password change) chooses, under the configured policy.
    pub(crate) fn new_password(&self) -> Value {
        json!({"type": "string", "minLength": self.policy.min_chars(),
            "maxLength": Password::MAX_CHARS, "format": "password", "pattern": NO_CONTROL,
            "description": "Never trimmed; no control characters."})
    }

    /// A password as sign-in takes it: any the account may have.
    pub(crate) fn password(&self) -> Value {
        json!({"type": "string", "minLength": 1, "maxLength": Password::MAX_CHARS,
            "format": "password", "pattern": NO_CONTROL})
    }

    /// A refresh token, as issued.
    pub(crate) fn refresh_token(&self) -> Value {
        json!({"type": "string", "description": "A refresh token, as issued."})
    }

    /// An object of `properties`, the `required` ones named.
    pub(crate) fn object(&self, required: &[&str], properties: Value) -> Value {
        json!({"type": "object", "required": required, "properties": properties})
    }
}

/// An address of the shape `Email::parse` accepts: a dot-atom local part of at most
/// [`Email::MAX_LOCAL_CHARS`], and a domain of at least two labels whose last is not all digits.
fn email_pattern() -> String {
    let atom = r#"[^\s"(),:;<>@\[\\\].\u0000-\u001F\u007F-\u009F]+"#;
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    format!(
        r"^(?=[^@]{{1,{max}}}@){atom}(?:\.{atom})*@(?:{label}\.)+(?=[A-Za-z0-9-]*[A-Za-z-]){label}$",
        max = Email::MAX_LOCAL_CHARS
    )
}

/// A string the parsers take, trimmed, of 1 to `max` characters, not all white space.
fn text(max: usize, description: &str) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max,
           "pattern": r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$",
           "description": description})
}

/// The response schemas, by the names `ResponseBody` gives them, and the error body's.
pub(crate) fn responses() -> Value {
    let derived = |schema: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
        serde_json::to_value(schema).unwrap_or(Value::Null)
    };
    json!({
        "Account": derived(UserView::schema()),
        "TokenPair": derived(TokenView::schema()),
        "SignedIn": derived(SignedInView::schema()),
        "Error": derived(ErrorBody::schema()),
        "Jwks": {"type": "object", "required": ["keys"], "properties": {"keys": {"type": "array",
            "items": {"type": "object", "required": ["kty", "kid", "use", "alg", "n", "e"],
                "properties": {"kty": {"const": "RSA"}, "kid": {"type": "string"},
                    "use": {"const": "sig"}, "alg": {"const": "RS256"},
                    "n": {"type": "string"}, "e": {"type": "string"}}}}}},
        "OpenIdConfiguration": {"type": "object",
            "required": ["issuer", "jwks_uri", "id_token_signing_alg_values_supported"],
            "properties": {"issuer": {"type": "string", "format": "uri"},
                "jwks_uri": {"type": "string", "format": "uri"},
                "id_token_signing_alg_values_supported": {"type": "array",
                    "items": {"const": "RS256"}}}},
        "OpenApi": {"type": "object", "description": "An OpenAPI 3.1 document."},
    })
}
