//! `PATCH /user/me/` (bearer): new names for the account, validated as at sign-up.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::PersonName;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, ResponseBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::account;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Rename};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Accounts,
    "updateMe",
    "Change the account's names (either or both; a name not given stays)",
)
.takes(RequestBody {
    schema: "UpdateMe",
    fields: schema,
})
.answers(200, Some(ResponseBody::Account));

/// 200 and the account with its new names.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let command = parse(json_object(&request)?)?;
    Ok(account(&app.accounts.rename(&bearer, command).await?))
}

/// `name` and `surname` each optional (absent or null: unchanged), each as at sign-up.
fn parse(body: JsonObject) -> Result<Rename, ApiError> {
    let mut fields = Fields::new(body);
    let name = fields.take_optional("name", |raw| PersonName::parse(&raw));
    let surname = fields.take_optional("surname", |raw| PersonName::parse(&raw));
    match (name, surname) {
        (Some(name), Some(surname)) => Ok(Rename { name, surname }),
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    // A name, or null for "leave it as it is" (the string rules apply to strings only).
    let name = || {
        let mut name = s.name();
        name["type"] = json!(["string", "null"]);
        name
    };
    s.object(&[], json!({"name": name(), "surname": name()}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::fields::tests::{field_errors, object};

    #[test]
    fn names_are_optional_and_checked_as_at_sign_up() {
        let given = parse(object(json!({"name": " Augusta ", "surname": null}))).expect("valid");
        assert_eq!(given.name.as_ref().map(AsRef::as_ref), Some("Augusta"));
        assert!(given.surname.is_none());
        let cases = [
            (json!({"name": ""}), json!({"name": "must not be empty"})),
            (
                json!({"surname": 7}),
                json!({"surname": "must be a string"}),
            ),
            (
                json!({"name": "a\u{200b}b", "surname": "x".repeat(101)}),
                json!({"name": "must not contain invisible characters",
                    "surname": "must be at most 100 characters"}),
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(
                field_errors(parse(object(body.clone()))),
                expected,
                "{body}"
            );
        }
    }
}
