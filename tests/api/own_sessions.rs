//! `GET /user/sessions/` and `POST /user/sessions/revoke/`: an account's live sessions, its
//! own marked, and revoking one of them by id.

use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::USER_AGENT_CHARS;

use crate::common::totp::code_at;
use crate::common::{
    PASSWORD, REFRESH_TTL, REUSE_GRACE, Reply, TestApp, claims, credentials, event, in_memory_app,
    paths,
};
use crate::mfa::{ADA, challenge, with_totp};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:146.0) Gecko/20100101 Firefox/146.0";

fn text<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {body}"))
}

/// The session id an access token (or a sign-in's body) speaks for.
fn sid(body: &Value) -> String {
    claims(text(body, "access_token"))["sid"]
        .as_str()
        .expect("a sid")
        .to_owned()
}

/// `POST path` with `body`, sent as a browser with `user_agent` would (none: no header).
async fn post_from(
    app: &TestApp<InMemoryStore>,
    path: &str,
    user_agent: Option<&str>,
    body: &Value,
) -> Reply {
    let mut headers = json!({"content-type": "application/json"});
    if let Some(agent) = user_agent {
        headers["user-agent"] = json!(agent);
    }
    let body = body.to_string();
    app.send(&event("POST", path, headers, Some(&body), false))
        .await
}

/// Signs Ada (active, created if need be) in from `user_agent`: the sign-in's body.
async fn signed_in_from(app: &TestApp<InMemoryStore>, user_agent: Option<&str>) -> Value {
    let body = credentials(ADA, PASSWORD);
    let mut reply = post_from(app, paths::SIGN_IN, user_agent, &body).await;
    if reply.status == 404 {
        app.given_active_user(ADA).await;
        reply = post_from(app, paths::SIGN_IN, user_agent, &body).await;
    }
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json
}

async fn list(app: &TestApp<InMemoryStore>, signed_in: &Value) -> Reply {
    let headers = json!({"authorization": format!("Bearer {}", text(signed_in, "access_token"))});
    app.get(paths::SESSIONS, headers).await
}

/// The ids the list shows to `signed_in`, which must be answered 200 with one `current`: its
/// own.
async fn listed(app: &TestApp<InMemoryStore>, signed_in: &Value) -> Vec<String> {
    let reply = list(app, signed_in).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let sessions = reply.json["sessions"].as_array().expect("a list").clone();
    let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1, "exactly one current: {}", reply.text);
    assert_eq!(current[0]["id"], json!(sid(signed_in)), "the caller's own");
    let mut ids: Vec<String> = sessions.iter().map(|s| text(s, "id").to_owned()).collect();
    ids.sort_unstable();
    ids
}

fn ids(signed_in: &[&Value]) -> Vec<String> {
    let mut ids: Vec<String> = signed_in.iter().map(|body| sid(body)).collect();
    ids.sort_unstable();
    ids
}

async fn revoke(app: &TestApp<InMemoryStore>, signed_in: &Value, session_id: &Value) -> Reply {
    let body = json!({"session_id": session_id});
    app.post_as(
        paths::SESSIONS_REVOKE,
        text(signed_in, "access_token"),
        &body,
    )
    .await
}

#[tokio::test]
async fn the_list_shows_the_callers_session_as_current_with_where_and_when_it_signed_in() {
    let (app, _) = in_memory_app();
    let signed_in = signed_in_from(&app, Some(FIREFOX)).await;

    let reply = list(&app, &signed_in).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.headers.get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let now = app.clock.now();
    assert_eq!(
        reply.json,
        json!({"sessions": [{"id": sid(&signed_in), "created_at": now, "last_used_at": now,
            "user_agent": FIREFOX, "source_ip": "203.0.113.7", "current": true}]})
    );
}

#[tokio::test]
async fn a_second_sign_in_appears_and_each_token_sees_its_own_session_as_current() {
    let (app, _) = in_memory_app();
    let laptop = signed_in_from(&app, Some(FIREFOX)).await;
    app.clock.advance(5);
    let phone = signed_in_from(&app, None).await;

    assert_eq!(listed(&app, &laptop).await, ids(&[&laptop, &phone]));
    assert_eq!(listed(&app, &phone).await, ids(&[&laptop, &phone]));
    let reply = list(&app, &phone).await;
    let sessions = &reply.json["sessions"];
    assert_eq!(sessions[0]["id"], json!(sid(&phone)), "newest first");
    assert_eq!(sessions[0]["user_agent"], Value::Null, "no User-Agent sent");
    assert_eq!(sessions[1]["user_agent"], FIREFOX);
}

#[tokio::test]
async fn a_refreshed_session_stays_listed_once_and_shows_when_it_was_last_used() {
    let (app, _) = in_memory_app();
    let signed_in = signed_in_from(&app, Some(FIREFOX)).await;
    let started = app.clock.now();
    app.clock.advance(60);

    let refreshed = app.refresh(text(&signed_in, "refresh_token")).await;

    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    assert_eq!(listed(&app, &refreshed.json).await, ids(&[&signed_in]));
    let session = &list(&app, &refreshed.json).await.json["sessions"][0];
    assert_eq!(session["created_at"], started);
    assert_eq!(session["last_used_at"], started + 60);
    assert_eq!(session["user_agent"], FIREFOX, "kept through the rotation");
}

#[tokio::test]
async fn signed_out_revoked_refreshed_away_and_expired_sessions_disappear() {
    let (app, _) = in_memory_app();
    let caller = signed_in_from(&app, None).await;
    let signed_out = signed_in_from(&app, None).await;
    let revoked = signed_in_from(&app, None).await;
    let stolen = signed_in_from(&app, None).await;
    let idle = signed_in_from(&app, None).await;
    let all = ids(&[&caller, &signed_out, &revoked, &stolen, &idle]);
    assert_eq!(listed(&app, &caller).await, all);

    let signed_out_reply = app
        .sign_out(text(&signed_out, "refresh_token"), false)
        .await;
    assert_eq!(signed_out_reply.status, 204);
    let revoked_reply = revoke(&app, &caller, &json!(sid(&revoked))).await;
    assert_eq!(revoked_reply.status, 204, "{}", revoked_reply.text);
    // A spent token presented after the grace window: the session is taken for stolen.
    let thief = app.refresh(text(&stolen, "refresh_token")).await;
    assert_eq!(thief.status, 200);
    app.clock.advance(REUSE_GRACE + 1);
    let reuse = app.refresh(text(&stolen, "refresh_token")).await;
    assert_eq!(reuse.status, 401);
    assert_eq!(listed(&app, &caller).await, ids(&[&caller, &idle]));

    // The idle session's token expires; the caller keeps refreshing.
    app.clock.advance(REFRESH_TTL - REUSE_GRACE - 2);
    let caller = app.refresh(text(&caller, "refresh_token")).await.json;
    assert_eq!(listed(&app, &caller).await, ids(&[&caller, &idle]));
    app.clock.advance(1);
    assert_eq!(listed(&app, &caller).await, ids(&[&caller]));
}

#[tokio::test]
async fn a_token_whose_own_session_has_ended_gets_no_list() {
    for (why, everywhere) in [("signed out", false), ("signed out everywhere", true)] {
        let (app, _) = in_memory_app();
        let signed_in = signed_in_from(&app, None).await;
        let body = json!({"refresh_token": signed_in["refresh_token"], "everywhere": everywhere});
        assert_eq!(app.post(paths::SIGN_OUT, &body).await.status, 204, "{why}");

        let reply = list(&app, &signed_in).await;

        assert_eq!(
            (reply.status, reply.error_code()),
            (401, "InvalidToken"),
            "{why}"
        );
        assert!(reply.headers.contains_key("www-authenticate"), "{why}");
    }
    let (app, _) = in_memory_app();
    let refused = app.get(paths::SESSIONS, json!({})).await;
    assert_eq!(
        (refused.status, refused.error_code()),
        (401, "InvalidToken"),
        "no token"
    );
}

#[tokio::test]
async fn a_revoked_session_no_longer_refreshes_and_is_refused_as_a_signed_out_one_is() {
    let (app, _) = in_memory_app();
    let caller = signed_in_from(&app, None).await;
    let other = signed_in_from(&app, None).await;
    let signed_out = signed_in_from(&app, None).await;
    assert_eq!(
        app.sign_out(text(&signed_out, "refresh_token"), false)
            .await
            .status,
        204
    );

    let reply = revoke(&app, &caller, &json!(sid(&other))).await;

    assert_eq!((reply.status, reply.text.as_str()), (204, ""));
    let refused = app.refresh(text(&other, "refresh_token")).await;
    let as_signed_out = app.refresh(text(&signed_out, "refresh_token")).await;
    assert_eq!(refused.status, 401);
    assert_eq!(
        refused.json, as_signed_out.json,
        "the same error a signed-out session's refresh gets"
    );
    assert_eq!(
        app.me(text(&other, "access_token")).await.status,
        200,
        "its access token runs to exp"
    );
    assert_eq!(
        app.refresh(text(&caller, "refresh_token")).await.status,
        200,
        "the caller's lives on"
    );
}

#[tokio::test]
async fn revoking_is_idempotent_and_the_callers_own_session_may_be_revoked_once() {
    let (app, _) = in_memory_app();
    let caller = signed_in_from(&app, None).await;
    let other = signed_in_from(&app, None).await;

    for _ in 0..2 {
        let again = revoke(&app, &caller, &json!(sid(&other))).await;
        assert_eq!(again.status, 204, "{}", again.text);
    }
    let own = revoke(&app, &caller, &json!(sid(&caller))).await;

    assert_eq!(own.status, 204, "{}", own.text);
    assert_eq!(
        app.refresh(text(&caller, "refresh_token")).await.status,
        401
    );
    assert_eq!(
        app.me(text(&caller, "access_token")).await.status,
        200,
        "runs to exp"
    );
    let after = revoke(&app, &caller, &json!(sid(&caller))).await;
    assert_eq!(
        (after.status, after.error_code()),
        (401, "InvalidToken"),
        "its own session ended: its access token revokes nothing more"
    );
}

#[tokio::test]
async fn another_accounts_session_or_an_id_of_none_is_not_found_and_that_session_still_refreshes() {
    let (app, _) = in_memory_app();
    let ada = signed_in_from(&app, None).await;
    let grace = app.given_session("grace@example.com").await;

    let cases = [
        (json!(sid(&grace)), "another account's session"),
        (
            json!("0b7e7a3c-5d0e-4f6a-9b1c-2f3e4d5c6b7a"),
            "a session id of no session",
        ),
        (
            json!(sid(&grace).to_uppercase()),
            "an id spelled another way",
        ),
        (json!("not-a-session"), "no session id at all"),
        (json!(""), "empty"),
    ];
    let mut bodies = Vec::new();
    for (session_id, why) in cases {
        let reply = revoke(&app, &ada, &session_id).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (404, "SessionNotFound"),
            "{why}"
        );
        bodies.push(reply.json);
    }

    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "one answer for all: {bodies:?}"
    );
    assert_eq!(
        app.refresh(text(&grace, "refresh_token")).await.status,
        200,
        "hers lives on"
    );
    assert_eq!(listed(&app, &grace).await, ids(&[&grace]));
}

#[tokio::test]
async fn bad_revocation_bodies_are_refused_as_on_every_endpoint() {
    let (app, _) = in_memory_app();
    let ada = signed_in_from(&app, None).await;
    let other = signed_in_from(&app, None).await;
    let bearer = format!("Bearer {}", text(&ada, "access_token"));
    let json_type = json!({"content-type": "application/json", "authorization": bearer});
    let cases: [(Value, Option<&str>, u16, &str, &str); 7] = [
        (
            json_type.clone(),
            Some("{}"),
            400,
            "ValidationError",
            "no session_id",
        ),
        (
            json_type.clone(),
            Some(r#"{"session_id": 7}"#),
            400,
            "ValidationError",
            "a number",
        ),
        (
            json_type.clone(),
            Some(r#"{"session_id": null}"#),
            400,
            "ValidationError",
            "null",
        ),
        (json_type.clone(), None, 400, "MalformedRequest", "no body"),
        (
            json_type.clone(),
            Some(r#"["x"]"#),
            400,
            "MalformedRequest",
            "not an object",
        ),
        (
            json_type.clone(),
            Some(r#"{"session_id": "a", "session_id": "b"}"#),
            400,
            "MalformedRequest",
            "a key twice",
        ),
        (
            json!({"content-type": "text/plain", "authorization": bearer}),
            Some("{}"),
            415,
            "UnsupportedMediaType",
            "not declared JSON",
        ),
    ];
    for (headers, body, status, code, why) in cases {
        let reply = app
            .send(&event("POST", paths::SESSIONS_REVOKE, headers, body, false))
            .await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (status, code),
            "{why}: {}",
            reply.text
        );
    }
    let body = format!(r#"{{"session_id": "{}", "extra": 1}}"#, sid(&other));
    let unknown_field = app
        .send(&event(
            "POST",
            paths::SESSIONS_REVOKE,
            json_type,
            Some(&body),
            false,
        ))
        .await;
    assert_eq!(
        unknown_field.status, 204,
        "unknown fields are ignored, as everywhere"
    );
    let no_token = app
        .post(paths::SESSIONS_REVOKE, &json!({"session_id": sid(&ada)}))
        .await;
    assert_eq!(
        (no_token.status, no_token.error_code()),
        (401, "InvalidToken")
    );
}

#[tokio::test]
async fn the_user_agent_is_kept_bounded_and_what_does_not_parse_is_null() {
    let (app, _) = in_memory_app();
    let long = format!("Agent/{}", "x".repeat(2 * USER_AGENT_CHARS));
    let signed_in = signed_in_from(&app, Some(&long)).await;
    let mut odd = event(
        "POST",
        paths::SIGN_IN,
        json!({"content-type": "application/json",
        "user-agent": "   "}),
        Some(&credentials(ADA, PASSWORD).to_string()),
        false,
    );
    odd["requestContext"]["http"]["sourceIp"] = json!("not-an-address");
    let unknown = app.send(&odd).await;
    assert_eq!(unknown.status, 200, "{}", unknown.text);

    let sessions = list(&app, &signed_in).await.json["sessions"].clone();

    let of = |id: String| {
        sessions
            .as_array()
            .and_then(|all| all.iter().find(|s| s["id"] == id.as_str()).cloned())
            .expect("listed")
    };
    let kept = of(sid(&signed_in));
    assert_eq!(
        kept["user_agent"],
        json!(long.chars().take(USER_AGENT_CHARS).collect::<String>())
    );
    let blank = of(sid(&unknown.json));
    assert_eq!(
        (&blank["user_agent"], &blank["source_ip"]),
        (&Value::Null, &Value::Null)
    );
}

#[tokio::test]
async fn a_sign_in_finished_with_a_second_factor_records_where_it_came_from() {
    let (app, _) = in_memory_app();
    let with = with_totp(&app).await;
    let token = challenge(&app).await;
    let code = code_at(&with.secret, app.clock.now());

    let body = json!({"mfa_token": token, "code": code});
    let signed_in = post_from(&app, paths::SIGN_IN_MFA, Some(FIREFOX), &body).await;

    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    let sessions = list(&app, &signed_in.json).await.json["sessions"].clone();
    let mine = sessions
        .as_array()
        .and_then(|all| all.iter().find(|s| s["current"] == true).cloned());
    assert_eq!(
        mine.as_ref().map(|s| &s["user_agent"]),
        Some(&json!(FIREFOX))
    );
    assert_eq!(
        mine.as_ref().map(|s| &s["source_ip"]),
        Some(&json!("203.0.113.7"))
    );
}

/// A thief's session, revoked by the owner, keeps its access token until `exp`: that token
/// must not be able to revoke the owner's sessions in return (nor list them).
#[tokio::test]
async fn a_revoked_sessions_access_token_can_no_longer_revoke_or_list() {
    let (app, _) = in_memory_app();
    let owner = signed_in_from(&app, Some(FIREFOX)).await;
    let thief = signed_in_from(&app, None).await;
    let revoke = |session: &Value| json!({"session_id": sid(session)});
    let by_owner = app
        .post_as(
            paths::SESSIONS_REVOKE,
            text(&owner, "access_token"),
            &revoke(&thief),
        )
        .await;
    assert_eq!(by_owner.status, 204, "{}", by_owner.text);

    let by_thief = app
        .post_as(
            paths::SESSIONS_REVOKE,
            text(&thief, "access_token"),
            &revoke(&owner),
        )
        .await;

    assert_eq!(
        (by_thief.status, by_thief.error_code()),
        (401, "InvalidToken"),
        "{}",
        by_thief.text
    );
    assert_eq!(list(&app, &thief).await.status, 401);
    assert_eq!(
        list(&app, &owner).await.status,
        200,
        "the owner's session lives on"
    );
}
