//! The route table: one line per route, naming the endpoint module that answers it.
//!
//! Everything else is derived from this table: dispatch (404, 405 and `Allow`, and which routes
//! take a bearer token), the OpenAPI document, and (in `tests/template/stack.rs`) the routes
//! `template.yaml` must deploy. An endpoint module provides `OPERATION` (what it promises) and
//! `handle` (an `async fn` taking the app and the request, and for `bearer` routes the
//! account the verified token speaks for, for `iam` routes the IAM principal and the path's
//! parameters).

use lambda_http::http::Method;

use super::endpoint::Route;
use super::endpoints;
use crate::service::AccountStore;

/// `METHOD "/path" => module` (anyone may call), `METHOD "/path" => bearer module` (a bearer
/// token is needed), `METHOD "/path" => maybe bearer module` (one is taken if sent) or
/// `METHOD "/path" => iam admin::module` (an IAM principal only; `{name}` segments are path
/// parameters).
macro_rules! route {
    ($method:ident $path:literal => iam $group:ident::$endpoint:ident) => {
        Route::iam(
            Method::$method,
            $path,
            &endpoints::$group::$endpoint::OPERATION,
            |app, request, caller, params| {
                Box::pin(endpoints::$group::$endpoint::handle(
                    app, request, caller, params,
                ))
            },
        )
    };
    ($method:ident $path:literal => maybe bearer $endpoint:ident) => {
        Route::maybe_bearer(
            Method::$method,
            $path,
            &endpoints::$endpoint::OPERATION,
            |app, request, bearer| Box::pin(endpoints::$endpoint::handle(app, request, bearer)),
        )
    };
    ($method:ident $path:literal => bearer $endpoint:ident) => {
        Route::bearer(
            Method::$method,
            $path,
            &endpoints::$endpoint::OPERATION,
            |app, request, bearer| Box::pin(endpoints::$endpoint::handle(app, request, bearer)),
        )
    };
    ($method:ident $path:literal => $endpoint:ident) => {
        Route::open(
            Method::$method,
            $path,
            &endpoints::$endpoint::OPERATION,
            |app, request| Box::pin(endpoints::$endpoint::handle(app, request)),
        )
    };
}

/// Every route the function serves, in the order of a user's journey (which is also the order
/// of the API description).
pub fn routes<S: AccountStore>() -> Vec<Route<S>> {
    vec![
        route!(POST "/user/" => sign_up),
        route!(POST "/user/verify/" => verify_email),
        route!(POST "/user/verify/resend/" => resend_verification),
        route!(POST "/user/activate/" => activate),
        route!(POST "/user/signin/" => sign_in),
        route!(POST "/user/signin/mfa/" => sign_in_mfa),
        route!(GET "/user/me/" => bearer me),
        route!(PATCH "/user/me/" => bearer update_me),
        route!(POST "/user/token/" => refresh),
        route!(POST "/user/signout/" => maybe bearer sign_out),
        route!(POST "/user/revoke/" => revoke),
        route!(GET "/user/sessions/" => bearer list_sessions),
        route!(POST "/user/sessions/revoke/" => bearer revoke_session),
        route!(POST "/user/password/" => bearer change_password),
        route!(POST "/user/password/forgot/" => forgot_password),
        route!(POST "/user/password/reset/" => reset_password),
        route!(POST "/user/email/" => bearer change_email),
        route!(POST "/user/email/confirm/" => bearer confirm_email_change),
        route!(POST "/user/mfa/totp/" => bearer enrol_totp),
        route!(POST "/user/mfa/totp/confirm/" => bearer confirm_totp),
        route!(POST "/user/mfa/recovery-codes/" => bearer recovery_codes),
        route!(POST "/user/mfa/totp/disable/" => bearer disable_totp),
        route!(POST "/user/deactivate/" => deactivate),
        route!(POST "/user/delete/" => bearer delete_account),
        route!(GET "/.well-known/jwks.json" => jwks),
        route!(GET "/.well-known/openid-configuration" => openid_configuration),
        route!(GET "/openapi.json" => openapi),
        route!(GET "/docs/" => docs),
        route!(GET "/admin/users/" => iam admin::list_users),
        route!(GET "/admin/users/{id}/" => iam admin::get_user),
        route!(POST "/admin/users/{id}/disable/" => iam admin::disable_user),
        route!(POST "/admin/users/{id}/enable/" => iam admin::enable_user),
        route!(POST "/admin/users/{id}/signout/" => iam admin::sign_out_user),
        route!(POST "/admin/users/{id}/delete/" => iam admin::delete_user),
        route!(GET "/admin/users/{id}/events/" => iam admin::list_events),
    ]
}
