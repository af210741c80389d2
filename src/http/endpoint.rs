//! What a route is: a method and a path, the handler that answers it, and the [`Operation`] it
//! promises (what the API description says of it).
//!
//! A handler either takes the request alone ([`Route::open`]) or also the account a verified
//! bearer token speaks for ([`Route::bearer`]), or the IAM principal API Gateway verified and
//! the path's parameters ([`Route::iam`], the admin routes): dispatch authenticates once,
//! before the handler runs, and the API description and the template's authorization derive
//! from the same choice, so they cannot disagree.

use std::future::Future;
use std::pin::Pin;

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use serde_json::Value;

use super::schemas::Schemas;
use super::{ApiError, App};
use crate::domain::IamCaller;
use crate::service::{Bearer, Refusal};

/// What a handler returns: a response of any shape, or the error to render.
pub(crate) type Reply<'a> =
    Pin<Box<dyn Future<Output = Result<Response<Body>, ApiError>> + Send + 'a>>;

/// The verdict on the bearer token a request sent, if it sent one.
pub(crate) type OfferedBearer = Option<Result<Bearer, Refusal>>;

/// Parses a request, calls one use case and renders its outcome.
pub(crate) enum Handler<S> {
    /// Anyone may call it.
    Open(for<'a> fn(&'a App<S>, Request) -> Reply<'a>),
    /// It needs `Authorization: Bearer <access token>`; it runs only for a verified one.
    Bearer(for<'a> fn(&'a App<S>, Request, Bearer) -> Reply<'a>),
    /// It takes a bearer token if one is sent, and runs without: the handler gets the verdict
    /// on the one sent, and decides whether it needs it (a refused token may not matter).
    MaybeBearer(for<'a> fn(&'a App<S>, Request, OfferedBearer) -> Reply<'a>),
    /// An admin route: API Gateway's `AWS_IAM` authorization lets it through for a principal
    /// allowed `execute-api:Invoke`; it runs only with that principal in the request context,
    /// and gets the values of its path's `{name}` segments.
    Iam(for<'a> fn(&'a App<S>, Request, IamCaller, PathParams) -> Reply<'a>),
}

/// The values a route's `{name}` segments matched in the request's path, by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PathParams(pub(crate) Vec<(&'static str, String)>);

impl PathParams {
    /// The value of segment `{name}`, if the route has one.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        (self.0.iter())
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

// Function pointers copy whatever `S` is; a derive would demand `S: Copy`.
impl<S> Clone for Handler<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Handler<S> {}

/// One endpoint: `method` on `path` (which also answers without its trailing slash).
pub struct Route<S> {
    pub method: Method,
    pub path: &'static str,
    pub(crate) operation: &'static Operation,
    pub(crate) handler: Handler<S>,
}

impl<S> Route<S> {
    pub(crate) const fn open(
        method: Method,
        path: &'static str,
        operation: &'static Operation,
        handler: for<'a> fn(&'a App<S>, Request) -> Reply<'a>,
    ) -> Self {
        Self {
            method,
            path,
            operation,
            handler: Handler::Open(handler),
        }
    }

    pub(crate) const fn bearer(
        method: Method,
        path: &'static str,
        operation: &'static Operation,
        handler: for<'a> fn(&'a App<S>, Request, Bearer) -> Reply<'a>,
    ) -> Self {
        Self {
            method,
            path,
            operation,
            handler: Handler::Bearer(handler),
        }
    }

    pub(crate) const fn maybe_bearer(
        method: Method,
        path: &'static str,
        operation: &'static Operation,
        handler: for<'a> fn(&'a App<S>, Request, OfferedBearer) -> Reply<'a>,
    ) -> Self {
        Self {
            method,
            path,
            operation,
            handler: Handler::MaybeBearer(handler),
        }
    }

    pub(crate) const fn iam(
        method: Method,
        path: &'static str,
        operation: &'static Operation,
        handler: for<'a> fn(&'a App<S>, Request, IamCaller, PathParams) -> Reply<'a>,
    ) -> Self {
        Self {
            method,
            path,
            operation,
            handler: Handler::Iam(handler),
        }
    }

    /// Whether the route is an admin route, for IAM principals only (`AWS_IAM` in the
    /// template, `Forbidden` without the principal in the request context).
    pub fn needs_iam(&self) -> bool {
        matches!(self.handler, Handler::Iam(_))
    }

    /// The names of the route's path parameters (its `{name}` segments), in order.
    pub fn path_parameters(&self) -> Vec<&'static str> {
        (self.path.split('/'))
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .collect()
    }

    /// Whether the route needs a bearer token.
    pub fn needs_bearer(&self) -> bool {
        matches!(self.handler, Handler::Bearer(_))
    }

    /// Whether a request to the route can cost an Argon2 hash: it checks a password (it can
    /// answer a wrong one, so it is worth guessing at) or hashes a new one (sign-up, before it
    /// knows whether the address is taken). The template throttles these routes on their own
    /// (`tests/template` derives them from here).
    pub fn costs_a_hash(&self) -> bool {
        self.operation.hashes_a_password
            || self.operation.refusals.contains(&Refusal::WrongPassword)
    }

    /// Whether the route takes a bearer token, needed or not.
    pub fn takes_bearer(&self) -> bool {
        matches!(self.handler, Handler::Bearer(_) | Handler::MaybeBearer(_))
    }
}

/// Which part of a user's journey an operation belongs to; the API description groups
/// operations by it, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tag {
    Accounts,
    Sessions,
    Documents,
    Admin,
}

impl Tag {
    pub(crate) const ALL: [Self; 4] =
        [Self::Accounts, Self::Sessions, Self::Documents, Self::Admin];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Sessions => "sessions",
            Self::Documents => "documents",
            Self::Admin => "admin",
        }
    }

    pub(crate) fn description(self) -> &'static str {
        match self {
            Self::Accounts => "Creating, activating, changing and deleting an account",
            Self::Sessions => {
                "Signing in and out, refreshing tokens, reading the signed-in account"
            }
            Self::Documents => "The public keys and the documents that describe this API",
            Self::Admin => {
                "Administering accounts: for IAM principals only, with SigV4-signed requests"
            }
        }
    }
}

/// A JSON request body: the name of its schema in the document, and the schema, built from the
/// field schemas the parsers' limits are stated in.
#[derive(Debug)]
pub(crate) struct RequestBody {
    pub(crate) schema: &'static str,
    pub(crate) fields: fn(&Schemas) -> Value,
}

/// A response body, by the name of its schema in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseBody {
    Account,
    /// `{}`, with 202: taken, and nothing told.
    Accepted,
    SignedIn,
    /// A sign-in's answer: `SignedIn`, or `MfaRequired` for an account with TOTP.
    SignIn,
    TokenPair,
    TotpEnrolment,
    RecoveryCodes,
    /// The account's live sessions.
    Sessions,
    Jwks,
    OpenIdConfiguration,
    OpenApi,
    Html,
    /// An account as an administrator sees it.
    AdminAccount,
    /// A page of accounts, as an administrator lists them.
    AdminAccountPage,
    /// A page of an account's events.
    AccountEventPage,
}

/// What an operation promises, as the API description states it.
#[derive(Debug)]
pub(crate) struct Operation {
    pub(crate) id: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) tag: Tag,
    /// The JSON body it takes, if any (bodies bring 400, 413 and 415 with them).
    pub(crate) request: Option<RequestBody>,
    /// The OAuth 2.0 form body it takes, if any, answered with OAuth's errors (`oauth.rs`).
    pub(crate) form: Option<RequestBody>,
    /// The query parameters it reads, if any, as OpenAPI parameter objects (a bad one is a
    /// 400 `ValidationError`).
    pub(crate) query: Option<fn() -> Value>,
    /// The success status and its body (`None`: no body).
    pub(crate) success: (u16, Option<ResponseBody>),
    /// The refusals its use case can answer with.
    pub(crate) refusals: &'static [Refusal],
    /// Whether it reads or writes the store (a throttled store brings 503 with `Retry-After`).
    pub(crate) uses_store: bool,
    /// Whether shared caches may keep the answer.
    pub(crate) cacheable: bool,
    /// Whether it hashes a new password (checking one is told by its refusals).
    pub(crate) hashes_a_password: bool,
}

impl Operation {
    /// An operation on the store, in `tag`: it takes no body, answers 200 without one and
    /// refuses nothing until told otherwise.
    pub(crate) const fn new(tag: Tag, id: &'static str, summary: &'static str) -> Self {
        Self {
            id,
            summary,
            tag,
            request: None,
            form: None,
            query: None,
            success: (200, None),
            refusals: &[],
            uses_store: true,
            cacheable: false,
            hashes_a_password: false,
        }
    }

    /// A public document: no body, no store, 200 and cacheable.
    pub(crate) const fn document(
        id: &'static str,
        summary: &'static str,
        body: ResponseBody,
    ) -> Self {
        Self {
            uses_store: false,
            cacheable: true,
            ..Self::new(Tag::Documents, id, summary).answers(200, Some(body))
        }
    }

    /// The same, taking `body`.
    pub(crate) const fn takes(self, body: RequestBody) -> Self {
        Self {
            request: Some(body),
            ..self
        }
    }

    /// The same, taking (also, or only) OAuth 2.0's form body `body`.
    pub(crate) const fn takes_form(self, body: RequestBody) -> Self {
        Self {
            form: Some(body),
            ..self
        }
    }

    /// The same, reading the query parameters `parameters` describes.
    pub(crate) const fn takes_query(self, parameters: fn() -> Value) -> Self {
        Self {
            query: Some(parameters),
            ..self
        }
    }

    /// The same, answering `status` with `body` on success.
    pub(crate) const fn answers(self, status: u16, body: Option<ResponseBody>) -> Self {
        Self {
            success: (status, body),
            ..self
        }
    }

    /// The same, hashing a new password on every request it accepts.
    pub(crate) const fn hashes_a_password(self) -> Self {
        Self {
            hashes_a_password: true,
            ..self
        }
    }

    /// The same, able to answer `refusals`.
    pub(crate) const fn refuses(self, refusals: &'static [Refusal]) -> Self {
        Self { refusals, ..self }
    }
}
