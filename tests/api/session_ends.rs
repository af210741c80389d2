//! Sessions end when they should (issue 16): access tokens die with their session's epoch on
//! the function's own routes, sign-out everywhere takes a bearer token and never silently does
//! nothing, reuse of a token of any older generation revokes the family, and no refresh
//! extends a session past its maximum age.

use serde_json::{Value, json};

use crate::common::{
    ACCESS_TTL, PASSWORD, REFRESH_TTL, REUSE_GRACE, SESSION_MAX_AGE, TestApp, in_memory_app, paths,
};
use user_service::adapters::in_memory::InMemoryStore;

fn token<'a>(body: &'a Value, name: &str) -> &'a str {
    body[name].as_str().expect("a token")
}

fn refused(reply: crate::common::Reply, why: &str) {
    assert_eq!(reply.status, 401, "{why}: {}", reply.text);
    assert_eq!(reply.error_code(), "InvalidToken", "{why}");
}

/// Bearer sign-out: `body` with `access` as the bearer token.
async fn bearer_sign_out(
    app: &TestApp<InMemoryStore>,
    access: &str,
    body: Value,
) -> crate::common::Reply {
    app.post_as(paths::SIGN_OUT, access, &body).await
}

/// A browser app sends its (by now expired, or otherwise refused) access token on every call:
/// when the body names the session by its refresh token, that token decides, and the session
/// ends, rather than living on behind a 401 nobody reads.
#[tokio::test]
async fn a_sign_out_naming_its_refresh_token_ends_the_session_whatever_bearer_token_comes_with_it()
{
    let (app, _) = in_memory_app();
    for (n, (bearer, everywhere)) in [
        ("expired", false),
        ("expired", true),
        ("not-a-token", false),
    ]
    .into_iter()
    .enumerate()
    {
        let pair = app.given_session(&format!("ada{n}@example.com")).await;
        let bearer = match bearer {
            "expired" => {
                app.clock.advance(ACCESS_TTL + 60);
                token(&pair, "access_token").to_owned()
            }
            other => other.to_owned(),
        };
        let refresh_token = token(&pair, "refresh_token");
        let body = json!({"refresh_token": refresh_token, "everywhere": everywhere});
        let reply = bearer_sign_out(&app, &bearer, body).await;
        assert_eq!(
            reply.status, 204,
            "{bearer} (everywhere: {everywhere}): {}",
            reply.text
        );
        refused(app.refresh(refresh_token).await, "the session has ended");
    }
    let alone = bearer_sign_out(&app, "not-a-token", json!({})).await;
    refused(
        alone,
        "without a refresh token, the bearer token must be good",
    );
}

/// The routes that check a password as well as the token refuse an old token before they check
/// it: an epoch bump ends what the token may do, even for someone who knows the password.
#[tokio::test]
async fn an_old_access_token_neither_deletes_the_account_nor_moves_it_whatever_the_password() {
    let (app, store) = in_memory_app();
    let new_password = "a brand new passphrase";
    let change = json!({"current_password": PASSWORD, "new_password": new_password});
    for (n, (how, password)) in [("everywhere", PASSWORD), (paths::PASSWORD, new_password)]
        .into_iter()
        .enumerate()
    {
        let address = format!("ada{n}@example.com");
        let old = app.given_session(&address).await;
        let other = app.given_session(&address).await;
        let ended = match how {
            "everywhere" => app.sign_out(token(&other, "refresh_token"), true).await,
            path => {
                app.post_as(path, token(&other, "access_token"), &change)
                    .await
            }
        };
        assert!(ended.status < 300, "{how}: {}", ended.text);
        let accounts = store.accounts().len();

        let old = token(&old, "access_token");
        let moving = json!({"password": password, "new_email": format!("moved{n}@example.com")});
        refused(
            app.post_as(paths::EMAIL, old, &moving).await,
            "the e-mail change",
        );
        let deleting = json!({"password": password});
        refused(
            app.post_as(paths::DELETE, old, &deleting).await,
            "the deletion",
        );
        assert_eq!(
            store.accounts().len(),
            accounts,
            "{how}: nothing was deleted"
        );
    }
}

#[tokio::test]
async fn an_access_token_dies_with_every_session_of_its_account_on_the_functions_routes() {
    let (app, _) = in_memory_app();
    let change = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"});
    let email = json!({"password": PASSWORD, "new_email": "grace@example.com"});
    let ends: [(&str, &Value); 3] = [
        ("everywhere", &json!(null)),
        (paths::PASSWORD, &change),
        (paths::EMAIL, &email),
    ];
    for (n, (how, body)) in ends.into_iter().enumerate() {
        let address = format!("ada{n}@example.com");
        let old = app.given_session(&address).await;
        let other = app.given_session(&address).await;
        let ended = match how {
            "everywhere" => app.sign_out(token(&other, "refresh_token"), true).await,
            paths::EMAIL => {
                let to = format!("grace{n}@example.com");
                (app.move_email(token(&other, "access_token"), PASSWORD, &to)).await
            }
            path => app.post_as(path, token(&other, "access_token"), body).await,
        };
        assert!(ended.status < 300, "{how}: {}", ended.text);

        refused(app.me(token(&old, "access_token")).await, how);
        let again = json!({"current_password": PASSWORD, "new_password": "yet another phrase"});
        let reply = app
            .post_as(paths::PASSWORD, token(&old, "access_token"), &again)
            .await;
        refused(reply, "nor may it act for the account");
    }
}

#[tokio::test]
async fn a_plain_sign_out_lets_that_sessions_access_tokens_run_to_exp_as_documented() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;

    assert_eq!(
        app.sign_out(token(&signed_in, "refresh_token"), false)
            .await
            .status,
        204
    );

    assert_eq!(app.me(token(&signed_in, "access_token")).await.status, 200);
}

#[tokio::test]
async fn a_bearer_token_alone_signs_out_everywhere_and_then_is_refused() {
    let (app, _) = in_memory_app();
    let first = app.given_session("ada@example.com").await;
    let second = app.given_session("ada@example.com").await;
    let access = token(&first, "access_token");

    let reply = bearer_sign_out(&app, access, json!({"everywhere": true})).await;

    assert_eq!(reply.status, 204, "{}", reply.text);
    for body in [&first, &second] {
        refused(
            app.refresh(token(body, "refresh_token")).await,
            "every session ended",
        );
    }
    refused(app.me(access).await, "its own access token too");
    let again = bearer_sign_out(&app, access, json!({"everywhere": true})).await;
    refused(
        again,
        "ending sessions that had ended already is no success",
    );
}

#[tokio::test]
async fn a_bearer_token_alone_signs_out_its_own_session_only() {
    let (app, _) = in_memory_app();
    let first = app.given_session("ada@example.com").await;
    let second = app.given_session("ada@example.com").await;

    let reply = bearer_sign_out(&app, token(&first, "access_token"), json!({})).await;

    assert_eq!(reply.status, 204, "{}", reply.text);
    refused(
        app.refresh(token(&first, "refresh_token")).await,
        "its session",
    );
    assert_eq!(
        app.refresh(token(&second, "refresh_token")).await.status,
        200,
        "another"
    );
}

#[tokio::test]
async fn a_bad_bearer_token_or_none_with_no_refresh_token_is_refused() {
    let (app, _) = in_memory_app();

    refused(
        bearer_sign_out(&app, "not-a-token", json!({"everywhere": true})).await,
        "bad token",
    );
    let reply = app
        .post(paths::SIGN_OUT, &json!({"everywhere": true}))
        .await;
    assert_eq!(
        (reply.status, reply.error_code()),
        (400, "ValidationError"),
        "{}",
        reply.text
    );
    assert_eq!(reply.json["detail"]["refresh_token"], "is required");
}

#[tokio::test]
async fn a_token_two_rotations_old_presented_after_the_grace_revokes_the_whole_family() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let first = token(&signed_in, "refresh_token").to_owned();
    let second = app.refresh(&first).await.json;
    let third = app.refresh(token(&second, "refresh_token")).await.json;
    app.clock.advance(REUSE_GRACE + 1);

    refused(app.refresh(&first).await, "the oldest generation");

    refused(
        app.refresh(token(&third, "refresh_token")).await,
        "the family is revoked",
    );
}

#[tokio::test]
async fn a_forged_token_of_a_real_session_is_a_plain_401_that_revokes_nothing() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let current = token(&signed_in, "refresh_token");
    let session = current.split('.').next().expect("a session id");
    app.clock.advance(REUSE_GRACE + 1);

    for generation in [0, 1, 99] {
        let forged = format!("{session}.{generation}.{}", "A".repeat(43));
        refused(app.refresh(&forged).await, "a forgery");
    }

    assert_eq!(
        app.refresh(current).await.status,
        200,
        "nothing was revoked"
    );
}

#[tokio::test]
async fn no_refresh_extends_a_session_past_its_maximum_age() {
    let (app, _) = in_memory_app();
    let signed_in = app.given_session("ada@example.com").await;
    let mut refresh = token(&signed_in, "refresh_token").to_owned();
    let mut lived = 0;
    while lived + REFRESH_TTL / 2 < SESSION_MAX_AGE {
        app.clock.advance(REFRESH_TTL / 2);
        lived += REFRESH_TTL / 2;
        let reply = app.refresh(&refresh).await;
        assert_eq!(reply.status, 200, "at {lived} s: {}", reply.text);
        refresh = token(&reply.json, "refresh_token").to_owned();
    }

    app.clock.advance(SESSION_MAX_AGE - lived);

    refused(
        app.refresh(&refresh).await,
        "past the session's maximum age",
    );
}
