//! The schemas of request fields, stating what the parsers accept with the parsers' own limits,
//! and the response schemas (derived from the response types with utoipa).
//!
//! An endpoint's request schema is written beside its parser (`endpoints/`), from these
//! field schemas, so the limits are stated once: here, from the domain's constants and the
//! configured password policy.

use serde_json::{Value, json};
use utoipa::PartialSchema;

use super::admin_views::{AdminAccountView, AdminPageView};
use super::endpoints::openid_configuration;
use super::event_views::{EventPageView, EventView};
use super::mfa_views::{MfaRequiredView, MfaView, RecoveryCodesView, TotpEnrolmentView};
use super::response::{ErrorBody, SignedInView, TokenView, UserView};
use super::session_views::{SessionView, SessionsView};
use crate::domain::{Email, Password, PasswordPolicy, PersonName, text};

/// Field schemas for request bodies, for one configured password policy.
pub(crate) struct Schemas {
    policy: PasswordPolicy,
    /// The one OAuth client the token and revocation endpoints serve.
    client_id: String,
    /// The characters no name or address may hold, inside a character class: those of the
    /// Basic Multilingual Plane, as explicit `\uXXXX` ranges (what JSON Schema's regular
    /// expressions read alike in every dialect).
    refused: String,
    /// The same rule beyond the BMP, in words, for the fields' descriptions.
    refused_beyond: String,
    /// White space (what trimming removes), inside a character class.
    space: String,
}

/// No control characters (Unicode Cc), which no new password may hold.
const NO_CONTROL: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

impl Schemas {
    pub(crate) fn new(policy: PasswordPolicy, client_id: &str) -> Self {
        let refused = text::refused_ranges();
        let beyond: Vec<String> = (refused.iter())
            .filter(|(start, _)| *start > 0xFFFF)
            .map(|&(start, end)| match start == end {
                true => format!("U+{start:04X}"),
                false => format!("U+{start:04X}–U+{end:04X}"),
            })
            .collect();
        Self {
            policy,
            client_id: client_id.to_owned(),
            refused: class(&refused),
            refused_beyond: beyond.join(", "),
            space: class(&text::WHITE_SPACE),
        }
    }

    /// A given name or surname.
    pub(crate) fn name(&self) -> Value {
        let (refused, space) = (&self.refused, &self.space);
        json!({"type": "string", "minLength": 1, "maxLength": PersonName::MAX_CHARS,
            "pattern": format!("^[^{refused}]*[^{refused}{space}][^{refused}]*$"),
            "examples": ["Ada"],
            "description": format!("Trimmed and brought to Unicode NFC, then 1 to {} \
                characters. No control, format or other default-ignorable characters: the \
                pattern lists those of the Basic Multilingual Plane; beyond it, {} are refused \
                as well.", PersonName::MAX_CHARS, self.refused_beyond)})
    }

    /// An e-mail address, in any case and spelling that normalises to the account's.
    pub(crate) fn email(&self) -> Value {
        json!({"type": "string", "format": "email", "maxLength": Email::MAX_CHARS,
            "pattern": self.email_pattern(), "examples": ["ada@example.com"],
            "description": format!("Trimmed, lower-cased and brought to NFC, with an IDNA \
                domain; unique in that form, and its local part at most {} characters in it. \
                The pattern shows the ASCII forms of domains; Unicode domains are accepted too. \
                Refused anywhere: control, format and other default-ignorable characters (the \
                pattern lists those of the Basic Multilingual Plane; beyond it, {}).",
                Email::MAX_LOCAL_CHARS, self.refused_beyond)})
    }

    /// An address to register (sign-up, e-mail change): [`Self::email`], and `NewEmail`'s rules.
    pub(crate) fn new_email(&self) -> Value {
        let mut schema = self.email();
        let rules = " A new address's local part must also be in NFKC (no full-width, \
            ligature, superscript or circled forms) and must not mix scripts, except Latin with \
            Han and kana, Han and Bopomofo, or Han and Hangul (UTS #39's \"highly \
            restrictive\" level).";
        if let Some(Value::String(description)) = schema.get_mut("description") {
            description.push_str(rules);
        }
        schema
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

    /// A one-time code of `digits` digits, as mailed.
    pub(crate) fn code(&self, digits: usize) -> Value {
        json!({"type": "string", "pattern": format!("^[0-9]{{{digits}}}$"),
            "examples": ["0".repeat(digits)],
            "description": format!("The {digits}-digit code from the mail.")})
    }

    /// A code from an authenticator app.
    pub(crate) fn totp_code(&self) -> Value {
        json!({"type": "string", "pattern": "^ *[0-9]{3} ?[0-9]{3} *$", "examples": ["123456"],
            "description": "The 6 digits the authenticator app shows now."})
    }

    /// A recovery code, as shown at enrolment.
    pub(crate) fn recovery_code(&self) -> Value {
        json!({"type": "string", "maxLength": 64, "examples": ["7hq2-m9xa-4kdw"],
            "pattern": "^[- ]*([0-9A-TV-Za-tv-z][- ]*){12}$",
            "description": "One of the recovery codes, each good once (case, hyphens and \
                spaces do not matter)."})
    }

    /// A refresh token, as issued.
    pub(crate) fn refresh_token(&self) -> Value {
        json!({"type": "string", "description": "A refresh token, as issued."})
    }

    /// The OAuth `client_id` a form may name: ours, if any.
    pub(crate) fn client_id(&self) -> Value {
        json!({"const": self.client_id, "description": "Optional; any other is refused."})
    }

    /// An object of `properties`, the `required` ones named.
    pub(crate) fn object(&self, required: &[&str], properties: Value) -> Value {
        json!({"type": "object", "required": required, "properties": properties})
    }
}

impl Schemas {
    /// An address of the shape `Email::parse` accepts: a dot-atom local part of at most
    /// [`Email::MAX_LOCAL_CHARS`], and a domain of at least two labels whose last is not all
    /// digits.
    fn email_pattern(&self) -> String {
        let (refused, space) = (&self.refused, &self.space);
        let atom = format!(r#"[^{refused}{space}"(),:;<>@\[\\\].]+"#);
        let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
        format!(
            r"^(?=[^@]{{1,{max}}}@){atom}(?:\.{atom})*@(?:{label}\.)+(?=[A-Za-z0-9-]*[A-Za-z-]){label}$",
            max = Email::MAX_LOCAL_CHARS
        )
    }
}

/// The ranges of `ranges` within the Basic Multilingual Plane, as the inside of a character
/// class in `\uXXXX` escapes (surrogates, which no JSON string holds alone, left out).
fn class(ranges: &[(u32, u32)]) -> String {
    let escape = |c: u32| format!("\\u{c:04X}");
    let mut class = String::new();
    for &(start, end) in ranges {
        for (start, end) in [
            (start, end.min(0xD7FF)),
            (start.max(0xE000), end.min(0xFFFF)),
        ] {
            if start > end {
                continue;
            }
            class.push_str(&escape(start));
            if end > start {
                class.push('-');
                class.push_str(&escape(end));
            }
        }
    }
    class
}

/// `account` as an administrator sees it.
fn admin_account(account: &Value) -> Value {
    let mut admin = account.clone();
    if let Some(fields) = admin.as_object_mut() {
        fields.extend(
            json!({"disabled": false, "failed_attempts": 0, "locked_until": null,
                "created_at": 1_795_341_600_u64, "updated_at": 1_795_341_600_u64,
                "live_sessions": 2})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
    }
    admin
}

/// The response schemas, by the names `ResponseBody` gives them, and the error body's, with
/// examples of what `issuer` answers.
pub(crate) fn responses(issuer: &str) -> Value {
    let derived = |schema: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>, example| {
        let mut schema = serde_json::to_value(schema).unwrap_or(Value::Null);
        schema["examples"] = json!([example]);
        schema
    };
    let account = json!({"id": "0b7e7a3c-5d0e-4f6a-9b1c-2f3e4d5c6b7a", "name": "Ada",
        "surname": "Lovelace", "email": "ada@example.com", "active": true,
        "email_verified": true, "mfa": {"totp": false, "recovery_codes_left": 0}});
    let pair = json!({"access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6IuKApiIsInR5cCI6ImF0K2p3dCJ9.…",
        "token_type": "Bearer", "expires_in": 900,
        "refresh_token": "9d4c2b1a-8e7f-4a6b-9c5d-1e2f3a4b5c6d.…"});
    let session = json!({"id": "9d4c2b1a-8e7f-4a6b-9c5d-1e2f3a4b5c6d",
        "created_at": 1_795_341_600, "last_used_at": 1_795_345_200,
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/146.0",
        "source_ip": "203.0.113.7", "current": true});
    let mut signed_in = account.clone();
    signed_in.as_object_mut().into_iter().for_each(|fields| {
        fields.extend(pair.as_object().cloned().unwrap_or_default());
    });
    let mut openid = json!({"type": "object",
        "required": ["issuer", "jwks_uri", "id_token_signing_alg_values_supported"],
        "properties": {"issuer": {"type": "string", "format": "uri"},
            "jwks_uri": {"type": "string", "format": "uri"},
            "id_token_signing_alg_values_supported": {"type": "array",
                "items": {"const": "RS256"}}}});
    openid["examples"] = json!([openid_configuration::document(issuer)]);
    let event = json!({"id": "0b7e7a3c-5d0e-4f6a-9b1c-2f3e4d5c6b7a.2", "type": "user.activated",
        "user_id": "0b7e7a3c-5d0e-4f6a-9b1c-2f3e4d5c6b7a", "sequence": 2,
        "at": 1_800_000_000u64, "request_id": "Ab1cDefGhIjKlMn=", "actor": "user"});
    json!({
        "Account": derived(UserView::schema(), account.clone()),
        "AdminAccount": derived(AdminAccountView::schema(), admin_account(&account)),
        "AdminAccountPage": derived(AdminPageView::schema(), {
            let mut listed = admin_account(&account);
            listed.as_object_mut().map(|fields| fields.remove("live_sessions"));
            json!({"users": [listed], "next_cursor": "YWRhQGV4YW1wbGUuY29t"})
        }),
        "AccountEventPage": derived(EventPageView::schema(),
            json!({"events": [event.clone()], "next_cursor": null})),
        "AccountEvent": derived(EventView::schema(), event),
        "TokenPair": derived(TokenView::schema(), pair.clone()),
        "SignedIn": derived(SignedInView::schema(), signed_in),
        "SignIn": {"oneOf": [{"$ref": "#/components/schemas/SignedIn"},
            {"$ref": "#/components/schemas/MfaRequired"}]},
        "MfaRequired": derived(MfaRequiredView::schema(), json!({"mfa_required": true,
            "mfa_token": "YWRhQGV4YW1wbGUuY29t.…", "methods": ["totp", "recovery_code"],
            "expires_in": 300})),
        "Mfa": derived(MfaView::schema(), json!({"totp": true, "recovery_codes_left": 10})),
        "TotpEnrolment": derived(TotpEnrolmentView::schema(), json!({
            "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            "otpauth_uri": "otpauth://totp/user-service:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=user-service&algorithm=SHA1&digits=6&period=30"})),
        "RecoveryCodes": derived(RecoveryCodesView::schema(), {
            let mut codes = pair.clone();
            codes["recovery_codes"] = json!(["7hq2-m9xa-4kdw", "…"]);
            codes
        }),
        "Sessions": derived(SessionsView::schema(), json!({"sessions": [session.clone()]})),
        "Session": derived(SessionView::schema(), session),
        "Error": derived(ErrorBody::schema(), json!({"status_code": 409,
            "detail": "A user with this e-mail address already exists", "error": "EmailTaken"})),
        "Jwks": {"type": "object", "required": ["keys"], "properties": {"keys": {"type": "array",
            "items": {"type": "object", "required": ["kty", "kid", "use", "alg", "n", "e"],
                "properties": {"kty": {"const": "RSA"}, "kid": {"type": "string"},
                    "use": {"const": "sig"}, "alg": {"const": "RS256"},
                    "n": {"type": "string"}, "e": {"type": "string"}}}}}},
        "OpenIdConfiguration": openid,
        "OAuthError": {"type": "object", "required": ["error", "error_description"],
            "description": "An OAuth 2.0 error (RFC 6749 §5.2), for OAuth form requests.",
            "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
            "examples": [{"error": "invalid_grant",
                "error_description": "The refresh token is invalid, expired or revoked"}]},
        "OpenApi": {"type": "object", "description": "An OpenAPI 3.1 document."},
        "Accepted": {"type": "object", "maxProperties": 0, "examples": [{}],
            "description": "Taken: a mail goes out if the address is one it may go to; the \
                answer is the same either way."},
    })
}
