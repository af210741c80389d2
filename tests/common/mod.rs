//! Test helpers shared by the test binaries: API Gateway events in, parsed responses out.
#![allow(dead_code)] // each test binary uses a different subset

pub mod canned;
pub mod capture;
pub mod delegate;
pub mod dynamodb;
pub mod totp;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use lambda_http::Body;
use serde_json::{Value, json};
use user_service::adapters::in_memory::{InMemoryStore, Mailbox};
use user_service::domain::PasswordPolicy;
use user_service::http::App;
use user_service::service::{
    AccessTokens, AccountStore, Accounts, Clock, HashCost, Mailer, PasswordHasher, Pepper,
    SessionKeys, SessionPolicy, SigningKeys, TokenSettings, Tokens, TotpKeys, TotpSettings,
};

pub const PEPPER: &str = "a-test-pepper-of-at-least-32-bytes!!";
pub const PASSWORD: &str = "correct horse battery staple";

/// A hasher with the test pepper and cheap parameters (the real ones are tested in unit tests).
pub fn hasher() -> PasswordHasher {
    let pepper = Pepper::new(PEPPER).expect("long enough");
    PasswordHasher::new(pepper, HashCost::new(64, 1, 1).expect("valid parameters"))
}

/// Throwaway RSA keys for tests only (`tests/fixtures/signing`); nothing deployed uses them.
pub const KEY_A: &str = include_str!("../fixtures/signing/test-key-a.pem");
pub const KEY_B: &str = include_str!("../fixtures/signing/test-key-b.pem");
pub const KEY_C: &str = include_str!("../fixtures/signing/test-key-c.pem");

pub const ISSUER: &str = "https://auth.example.com";
pub const AUDIENCE: &str = "user-service";
pub const ACCESS_TTL: u64 = 900;
pub const REFRESH_TTL: u64 = 3600;
pub const REUSE_GRACE: u64 = 10;
pub const SESSION_MAX_AGE: u64 = 4 * 3600;

/// The signing-key secret document, as `scripts/signing_keys.py` writes it.
pub fn signing_document(current: &str, next: Option<&str>, previous: Option<&str>) -> String {
    json!({"current": current, "next": next, "previous": previous}).to_string()
}

/// A clock the test moves by hand, and only by hand: it starts at the real time of its making
/// (so that tokens a test signs by hand with the system's time are current to it) and stands
/// still until told to move, so no window a test crosses on purpose is crossed by accident.
#[derive(Debug, Clone)]
pub struct TestClock {
    start: u64,
    offset: Arc<AtomicU64>,
}

impl Default for TestClock {
    fn default() -> Self {
        Self {
            start: unix_now(),
            offset: Arc::default(),
        }
    }
}

impl TestClock {
    /// The time it says, in Unix seconds.
    pub fn now(&self) -> u64 {
        self.start + self.offset.load(Ordering::SeqCst)
    }

    pub fn advance(&self, seconds: u64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    pub fn clock(&self) -> Clock {
        let (start, offset) = (self.start, Arc::clone(&self.offset));
        Clock::from_fn(move || start + offset.load(Ordering::SeqCst))
    }
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The session rules of the tests: short enough to cross by moving the clock.
pub const SESSIONS: SessionPolicy = SessionPolicy {
    refresh_ttl: REFRESH_TTL,
    max_age: SESSION_MAX_AGE,
    reuse_grace: REUSE_GRACE,
};

/// The key the tests' refresh tokens are derived under.
pub const SESSION_KEY: &str = "a-test-session-key-of-at-least-32-bytes";

/// The key the tests' TOTP secrets are sealed under.
pub const TOTP_KEY: &str = "a-test-totp-key-of-at-least-32-bytes-long";
/// The issuer the tests' authenticator apps see.
pub const TOTP_ISSUER: &str = "Example Accounts";

/// TOTP as in production, sealing under [`TOTP_KEY`].
pub fn totp_settings() -> TotpSettings {
    TotpSettings {
        keys: TotpKeys::parse(TOTP_KEY).expect("a valid test key"),
        issuer: TOTP_ISSUER.to_owned(),
    }
}

/// Access tokens as in production, signed with keys from `document`.
pub fn access_tokens(document: &str) -> AccessTokens {
    let keys = SigningKeys::from_document(document).expect("valid test keys");
    let settings = TokenSettings {
        issuer: ISSUER.to_owned(),
        audience: AUDIENCE.to_owned(),
        client_id: AUDIENCE.to_owned(),
        access_ttl: ACCESS_TTL,
    };
    AccessTokens::new(keys, settings)
}

/// The use cases over `store`, hashing with `hasher`, signing with keys from `document`, at
/// the time `clock` says, mailing into a mailbox nobody reads.
pub fn accounts_with<S: AccountStore>(
    store: S,
    hasher: PasswordHasher,
    document: &str,
    clock: &TestClock,
) -> Accounts<S> {
    accounts_mailing(store, hasher, document, clock, &Mailbox::new())
}

/// The same, mailing into `mailbox`.
pub fn accounts_mailing<S: AccountStore>(
    store: S,
    hasher: PasswordHasher,
    document: &str,
    clock: &TestClock,
    mailbox: &Mailbox,
) -> Accounts<S> {
    let tokens = Tokens {
        access: access_tokens(document),
        refresh: SessionKeys::parse(SESSION_KEY).expect("a valid test key"),
        policy: SESSIONS,
    };
    let mailer: Arc<dyn Mailer> = Arc::new(mailbox.clone());
    Accounts::new(
        store,
        hasher,
        tokens,
        totp_settings(),
        clock.clock(),
        mailer,
    )
}

/// A handler over `store` with signing keys from `document`.
pub fn app_with_keys<S: AccountStore>(store: S, document: &str) -> TestApp<S> {
    app_configured(store, document, |accounts| accounts)
}

/// A handler over `store` (keys from `document`), its use cases as `configure` sets them.
pub fn app_configured<S: AccountStore>(
    store: S,
    document: &str,
    configure: impl FnOnce(Accounts<S>) -> Accounts<S>,
) -> TestApp<S> {
    let (clock, mailbox) = (TestClock::default(), Mailbox::new());
    let accounts = accounts_mailing(store, hasher(), document, &clock, &mailbox);
    TestApp {
        mailbox,
        ..TestApp::new(configure(accounts), clock)
    }
}

/// A handler over `store`, configured as in production except for hashing cost and keys.
pub fn app<S: AccountStore>(store: S) -> TestApp<S> {
    app_with_keys(store, &signing_document(KEY_A, Some(KEY_B), None))
}

/// A handler over `store` that answers unknown addresses as wrong passwords
/// (`PREVENT_USER_EXISTENCE_ERRORS=true`).
pub fn app_preventing_existence_errors<S: AccountStore>(store: S) -> TestApp<S> {
    let document = signing_document(KEY_A, Some(KEY_B), None);
    app_configured(store, &document, |accounts| {
        accounts.preventing_existence_errors(true)
    })
}

/// A handler over `store` that requires verified addresses (`REQUIRE_VERIFIED_EMAIL=true`).
pub fn app_requiring_verified_email<S: AccountStore>(store: S) -> TestApp<S> {
    let document = signing_document(KEY_A, Some(KEY_B), None);
    app_configured(store, &document, |accounts| {
        accounts.requiring_verified_email(true)
    })
}

pub fn in_memory_app() -> (TestApp<InMemoryStore>, InMemoryStore) {
    let store = InMemoryStore::new();
    (app(store.clone()), store)
}

/// An API Gateway HTTP API (payload format 2.0) event, as the `$default` stage sends it.
pub fn event(method: &str, path: &str, headers: Value, body: Option<&str>, base64: bool) -> Value {
    let route_key = format!("{method} {path}");
    json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "a1b2c3d4e5",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "curl/8.5.0"
            },
            "requestId": "test-request",
            "routeKey": route_key,
            "stage": "$default",
            "time": "22/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1_795_341_600_000_u64
        },
        "body": body,
        "isBase64Encoded": base64
    })
}

/// What a test needs of a response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: lambda_http::http::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub fn error_code(&self) -> &str {
        self.json["error"].as_str().unwrap_or("<none>")
    }
}

/// The paths of the API, named once.
pub mod paths {
    pub const SIGN_UP: &str = "/user/";
    pub const SIGN_IN: &str = "/user/signin/";
    pub const ACTIVATE: &str = "/user/activate/";
    pub const DEACTIVATE: &str = "/user/deactivate/";
    pub const TOKEN: &str = "/user/token/";
    pub const REVOKE: &str = "/user/revoke/";
    pub const SIGN_OUT: &str = "/user/signout/";
    pub const SESSIONS: &str = "/user/sessions/";
    pub const SESSIONS_REVOKE: &str = "/user/sessions/revoke/";
    pub const ME: &str = "/user/me/";
    pub const PASSWORD: &str = "/user/password/";
    pub const EMAIL: &str = "/user/email/";
    pub const EMAIL_CONFIRM: &str = "/user/email/confirm/";
    pub const VERIFY: &str = "/user/verify/";
    pub const RESEND: &str = "/user/verify/resend/";
    pub const FORGOT: &str = "/user/password/forgot/";
    pub const RESET: &str = "/user/password/reset/";
    pub const DELETE: &str = "/user/delete/";
    pub const JWKS: &str = "/.well-known/jwks.json";
    pub const OPENID_CONFIGURATION: &str = "/.well-known/openid-configuration";
    pub const OPENAPI: &str = "/openapi.json";
    pub const DOCS: &str = "/docs/";
    pub const SIGN_IN_MFA: &str = "/user/signin/mfa/";
    pub const TOTP: &str = "/user/mfa/totp/";
    pub const TOTP_CONFIRM: &str = "/user/mfa/totp/confirm/";
    pub const TOTP_DISABLE: &str = "/user/mfa/totp/disable/";
    pub const RECOVERY_CODES: &str = "/user/mfa/recovery-codes/";
}

/// The claims of a JWT, read without verifying it (the tests that verify are elsewhere).
pub fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a payload");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload);
    serde_json::from_slice(&json.expect("base64url")).expect("JSON")
}

/// Checks that `body` is a token pair, exactly (`POST /user/token/`'s answer).
pub fn assert_token_pair(body: &Value) {
    let mut fields: Vec<&str> = body
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["access_token", "expires_in", "refresh_token", "token_type"]
    );
    assert_eq!(body["token_type"], "Bearer");
}

pub fn sign_up_body(email: &str) -> Value {
    json!({"name": "Ada", "surname": "Lovelace", "email": email, "password": PASSWORD})
}

pub fn credentials(email: &str, password: &str) -> Value {
    json!({"email": email, "password": password})
}

/// The handler, driven the way a client would: one method per thing a client does.
pub struct TestApp<S> {
    pub app: App<S>,
    /// The clock the app's session rules read.
    pub clock: TestClock,
    /// Where the app's mails go.
    pub mailbox: Mailbox,
}

impl<S> Clone for TestApp<S> {
    fn clone(&self) -> Self {
        Self {
            app: self.app.clone(),
            clock: self.clock.clone(),
            mailbox: self.mailbox.clone(),
        }
    }
}

impl<S: AccountStore> TestApp<S> {
    /// The handler over `accounts`, whose clock is `clock` (and whose mails, if any, go to a
    /// mailbox of their own: see [`app_configured`] for one the test reads).
    pub fn new(accounts: Accounts<S>, clock: TestClock) -> Self {
        Self {
            app: App::new(accounts, PasswordPolicy::default()),
            clock,
            mailbox: Mailbox::new(),
        }
    }

    /// Sends a raw event through lambda_http's own deserialization and the handler.
    pub async fn send(&self, event: &Value) -> Reply {
        let request = lambda_http::request::from_str(&event.to_string()).expect("a valid event");
        let response = self.app.handle(request).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = match response.into_body() {
            Body::Text(text) => text,
            Body::Binary(bytes) => String::from_utf8(bytes).expect("UTF-8 body"),
            Body::Empty => String::new(),
            other => panic!("unexpected body {other:?}"),
        };
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    /// `POST path` with a JSON body, the way curl or an SDK sends it.
    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_with(path, json!({"content-type": "application/json"}), body)
            .await
    }

    async fn post_with(&self, path: &str, headers: Value, body: &Value) -> Reply {
        self.send(&event(
            "POST",
            path,
            headers,
            Some(&body.to_string()),
            false,
        ))
        .await
    }

    /// Signs up Ada Lovelace under `email` with [`PASSWORD`].
    pub async fn sign_up(&self, email: &str) -> Reply {
        self.post(paths::SIGN_UP, &sign_up_body(email)).await
    }

    /// Signs up with any body.
    pub async fn sign_up_with(&self, body: &Value) -> Reply {
        self.post(paths::SIGN_UP, body).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Reply {
        self.post(paths::SIGN_IN, &credentials(email, password))
            .await
    }

    pub async fn activate(&self, email: &str, password: &str) -> Reply {
        self.post(paths::ACTIVATE, &credentials(email, password))
            .await
    }

    pub async fn deactivate(&self, email: &str, password: &str) -> Reply {
        self.post(paths::DEACTIVATE, &credentials(email, password))
            .await
    }

    /// `POST /user/verify/` with `code` for `email`.
    pub async fn verify(&self, email: &str, code: &str) -> Reply {
        self.post(paths::VERIFY, &json!({"email": email, "code": code}))
            .await
    }

    /// `POST /user/verify/resend/` for `email`.
    pub async fn resend(&self, email: &str) -> Reply {
        self.post(paths::RESEND, &json!({"email": email})).await
    }

    /// The code of the last mail of `purpose` to `email`, which must have been sent.
    pub fn code_sent(&self, email: &str, purpose: user_service::domain::CodePurpose) -> String {
        (self.mailbox.last_code(email, purpose))
            .unwrap_or_else(|| panic!("no {purpose:?} mail went to {email}"))
    }

    /// `POST /user/signin/mfa/` with `mfa_token` and `proof` (`{"code"}` or `{"recovery_code"}`).
    pub async fn sign_in_mfa(&self, mfa_token: &str, proof: Value) -> Reply {
        let mut body = json!({"mfa_token": mfa_token});
        if let (Some(body), Some(proof)) = (body.as_object_mut(), proof.as_object()) {
            body.extend(proof.clone());
        }
        self.post(paths::SIGN_IN_MFA, &body).await
    }

    /// `PATCH path` with a JSON body and `access_token` as the bearer token.
    pub async fn patch_as(&self, path: &str, access_token: &str, body: &Value) -> Reply {
        let headers = json!({"content-type": "application/json",
            "authorization": format!("Bearer {access_token}")});
        let body = body.to_string();
        self.send(&event("PATCH", path, headers, Some(&body), false))
            .await
    }

    /// Moves the account `access` speaks for to `to` in both steps: the request (answered if
    /// it is refused) and the confirmation with the code mailed to `to` (answered).
    pub async fn move_email(&self, access: &str, password: &str, to: &str) -> Reply {
        let body = json!({"password": password, "new_email": to});
        let requested = self.post_as(paths::EMAIL, access, &body).await;
        if requested.status != 202 {
            return requested;
        }
        let purpose = user_service::domain::CodePurpose::EmailChange;
        let Some(code) = self.mailbox.last_code(to, purpose) else {
            return requested;
        };
        self.post_as(paths::EMAIL_CONFIRM, access, &json!({"code": code}))
            .await
    }

    /// `GET path` with extra headers.
    pub async fn get(&self, path: &str, headers: Value) -> Reply {
        self.send(&event("GET", path, headers, None, false)).await
    }

    /// `GET /user/me/` with `access_token` as the bearer token.
    pub async fn me(&self, access_token: &str) -> Reply {
        let headers = json!({"authorization": format!("Bearer {access_token}")});
        self.get(paths::ME, headers).await
    }

    /// `POST path` with a JSON body and `access_token` as the bearer token.
    pub async fn post_as(&self, path: &str, access_token: &str, body: &Value) -> Reply {
        let headers = json!({"content-type": "application/json",
            "authorization": format!("Bearer {access_token}")});
        self.post_with(path, headers, body).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.post(paths::TOKEN, &json!({"refresh_token": refresh_token}))
            .await
    }

    pub async fn sign_out(&self, refresh_token: &str, everywhere: bool) -> Reply {
        let body = json!({"refresh_token": refresh_token, "everywhere": everywhere});
        self.post(paths::SIGN_OUT, &body).await
    }

    /// Signs in to an active account under `email` (created if need be) and returns the
    /// 200 body: the account and its tokens.
    pub async fn given_session(&self, email: &str) -> Value {
        let mut reply = self.sign_in(email, PASSWORD).await;
        if reply.status == 404 {
            self.given_active_user(email).await;
            reply = self.sign_in(email, PASSWORD).await;
        }
        assert_eq!(reply.status, 200, "signing in {email}: {}", reply.text);
        reply.json
    }

    /// An account under `email` with [`PASSWORD`], not yet active; returns its body.
    pub async fn given_user(&self, email: &str) -> Value {
        let reply = self.sign_up(email).await;
        assert_eq!(reply.status, 200, "creating {email}: {}", reply.text);
        reply.json
    }

    /// An active account under `email` with [`PASSWORD`]; returns its body.
    pub async fn given_active_user(&self, email: &str) -> Value {
        self.given_user(email).await;
        let reply = self.activate(email, PASSWORD).await;
        assert_eq!(reply.status, 200, "activating {email}: {}", reply.text);
        reply.json
    }
}
