//! `POST /user/`: create an account, inactive until activated.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::{NewEmail, PasswordPolicy, PersonName};
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::account;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, CreateUser, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "signUp",
    "Create an account (inactive until activated)",
)
.takes(RequestBody {
    schema: "SignUp",
    fields: schema,
})
.answers(200, Some(ResponseBody::Account))
.refuses(&[Refusal::EmailTaken])
.hashes_a_password();

/// 200 and the new, inactive account.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let command = parse(json_object(&request)?, &app.policy)?;
    let user = app.accounts.create_user(command).await?;
    Ok(account(&user))
}

fn parse(body: JsonObject, policy: &PasswordPolicy) -> Result<CreateUser, ApiError> {
    let mut fields = Fields::new(body);
    let name = fields.take("name", |raw| PersonName::parse(&raw));
    let surname = fields.take("surname", |raw| PersonName::parse(&raw));
    let email = fields.take("email", |raw| NewEmail::parse(&raw));
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

fn schema(s: &Schemas) -> Value {
    s.object(
        &["name", "surname", "email", "password"],
        json!({"name": s.name(), "surname": s.name(), "email": s.new_email(),
            "password": s.new_password()}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::fields::tests::{field_errors, object};

    #[test]
    fn a_valid_sign_up_becomes_a_command_with_normalised_fields() {
        let body = json!({"name": " Ada ", "surname": "Lovelace", "email": " ADA@Example.com",
                          "password": "  spaced secret  ", "extra": [1, 2]});
        let command = parse(object(body), &PasswordPolicy::default()).expect("valid");
        assert_eq!(command.name.as_ref(), "Ada");
        assert_eq!(command.email.as_ref().as_ref(), "ada@example.com");
        assert_eq!(command.password.as_ref().expose(), b"  spaced secret  ");
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let body = json!({"name": "", "surname": 7, "email": "nope", "password": "short"});
        let errors = field_errors(parse(object(body), &PasswordPolicy::default()));
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
    fn the_configured_minimum_length_is_enforced_and_reported() {
        let policy = PasswordPolicy::new(12).expect("valid");
        let body =
            json!({"name": "A", "surname": "B", "email": "a@b.co", "password": "elevenchars"});
        let errors = field_errors(parse(object(body), &policy));
        assert_eq!(
            errors,
            json!({"password": "must be at least 12 characters"})
        );
    }
}
