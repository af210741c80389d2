//! `POST /user/signout/`: end a session, or with `everywhere` every session of the account.
//!
//! The session is named by a refresh token, or (without one) by the bearer access token's
//! `sid`. A refresh token decides alone: a browser app sends its access token on every call,
//! expired or not, and its sign-out must still end the session the refresh token names. Plain sign-out is idempotent: a token that names no live session changes nothing and
//! answers 204. Signing out everywhere never silently does nothing: a refresh token that is not
//! a live session's, or a bearer token whose sessions have ended, is 401.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::RefreshToken;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{OfferedBearer, Operation, RequestBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::no_content;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::{AccountStore, Refusal, SignOut};

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "signOut",
    "End a session (named by a refresh token or the bearer token), or with `everywhere` every \
     session of the account",
)
.takes(RequestBody {
    schema: "SignOut",
    fields: schema,
})
.answers(204, None)
.refuses(&[Refusal::InvalidRefreshToken]);

/// 204 once the session (or every session) has ended.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
    bearer: OfferedBearer,
) -> Result<Response<Body>, ApiError> {
    let (text, everywhere) = parse(json_object(&request)?, bearer.is_some())?;
    let command = match (text, bearer) {
        // A string that is no refresh token at all names no session.
        (Some(text), _) => match RefreshToken::parse(&text) {
            Ok(presented) => SignOut::Session(presented),
            Err(_) if everywhere => return Err(Refusal::InvalidRefreshToken.into()),
            Err(_) => return Ok(no_content()),
        },
        (None, Some(bearer)) => SignOut::Bearer(bearer?),
        // `parse` requires a refresh token when no bearer token came.
        (None, None) => {
            return Err(parse(JsonObject::default(), false).err().unwrap_or(
                ApiError::MalformedRequest("a refresh token or a bearer token is required".into()),
            ));
        }
    };
    app.accounts.sign_out(command, everywhere).await?;
    Ok(no_content())
}

/// The refresh token's text (required without a bearer token) and whether to sign out
/// everywhere (`false` when absent).
fn parse(body: JsonObject, has_bearer: bool) -> Result<(Option<String>, bool), ApiError> {
    let mut fields = Fields::new(body);
    let token = match has_bearer {
        true => fields.take_optional("refresh_token", Ok),
        false => fields.take("refresh_token", Ok).map(Some),
    };
    let everywhere = fields.take_flag("everywhere");
    match (token, everywhere) {
        (Some(token), Some(everywhere)) => Ok((token, everywhere)),
        _ => Err(fields.into_error()),
    }
}

fn schema(_: &Schemas) -> Value {
    json!({"type": "object",
        "description": "`refresh_token` is required unless the request carries a bearer token.",
        "properties": {"refresh_token": {"type": ["string", "null"],
                "description": "A refresh token of the session, as issued (null: none)."},
            "everywhere": {"type": ["boolean", "null"],
                "description": "End every session of the account, not only this one."}}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::fields::tests::object;

    #[test]
    fn sign_out_bodies_are_read_with_everywhere_optional() {
        let cases = [
            (
                json!({"refresh_token": "t"}),
                false,
                Some((Some("t"), false)),
            ),
            (
                json!({"refresh_token": "t", "everywhere": null}),
                false,
                Some((Some("t"), false)),
            ),
            (
                json!({"refresh_token": "t", "everywhere": true}),
                false,
                Some((Some("t"), true)),
            ),
            (
                json!({"refresh_token": "t", "everywhere": "yes"}),
                false,
                None,
            ),
            (json!({"everywhere": true}), false, None),
            (json!({"everywhere": true}), true, Some((None, true))),
            (json!({}), true, Some((None, false))),
            (json!({"refresh_token": 1}), true, None),
            (json!({"refresh_token": 1}), false, None),
        ];
        for (body, bearer, expected) in cases {
            let read = parse(object(body.clone()), bearer).ok();
            assert_eq!(
                read.as_ref().map(|(t, e)| (t.as_deref(), *e)),
                expected,
                "{body} (bearer: {bearer})"
            );
        }
    }
}
