//! `POST /user/sessions/revoke/` (bearer): end one session of the account, named by its id
//! (as `GET /user/sessions/` lists it).
//!
//! The id is any string: one that is no session id is answered as an id of no session of the
//! account (404, like another account's session), not as a malformed field, so the answer
//! never tells which ids exist.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::SessionId;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::no_content;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Bearer, Refusal};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "revokeSession",
    "End one session of the account (its refresh token no longer works; its access tokens run \
     to exp)",
)
.takes(RequestBody {
    schema: "RevokeSession",
    fields: schema,
})
.answers(204, None)
.refuses(&[Refusal::SessionNotFound]);

/// 204 once the session can no longer refresh (or could not already).
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: Bearer,
) -> Result<Response<Body>, ApiError> {
    let named = parse(json_object(&request)?)?;
    app.accounts.revoke_session(&bearer, named).await?;
    Ok(no_content())
}

/// `session_id`, a string; `None` if it is no session id.
fn parse(body: JsonObject) -> Result<Option<SessionId>, ApiError> {
    let mut fields = Fields::new(body);
    match fields.take("session_id", Ok) {
        Some(raw) => Ok(SessionId::parse(&raw).ok()),
        None => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    s.object(
        &["session_id"],
        json!({"session_id": {"type": "string",
            "description": "A session's `id`, as `GET /user/sessions/` lists it."}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::fields::tests::{field_errors, object};

    #[test]
    fn the_session_id_is_any_string_and_names_a_session_only_if_it_is_one() {
        let id = SessionId::generate();
        let read = |body: Value| parse(object(body)).ok();
        assert_eq!(read(json!({"session_id": id.to_string()})), Some(Some(id)));
        assert_eq!(read(json!({"session_id": "nope"})), Some(None));
        assert_eq!(
            read(json!({"session_id": id.to_string().to_uppercase()})),
            Some(None)
        );
        let cases = [
            (json!({}), json!({"session_id": "is required"})),
            (
                json!({"session_id": null}),
                json!({"session_id": "must be a string"}),
            ),
            (
                json!({"session_id": 7}),
                json!({"session_id": "must be a string"}),
            ),
            (
                json!({"session_id": [id.to_string()]}),
                json!({"session_id": "must be a string"}),
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
