//! The admin routes (`/admin/…`), for IAM principals only: API Gateway's `AWS_IAM`
//! authorization admits a SigV4-signed request from a principal allowed
//! `execute-api:Invoke`, and dispatch refuses (403 `Forbidden`) any request without that
//! principal in its context, before these handlers read anything. Each names its account by
//! the `{id}` of its path; what they share lives here.

pub(in crate::http) mod delete_user;
pub(in crate::http) mod disable_user;
pub(in crate::http) mod enable_user;
pub(in crate::http) mod get_user;
pub(in crate::http) mod list_events;
pub(in crate::http) mod list_users;
pub(in crate::http) mod sign_out_user;

use crate::domain::UserId;
use crate::http::ApiError;
use crate::http::endpoint::PathParams;
use crate::service::Refusal;

/// What the routes on one account can refuse: its id.
const ON_AN_ACCOUNT: &[Refusal] = &[Refusal::UserNotFound];

/// The account `{id}` names. An id that is not one (not a UUID in its one spelling) is no
/// account's: 404 `UserNotFound`, as for a well-formed id nobody has, so that the answer
/// tells nothing more than "no such account" either way.
fn user_id(params: &PathParams) -> Result<UserId, ApiError> {
    params
        .get("id")
        .and_then(|raw| UserId::parse(raw).ok())
        .ok_or(ApiError::Refused(Refusal::UserNotFound))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_that_is_no_uuid_is_no_account() {
        let id = UserId::generate();
        let params = |raw: &str| PathParams(vec![("id", raw.to_owned())]);
        assert_eq!(user_id(&params(&id.to_string())).ok(), Some(id));
        for raw in ["x", "", &id.to_string().to_uppercase(), &format!("{id}0")] {
            let refused = user_id(&params(raw));
            assert!(
                matches!(refused, Err(ApiError::Refused(Refusal::UserNotFound))),
                "{raw:?}"
            );
        }
    }
}
