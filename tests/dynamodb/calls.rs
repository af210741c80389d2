//! Each operation makes the fewest DynamoDB calls possible, and only the calls the adapter
//! declares (and `template.yaml` grants).

use std::collections::BTreeSet;

use user_service::adapters::dynamodb::OPERATIONS;

use serde_json::{Value, json};

use crate::common::dynamodb::Local;
use crate::common::{PASSWORD, REUSE_GRACE, Reply, credentials, paths, sign_up_body};
use crate::totp;

#[tokio::test]
async fn each_endpoint_makes_exactly_its_budgeted_calls() {
    let local = Local::new().await;
    let app = local.app();
    let ada = credentials("ada@example.com", PASSWORD);
    let steps = [
        // The account's two items in one transaction, then its verification mail: the
        // address's code record read (with the account) and written with the code.
        (
            "/user/",
            sign_up_body("ada@example.com"),
            200,
            vec!["TransactWriteItems", "TransactGetItems", "PutItem"],
        ),
        (
            "/user/",
            sign_up_body("ada@example.com"),
            409,
            vec!["TransactWriteItems"],
        ),
        // Every password check is counted before Argon2 runs (an UpdateItem conditioned on
        // the count read), and a right password clears the count again (another).
        (
            "/user/signin/",
            ada.clone(),
            400,
            vec!["GetItem", "UpdateItem", "UpdateItem"],
        ),
        (
            "/user/deactivate/",
            ada.clone(),
            200,
            vec!["GetItem", "UpdateItem", "UpdateItem"],
        ),
        (
            "/user/activate/",
            ada.clone(),
            200,
            // The status and its `user.activated` event, in one transaction.
            vec!["GetItem", "UpdateItem", "UpdateItem", "TransactWriteItems"],
        ),
        (
            "/user/activate/",
            ada.clone(),
            200,
            vec!["GetItem", "UpdateItem", "UpdateItem"],
        ),
        (
            "/user/signin/",
            ada.clone(),
            200,
            vec!["GetItem", "UpdateItem", "UpdateItem", "PutItem"],
        ),
        // A wrong password was counted before it was checked: nothing more to write.
        (
            "/user/signin/",
            credentials("ada@example.com", "wrong!!!"),
            401,
            vec!["GetItem", "UpdateItem"],
        ),
        (
            "/user/signin/",
            credentials("eve@example.com", PASSWORD),
            404,
            vec!["GetItem"],
        ),
        (
            "/user/deactivate/",
            ada.clone(),
            200,
            vec!["GetItem", "UpdateItem", "UpdateItem", "TransactWriteItems"],
        ),
        ("/user/", serde_json::json!({}), 400, vec![]),
    ];
    let mut called = BTreeSet::new();
    for (path, body, status, expected) in steps {
        let reply = app.post(path, &body).await;
        assert_eq!(reply.status, status, "{path} {body}: {}", reply.text);
        let calls = local.calls.take();
        assert_eq!(calls, expected, "{path} {body}");
        called.extend(calls);
    }
    called.extend(session_calls(&local).await);
    called.extend(code_calls(&local).await);
    called.extend(mfa_calls(&local).await);
    called.extend(admin_calls(&local).await);
    called.extend(own_session_calls(&local).await);
    let declared: BTreeSet<String> = OPERATIONS.iter().map(|(op, _)| (*op).to_owned()).collect();
    assert_eq!(
        called, declared,
        "the adapter calls exactly the operations it declares"
    );
}

/// A sign-in: the account read, the check counted before Argon2 and cleared after it, the
/// session written.
const SIGN_IN: &[&str] = &["GetItem", "UpdateItem", "UpdateItem", "PutItem"];

/// The session endpoints, each checked against its budget; returns the calls made.
async fn session_calls(local: &Local) -> Vec<String> {
    let app = local.app();
    let mut called = Vec::new();
    let mut expect = |what: &str, reply: Reply, status: u16, expected: &[&str]| {
        assert_eq!(reply.status, status, "{what}: {}", reply.text);
        let calls = local.calls.take();
        assert_eq!(calls, expected, "{what}");
        called.extend(calls);
        reply.json
    };
    app.given_active_user("grace@example.com").await;
    local.calls.take();
    let first = app.sign_in("grace@example.com", PASSWORD).await;
    let first = expect("sign-in", first, 200, SIGN_IN);
    let token = |body: &Value, name: &str| body[name].as_str().expect("a token").to_owned();

    let reply = app.refresh(&token(&first, "refresh_token")).await;
    let second = expect(
        "refresh",
        reply,
        200,
        &["GetItem", "GetItem", "TransactWriteItems"],
    );
    let reply = app.refresh(&token(&first, "refresh_token")).await;
    expect("spent within grace", reply, 401, &["GetItem"]);
    let form = |path: &str, body: String| {
        let headers = json!({"content-type": "application/x-www-form-urlencoded"});
        crate::common::event("POST", path, headers, Some(&body), false)
    };
    let grant = format!(
        "grant_type=refresh_token&refresh_token={}",
        token(&second, "refresh_token")
    );
    let reply = app.send(&form(paths::TOKEN, grant)).await;
    let oauth = expect(
        "refresh with OAuth's form: the same exchange",
        reply,
        200,
        &["GetItem", "GetItem", "TransactWriteItems"],
    );
    let other = app.sign_in("grace@example.com", PASSWORD).await;
    let other = expect("sign-in", other, 200, SIGN_IN);
    let revocation = format!("token={}", token(&other, "refresh_token"));
    let reply = app.send(&form(paths::REVOKE, revocation)).await;
    expect(
        "revocation (RFC 7009)",
        reply,
        200,
        &["GetItem", "UpdateItem"],
    );
    let second = oauth;
    let reply = app.me(&token(&second, "access_token")).await;
    expect("me", reply, 200, &["GetItem"]);
    let reply = app.me("not-a-token").await;
    expect("me, refused token", reply, 401, &[]);
    for path in [
        paths::JWKS,
        paths::OPENID_CONFIGURATION,
        paths::OPENAPI,
        paths::DOCS,
    ] {
        let reply = app.get(path, json!({})).await;
        expect(path, reply, 200, &[]);
    }
    let reply = app.sign_out(&token(&second, "refresh_token"), false).await;
    expect("sign-out", reply, 204, &["GetItem", "UpdateItem"]);
    let bearer = app.sign_in("grace@example.com", PASSWORD).await;
    let bearer = expect("sign-in", bearer, 200, SIGN_IN);
    let everywhere = json!({"everywhere": true});
    let reply = app
        .post_as(
            paths::SIGN_OUT,
            &token(&bearer, "access_token"),
            &everywhere,
        )
        .await;
    expect(
        "sign-out everywhere with a bearer token (the epoch is in its condition)",
        reply,
        204,
        &["UpdateItem"],
    );
    let third = app.sign_in("grace@example.com", PASSWORD).await;
    let third = expect("sign-in", third, 200, SIGN_IN);
    let reply = app.sign_out(&token(&third, "refresh_token"), true).await;
    expect(
        "sign-out everywhere",
        reply,
        204,
        &["GetItem", "UpdateItem"],
    );
    let fourth = app.sign_in("grace@example.com", PASSWORD).await;
    let fourth = expect("sign-in", fourth, 200, SIGN_IN);
    let reply = app.refresh(&token(&fourth, "refresh_token")).await;
    expect(
        "refresh",
        reply,
        200,
        &["GetItem", "GetItem", "TransactWriteItems"],
    );
    let fifth = app.sign_in("grace@example.com", PASSWORD).await;
    let fifth = expect("sign-in", fifth, 200, SIGN_IN);
    let body = json!({"current_password": PASSWORD, "new_password": "another good passphrase"});
    let reply = app
        .post_as(paths::PASSWORD, &token(&fifth, "access_token"), &body)
        .await;
    expect(
        "password change",
        reply,
        200,
        &["GetItem", "UpdateItem", "UpdateItem", "TransactWriteItems"],
    );
    let sixth = app
        .sign_in("grace@example.com", "another good passphrase")
        .await;
    let sixth = expect("sign-in", sixth, 200, SIGN_IN);
    let body = json!({"password": "another good passphrase", "new_email": "hopper@example.com"});
    let reply = app
        .post_as(paths::EMAIL, &token(&sixth, "access_token"), &body)
        .await;
    expect(
        "e-mail change request (the new address and the account's own codes read, the code \
         and the count written together)",
        reply,
        202,
        &[
            "GetItem",
            "UpdateItem",
            "UpdateItem",
            "TransactGetItems",
            "TransactGetItems",
            "TransactWriteItems",
        ],
    );
    let code = app.code_sent(
        "hopper@example.com",
        user_service::domain::CodePurpose::EmailChange,
    );
    let reply = app
        .post_as(
            paths::EMAIL_CONFIRM,
            &token(&sixth, "access_token"),
            &json!({"code": code}),
        )
        .await;
    expect(
        "e-mail change confirmation (the try counted first; the move re-reads the item it copies)",
        reply,
        200,
        &[
            "TransactGetItems",
            "PutItem",
            "GetItem",
            "TransactWriteItems",
        ],
    );
    app.clock.advance(REUSE_GRACE + 1);
    let reply = app.refresh(&token(&fourth, "refresh_token")).await;
    expect("reuse after grace", reply, 401, &["GetItem", "UpdateItem"]);
    // A new instance, whose clock is not ahead: its tokens are valid now.
    let app = local.app();
    let seventh = app
        .sign_in("hopper@example.com", "another good passphrase")
        .await;
    let seventh = expect("sign-in", seventh, 200, SIGN_IN);
    let body = json!({"password": "another good passphrase"});
    let reply = app
        .post_as(paths::DELETE, &token(&seventh, "access_token"), &body)
        .await;
    expect(
        "deletion",
        reply,
        204,
        &[
            "GetItem",
            "UpdateItem",
            "UpdateItem",
            "Query",
            "TransactWriteItems",
        ],
    );
    called
}

/// The admin routes, each checked against its budget (with an IAM context, as API Gateway's
/// `AWS_IAM` authorization sends them); returns the calls made.
async fn admin_calls(local: &Local) -> Vec<String> {
    let app = local.app();
    let signed_in = app.given_session("turing@example.com").await;
    let id = signed_in["id"].as_str().expect("an id").to_owned();
    local.calls.take();
    let send = |method: &str, target: &str| {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut event = crate::common::event(method, path, json!({}), None, false);
        event["rawQueryString"] = json!(query);
        event["requestContext"]["authorizer"] =
            json!({"iam": {"userArn": "arn:aws:iam::123456789012:user/ops"}});
        event
    };
    let steps: [(&str, String, u16, &[&str]); 10] = [
        // A Scan of the table, filtered to accounts: one call holds them all here.
        (
            "GET",
            "/admin/users/?email_prefix=turing".to_owned(),
            200,
            &["Scan"],
        ),
        // The id item, the account's item, its sessions' keys from the index, the sessions in
        // one batch.
        (
            "GET",
            format!("/admin/users/{id}/"),
            200,
            &["GetItem", "GetItem", "Query", "BatchGetItem"],
        ),
        // The flag and its `user.disabled` event, in one transaction.
        (
            "POST",
            format!("/admin/users/{id}/disable/"),
            200,
            &["GetItem", "GetItem", "TransactWriteItems"],
        ),
        // Disabled already: nothing to write.
        (
            "POST",
            format!("/admin/users/{id}/disable/"),
            200,
            &["GetItem", "GetItem"],
        ),
        (
            "POST",
            format!("/admin/users/{id}/enable/"),
            200,
            &["GetItem", "GetItem", "TransactWriteItems"],
        ),
        (
            "POST",
            format!("/admin/users/{id}/signout/"),
            204,
            &["GetItem", "GetItem", "UpdateItem"],
        ),
        (
            "POST",
            format!("/admin/users/{id}/delete/"),
            204,
            &["GetItem", "GetItem", "Query", "TransactWriteItems"],
        ),
        // Gone: the id item is not there, and that is the answer.
        (
            "POST",
            format!("/admin/users/{id}/delete/"),
            204,
            &["GetItem"],
        ),
        // Its audit trail outlives it: one Query of the events index, a page and one more.
        ("GET", format!("/admin/users/{id}/events/"), 200, &["Query"]),
        (
            "GET",
            format!("/admin/users/{id}/events/?cursor=c2VxOjM"),
            200,
            &["Query"],
        ),
    ];
    let mut called = Vec::new();
    for (method, target, status, expected) in steps {
        let reply = app.send(&send(method, &target)).await;
        assert_eq!(reply.status, status, "{method} {target}: {}", reply.text);
        let calls = local.calls.take();
        assert_eq!(calls, expected, "{method} {target}");
        called.extend(calls);
    }
    called
}

/// The endpoints of codes, each checked against its budget; returns the calls made.
async fn code_calls(local: &Local) -> Vec<String> {
    use user_service::domain::CodePurpose;
    let app = local.app();
    let mut called = Vec::new();
    let mut expect = |what: &str, reply: Reply, status: u16, expected: &[&str]| {
        assert_eq!(reply.status, status, "{what}: {}", reply.text);
        let calls = local.calls.take();
        assert_eq!(calls, expected, "{what}");
        called.extend(calls);
    };
    app.given_user("lin@example.com").await;
    local.calls.take();
    let code = app.code_sent("lin@example.com", CodePurpose::Verification);
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let reply = app.verify("lin@example.com", wrong).await;
    expect(
        "verify, a wrong code (the try counted)",
        reply,
        400,
        &["TransactGetItems", "PutItem"],
    );
    let reply = app.verify("lin@example.com", &code).await;
    expect(
        "verify (the try counted before the code is compared; then the code removed and the address verified together)",
        reply,
        200,
        &["TransactGetItems", "PutItem", "TransactWriteItems"],
    );
    let reply = app.verify("nobody@example.com", &code).await;
    expect(
        "verify, an unknown address: as a wrong code",
        reply,
        400,
        &["TransactGetItems", "PutItem"],
    );
    let reply = app.resend("lin@example.com").await;
    expect(
        "resend within the minute",
        reply,
        429,
        &["TransactGetItems"],
    );
    let reply = app.resend("nobody@example.com").await;
    expect(
        "resend, an unknown address: counted",
        reply,
        202,
        &["TransactGetItems", "PutItem"],
    );
    let forgot = json!({"email": "lin@example.com"});
    let reply = app.post(paths::FORGOT, &forgot).await;
    expect(
        "forgot (the mail counted and its code written, then sent)",
        reply,
        202,
        &["TransactGetItems", "PutItem"],
    );
    let code = app.code_sent("lin@example.com", CodePurpose::PasswordReset);
    let reset = json!({"email": "lin@example.com", "code": code, "new_password": "reset by mail"});
    let reply = app.post(paths::RESET, &reset).await;
    expect(
        "reset (the try counted first; then the hash, the sessions' end, the code's removal together)",
        reply,
        204,
        &["TransactGetItems", "PutItem", "TransactWriteItems"],
    );
    called
}

/// The second factor's endpoints, each checked against its budget; returns the calls made.
async fn mfa_calls(local: &Local) -> Vec<String> {
    let app = local.app();
    let mut called = Vec::new();
    let mut expect = |what: &str, reply: Reply, status: u16, expected: &[&str]| {
        assert_eq!(reply.status, status, "{what}: {}", reply.text);
        let calls = local.calls.take();
        assert_eq!(calls, expected, "{what}");
        called.extend(calls);
        reply.json
    };
    let signed_in = totp::verified_session(&app, "mary@example.com").await;
    local.calls.take();
    let access = totp::access(&signed_in);

    let reply = app
        .post_as(totp::ENROL, access, &json!({"password": PASSWORD}))
        .await;
    let enrolment = expect(
        "TOTP enrolment (the bearer's account read, the password's check counted and cleared, \
         then the pending secret written)",
        reply,
        200,
        &["GetItem", "UpdateItem", "UpdateItem", "UpdateItem"],
    );
    let secret = enrolment["secret"].as_str().expect("a secret").to_owned();
    let code = totp::code_at(&secret, totp::now(&app));
    let reply = app
        .post_as(totp::CONFIRM, access, &json!({"code": code}))
        .await;
    expect(
        "TOTP confirmation (the try counted, then the factor and the caller's new session together)",
        reply,
        200,
        &["GetItem", "UpdateItem", "TransactWriteItems"],
    );
    let reply = app.sign_in("mary@example.com", PASSWORD).await;
    let challenge = expect(
        "sign-in with TOTP (the check counted but not cleared: only a second factor clears \
         it; then the challenge)",
        reply,
        200,
        &["GetItem", "UpdateItem", "PutItem"],
    );
    let token = challenge["mfa_token"].as_str().expect("an mfa_token");
    let wrong = totp::wrong_code(&secret, totp::now(&app));
    let reply = app
        .post(
            totp::SIGN_IN_MFA,
            &json!({"mfa_token": token, "code": wrong}),
        )
        .await;
    expect(
        "second factor, a wrong code (the account and the challenge read together; the \
         challenge's try and the account's count written together)",
        reply,
        401,
        &["TransactGetItems", "TransactWriteItems"],
    );
    // The confirmation's step is spent: the next step's code (one step of drift is accepted).
    let code = totp::code_at(&secret, totp::now(&app) + 30);
    let reply = app
        .post(
            totp::SIGN_IN_MFA,
            &json!({"mfa_token": token, "code": code}),
        )
        .await;
    expect(
        "second factor, a right code (read together; the challenge spent, the step used and \
         the count cleared, the session started, together)",
        reply,
        200,
        &["TransactGetItems", "TransactWriteItems"],
    );
    called
}

#[tokio::test]
async fn warming_up_at_cold_start_is_one_read_that_finds_and_writes_nothing() {
    let local = Local::new().await;
    let before = local.item_count().await;

    local.store().warm_up().await.expect("DynamoDB answers");

    assert_eq!(local.calls.take(), ["GetItem"]);
    assert_eq!(local.item_count().await, before);
}

/// The list of one's sessions is a query and one batch of reads; a revocation one update
/// after two reads.
async fn own_session_calls(local: &Local) -> Vec<String> {
    let app = local.app();
    app.given_active_user("ritchie@example.com").await;
    app.given_active_user("kernighan@example.com").await;
    let phone = app.given_session("ritchie@example.com").await;
    let laptop = app.given_session("ritchie@example.com").await;
    let hers = app.given_session("kernighan@example.com").await;
    let token = |body: &Value, name: &str| body[name].as_str().expect("a token").to_owned();
    let sid = |body: &Value| crate::common::claims(&token(body, "access_token"))["sid"].clone();
    let bearer = json!({"authorization": format!("Bearer {}", token(&laptop, "access_token"))});
    local.calls.take();
    let mut called = Vec::new();
    let mut expect = |what: &str, reply: Reply, status: u16, expected: &[&str]| {
        assert_eq!(reply.status, status, "{what}: {}", reply.text);
        let calls = local.calls.take();
        assert_eq!(calls, expected, "{what}");
        called.extend(calls);
    };

    let reply = app.get(paths::SESSIONS, bearer.clone()).await;
    assert_eq!(reply.json["sessions"].as_array().map(Vec::len), Some(2));
    // The account (is the token's still?), the index's keys, then the sessions in one batch:
    // no read per session. The caller's own session costs one GetItem more only while the
    // index has not caught up with it (tests/service/own_sessions.rs), which DynamoDB Local
    // never shows.
    expect(
        "the list",
        reply,
        200,
        &["GetItem", "Query", "BatchGetItem"],
    );
    let revoke = |session_id: Value| json!({"session_id": session_id});
    let access = token(&laptop, "access_token");
    let reply = app
        .post_as(paths::SESSIONS_REVOKE, &access, &revoke(sid(&phone)))
        .await;
    // The account, the caller's own session (is it still live?), the one named, the write.
    expect(
        "revocation",
        reply,
        204,
        &["GetItem", "GetItem", "GetItem", "UpdateItem"],
    );
    let reply = app
        .post_as(paths::SESSIONS_REVOKE, &access, &revoke(sid(&phone)))
        .await;
    expect(
        "revoked already",
        reply,
        204,
        &["GetItem", "GetItem", "GetItem"],
    );
    let reply = app
        .post_as(paths::SESSIONS_REVOKE, &access, &revoke(sid(&hers)))
        .await;
    expect(
        "another account's",
        reply,
        404,
        &["GetItem", "GetItem", "GetItem"],
    );
    let reply = app
        .post_as(paths::SESSIONS_REVOKE, &access, &revoke(json!("x")))
        .await;
    expect("no session id", reply, 404, &["GetItem", "GetItem"]);
    let reply = app
        .get(paths::SESSIONS, json!({"authorization": "Bearer x"}))
        .await;
    expect("a refused token", reply, 401, &[]);
    called
}

/// Each state change writes its events in its own transaction (the outbox): one item more, 2
/// write units each, and a change that was one `UpdateItem` (1 unit) becomes a
/// `TransactWriteItems` of two items (4). `make bench`'s cost model counts the same units from
/// the requests it forwards (bench/dynamodb_proxy.py).
#[tokio::test]
async fn each_state_change_pays_for_its_event_in_its_own_transaction() {
    let local = Local::new().await;
    let app = local.app();
    let ada = credentials("ada@example.com", PASSWORD);
    let expect = |what: &str, reply: &Reply, status: u16, units: usize| {
        assert_eq!(reply.status, status, "{what}: {}", reply.text);
        assert_eq!(local.calls.write_units(), units, "{what}: write units");
        local.calls.take();
    };
    local.calls.take();

    let reply = app
        .post(paths::SIGN_UP, &sign_up_body("ada@example.com"))
        .await;
    // The account, its id item and `user.created` (6, was 4); the verification mail's record 1.
    expect("sign-up", &reply, 200, 6 + 1);
    let reply = app.post(paths::ACTIVATE, &ada).await;
    // The check counted and cleared (1 + 1), the status and `user.activated` (4, was 1).
    expect("activation", &reply, 200, 2 + 4);
    let reply = app.post(paths::ACTIVATE, &ada).await;
    expect("activation again: no change, no event", &reply, 200, 2);
    let reply = app.sign_in("ada@example.com", PASSWORD).await;
    expect("sign-in: no event", &reply, 200, 2 + 1);
    let access = reply.json["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let refresh = reply.json["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let reply = app.refresh(&refresh).await;
    expect("refresh: no event", &reply, 200, 4);
    let body = json!({"current_password": PASSWORD, "new_password": "another good passphrase"});
    let reply = app.post_as(paths::PASSWORD, &access, &body).await;
    // The check counted and cleared; the hash, the caller's new session and
    // `user.password_changed` (6, was 4).
    expect("password change", &reply, 200, 2 + 6);
    let ada = credentials("ada@example.com", "another good passphrase");
    let reply = app.post(paths::DEACTIVATE, &ada).await;
    // The status, the epoch and `user.deactivated` (4, was 1).
    expect("deactivation", &reply, 200, 2 + 4);
    let reply = app.post(paths::ACTIVATE, &ada).await;
    expect("activation", &reply, 200, 2 + 4);
    let reply = app.post(paths::SIGN_IN, &ada).await;
    expect("sign-in", &reply, 200, 2 + 1);
    let access = reply.json["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let body = json!({"password": "another good passphrase"});
    let reply = app.post_as(paths::DELETE, &access, &body).await;
    // The check counted and cleared; the account, its id item, its three session items
    // (ended or not) and `user.deleted` (12, was 10).
    expect("deletion", &reply, 204, 2 + 12);

    app.given_active_user("grace@example.com").await;
    local.calls.take();
    let wrong = credentials("grace@example.com", "wrong!!!");
    for attempt in 1..=4 {
        let reply = app.post(paths::SIGN_IN, &wrong).await;
        expect(&format!("failure {attempt}: counted"), &reply, 401, 1);
    }
    let reply = app.post(paths::SIGN_IN, &wrong).await;
    // The count and `user.locked` (4, was 1).
    expect("the failure that locks", &reply, 401, 4);
    let reply = app.post(paths::SIGN_IN, &wrong).await;
    expect("refused while locked: nothing written", &reply, 429, 0);
}

/// A transaction holds at most 100 items: a deletion's last one holds the account, its id
/// item, `user.deleted` and as many sessions as fit beside them; the rest go first.
#[tokio::test]
async fn deleting_an_account_with_a_hundred_sessions_fits_its_event_in_the_last_transaction() {
    let local = Local::new().await;
    let app = local.app();
    app.given_active_user("ada@example.com").await;
    let mut access = String::new();
    for _ in 0..100 {
        let reply = app.sign_in("ada@example.com", PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        access = reply.json["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
    }
    let before = local.item_count().await;
    local.calls.take();

    let body = json!({"password": PASSWORD});
    let reply = app.post_as(paths::DELETE, &access, &body).await;

    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(
        local.calls.take(),
        [
            "GetItem",
            "UpdateItem",
            "UpdateItem",
            "Query",
            "TransactWriteItems",
            "TransactWriteItems"
        ],
        "the surplus sessions, then the account with the rest and its event"
    );
    assert_eq!(before - local.item_count().await, 102, "all gone");
}
