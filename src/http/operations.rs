//! What each route promises, as the API description states it: its request body, its success,
//! and the error codes it can answer with beyond those every route of its kind shares.
//!
//! The route table pairs each route with one of these; [`openapi`](super::openapi) turns them
//! into the document, and schemathesis (in `make test`) holds the running function to it.

/// A request or response body, by the name of its schema in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    SignUp,
    Credentials,
    RefreshToken,
    SignOut,
    ChangePassword,
    ChangeEmail,
    DeleteAccount,
    Account,
    SignedIn,
    TokenPair,
    Jwks,
    OpenIdConfiguration,
    OpenApi,
    Html,
}

/// One operation of the API.
#[derive(Debug)]
pub struct Operation {
    pub id: &'static str,
    pub summary: &'static str,
    /// The JSON body it takes, if any (bodies bring 400, 413 and 415 with them).
    pub request: Option<Body>,
    /// The success status and its body (`None`: no body).
    pub success: (u16, Option<Body>),
    /// Error codes it answers with besides the shared ones.
    pub errors: &'static [&'static str],
    /// Whether it takes `Authorization: Bearer <access token>` (401 with `WWW-Authenticate`).
    pub bearer: bool,
    /// Whether it reads or writes the store (a throttled store brings 503 with `Retry-After`).
    pub uses_store: bool,
    /// Whether shared caches may keep the answer.
    pub cacheable: bool,
}

const fn store_op(
    id: &'static str,
    summary: &'static str,
    request: Body,
    success: (u16, Option<Body>),
    errors: &'static [&'static str],
) -> Operation {
    Operation {
        id,
        summary,
        request: Some(request),
        success,
        errors,
        bearer: false,
        uses_store: true,
        cacheable: false,
    }
}

const fn document(id: &'static str, summary: &'static str, body: Body) -> Operation {
    Operation {
        id,
        summary,
        request: None,
        success: (200, Some(body)),
        errors: &[],
        bearer: false,
        uses_store: false,
        cacheable: true,
    }
}

pub const SIGN_UP: Operation = store_op(
    "signUp",
    "Create an account (inactive until activated)",
    Body::SignUp,
    (200, Some(Body::Account)),
    &["EmailTaken"],
);

pub const SIGN_IN: Operation = store_op(
    "signIn",
    "Sign in to an active account: the account and a token pair",
    Body::Credentials,
    (200, Some(Body::SignedIn)),
    &[
        "UserInactive",
        "InvalidCredentials",
        "UserNotFound",
        "TooManyAttempts",
    ],
);

pub const ACTIVATE: Operation = store_op(
    "activate",
    "Activate an account with its credentials",
    Body::Credentials,
    (200, Some(Body::Account)),
    &["InvalidCredentials", "UserNotFound", "TooManyAttempts"],
);

pub const DEACTIVATE: Operation = store_op(
    "deactivate",
    "Deactivate an account with its credentials, ending its sessions",
    Body::Credentials,
    (200, Some(Body::Account)),
    &["InvalidCredentials", "UserNotFound", "TooManyAttempts"],
);

pub const REFRESH: Operation = store_op(
    "refresh",
    "Exchange a refresh token for a new token pair (the token presented is spent)",
    Body::RefreshToken,
    (200, Some(Body::TokenPair)),
    &["InvalidToken"],
);

pub const SIGN_OUT: Operation = store_op(
    "signOut",
    "End a session, or with `everywhere` every session of the account",
    Body::SignOut,
    (204, None),
    &[],
);

pub const ME: Operation = Operation {
    id: "me",
    summary: "The account the access token speaks for, as stored now",
    request: None,
    success: (200, Some(Body::Account)),
    errors: &["InvalidToken"],
    bearer: true,
    uses_store: true,
    cacheable: false,
};

pub const CHANGE_PASSWORD: Operation = Operation {
    id: "changePassword",
    summary: "Change the password (token and current password); every other session ends",
    request: Some(Body::ChangePassword),
    success: (200, Some(Body::TokenPair)),
    errors: &["InvalidToken", "InvalidCredentials", "TooManyAttempts"],
    bearer: true,
    uses_store: true,
    cacheable: false,
};

pub const CHANGE_EMAIL: Operation = Operation {
    id: "changeEmail",
    summary: "Move the account to another address (token and password); every session ends",
    request: Some(Body::ChangeEmail),
    success: (200, Some(Body::Account)),
    errors: &[
        "InvalidToken",
        "InvalidCredentials",
        "EmailTaken",
        "TooManyAttempts",
    ],
    bearer: true,
    uses_store: true,
    cacheable: false,
};

pub const DELETE_ACCOUNT: Operation = Operation {
    id: "deleteAccount",
    summary: "Delete the account and everything of it (token and password)",
    request: Some(Body::DeleteAccount),
    success: (204, None),
    errors: &["InvalidToken", "InvalidCredentials", "TooManyAttempts"],
    bearer: true,
    uses_store: true,
    cacheable: false,
};

pub const JWKS: Operation = document(
    "jwks",
    "The public keys that verify access tokens",
    Body::Jwks,
);

pub const OPENID_CONFIGURATION: Operation = document(
    "openidConfiguration",
    "Where JWT verifiers find the keys (OpenID Connect discovery)",
    Body::OpenIdConfiguration,
);

pub const OPENAPI: Operation = document("openApi", "This document", Body::OpenApi);

pub const DOCS: Operation = document(
    "docs",
    "An interactive page rendering this document",
    Body::Html,
);
