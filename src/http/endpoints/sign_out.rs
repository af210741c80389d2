//! `POST /user/signout/`: end a session, or with `everywhere` every session of the account.

use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};

use crate::domain::RefreshToken;
use crate::http::body::{JsonObject, json_object};
use crate::http::endpoint::{Operation, RequestBody, Tag};
use crate::http::fields::Fields;
use crate::http::response::no_content;
use crate::http::schemas::Schemas;
use crate::http::{ApiError, App};
use crate::service::AccountStore;

pub(crate) const OPERATION: Operation = Operation::new(
    Tag::Sessions,
    "signOut",
    "End a session, or with `everywhere` every session of the account",
)
.takes(RequestBody {
    schema: "SignOut",
    fields: schema,
})
.answers(204, None);

/// 204, whether or not the token was one we know: signing out is idempotent.
pub(crate) async fn handle<S: AccountStore>(
    app: &App<S>,
    request: Request,
) -> Result<Response<Body>, ApiError> {
    let (text, everywhere) = parse(json_object(&request)?)?;
    if let Ok(presented) = RefreshToken::parse(&text) {
        app.accounts.sign_out(presented, everywhere).await?;
    }
    Ok(no_content())
}

/// The refresh token's text and whether to sign out everywhere (`false` when absent).
fn parse(body: JsonObject) -> Result<(String, bool), ApiError> {
    let mut fields = Fields::new(body);
    let token = fields.take("refresh_token", Ok);
    let everywhere = fields.take_flag("everywhere");
    match (token, everywhere) {
        (Some(token), Some(everywhere)) => Ok((token, everywhere)),
        _ => Err(fields.into_error()),
    }
}

fn schema(s: &Schemas) -> Value {
    s.object(
        &["refresh_token"],
        json!({"refresh_token": s.refresh_token(), "everywhere": {"type": ["boolean", "null"],
            "description": "End every session of the account, not only this one."}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::fields::tests::object;

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
            let read = parse(object(body.clone())).ok();
            assert_eq!(
                read.as_ref().map(|(t, e)| (t.as_str(), *e)),
                expected,
                "{body}"
            );
        }
    }
}
