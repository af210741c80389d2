//! `POST /user/email/` and `POST /user/email/confirm/`: moving an account needs the access
//! token and the password, then the code mailed to the new address; nothing moves before it
//! comes back, the old address is free at once after, and a taken address is a 409 that
//! sends or moves nothing.

use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::CodePurpose;

use crate::common::{PASSWORD, Reply, TestApp, in_memory_app, paths};

fn access(session: &Value) -> &str {
    session["access_token"].as_str().expect("a token")
}

async fn request(app: &TestApp<InMemoryStore>, session: &Value, password: &str, to: &str) -> Reply {
    let body = json!({"password": password, "new_email": to});
    app.post_as(paths::EMAIL, access(session), &body).await
}

async fn confirm(app: &TestApp<InMemoryStore>, session: &Value, code: &str) -> Reply {
    app.post_as(
        paths::EMAIL_CONFIRM,
        access(session),
        &json!({"code": code}),
    )
    .await
}

#[tokio::test]
async fn a_request_sends_a_code_to_the_new_address_and_moves_nothing() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;

    let reply = request(&app, &session, PASSWORD, " Countess@Example.com").await;

    assert_eq!(
        (reply.status, &reply.json),
        (202, &json!({})),
        "{}",
        reply.text
    );
    let mails = app
        .mailbox
        .to("countess@example.com", CodePurpose::EmailChange);
    assert_eq!(mails.len(), 1);
    assert_eq!((mails[0].code.len(), mails[0].valid_for_seconds), (8, 900));
    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.status,
        200,
        "not moved"
    );
    assert_eq!(
        app.me(access(&session)).await.status,
        200,
        "no session ended"
    );
}

#[tokio::test]
async fn the_code_moves_the_account_verified_and_the_old_address_is_free_at_once() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    request(&app, &session, PASSWORD, "countess@example.com").await;
    let code = app.code_sent("countess@example.com", CodePurpose::EmailChange);

    let reply = confirm(&app, &session, &code).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"id": session["id"], "name": "Ada", "surname": "Lovelace",
               "email": "countess@example.com", "active": true, "email_verified": true,
               "mfa": {"totp": false, "recovery_codes_left": 0}})
    );
    assert_eq!(
        app.sign_in("countess@example.com", PASSWORD).await.status,
        200
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 404);
    assert_eq!(
        app.sign_up("ada@example.com").await.status,
        200,
        "free for a new sign-up"
    );
    let refresh = session["refresh_token"].as_str().expect("a token");
    assert_eq!(
        app.refresh(refresh).await.status,
        401,
        "the move ended the sessions"
    );
}

#[tokio::test]
async fn a_taken_address_is_409_and_nothing_is_sent() {
    let (app, store) = in_memory_app();
    let ada = app.given_session("ada@example.com").await;
    app.given_active_user("grace@example.com").await;
    let mails = app.mailbox.sent().len();
    let commits = store.commits();

    let reply = request(&app, &ada, PASSWORD, "grace@example.com").await;

    assert_eq!((reply.status, reply.error_code()), (409, "EmailTaken"));
    assert_eq!(app.mailbox.sent().len(), mails, "nothing sent");
    assert_eq!(
        store.commits(),
        commits + 2,
        "only the password check's count and clearing"
    );
    assert_eq!(app.me(access(&ada)).await.status, 200);
}

#[tokio::test]
async fn an_address_taken_between_request_and_confirmation_is_409_and_nothing_moves() {
    let (app, _) = in_memory_app();
    let ada = app.given_session("ada@example.com").await;
    request(&app, &ada, PASSWORD, "countess@example.com").await;
    let code = app.code_sent("countess@example.com", CodePurpose::EmailChange);
    app.given_user("countess@example.com").await;

    let reply = confirm(&app, &ada, &code).await;

    assert_eq!((reply.status, reply.error_code()), (409, "EmailTaken"));
    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.status,
        200,
        "not moved"
    );
    assert_eq!(app.me(access(&ada)).await.status, 200, "no session ended");
}

#[tokio::test]
async fn only_the_code_mailed_to_the_new_address_moves_the_account() {
    let (app, _) = in_memory_app();
    let ada = app.given_session("ada@example.com").await;
    let eve = app.given_session("eve@example.com").await;
    request(&app, &ada, PASSWORD, "countess@example.com").await;
    let code = app.code_sent("countess@example.com", CodePurpose::EmailChange);
    let wrong = if code == "12345678" {
        "87654321"
    } else {
        "12345678"
    };

    let replies = [
        ("a wrong code", confirm(&app, &ada, wrong).await),
        ("another account's code", confirm(&app, &eve, &code).await),
    ];
    for (why, reply) in replies {
        assert_eq!(
            (reply.status, reply.error_code()),
            (400, "InvalidCode"),
            "{why}"
        );
    }
    app.clock.advance(900);
    let expired = confirm(&app, &ada, &code).await;
    assert_eq!(
        (expired.status, expired.error_code()),
        (400, "InvalidCode"),
        "expired"
    );
    assert_eq!(app.sign_in("ada@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn refusals_send_nothing() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let cases = [
        (
            "not the password",
            "countess@example.com",
            401,
            "InvalidCredentials",
        ),
        (PASSWORD, "not-an-address", 400, "ValidationError"),
    ];
    for (password, to, status, code) in cases {
        let reply = request(&app, &session, password, to).await;
        assert_eq!((reply.status, reply.error_code()), (status, code), "{to}");
    }
    let own = request(&app, &session, PASSWORD, "ADA@example.com").await;
    assert_eq!(own.status, 202, "its own address: nothing to confirm");
    assert!(
        app.mailbox
            .to("ada@example.com", CodePurpose::EmailChange)
            .is_empty()
    );
    assert!(
        app.mailbox
            .to("countess@example.com", CodePurpose::EmailChange)
            .is_empty()
    );
    let stranger = json!({"access_token": "not-a-token"});
    for reply in [
        request(&app, &stranger, PASSWORD, "x@example.com").await,
        confirm(&app, &stranger, "12345678").await,
    ] {
        assert_eq!((reply.status, reply.error_code()), (401, "InvalidToken"));
    }
    let bad = app
        .post_as(
            paths::EMAIL_CONFIRM,
            access(&session),
            &json!({"code": "123456"}),
        )
        .await;
    assert_eq!(bad.json["detail"], json!({"code": "must be 8 digits"}));
}

#[tokio::test]
async fn mails_to_the_new_address_are_limited_and_a_refused_one_counts_nothing() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    app.mailbox.fail_next(1);

    let failed = request(&app, &session, PASSWORD, "countess@example.com").await;
    let sent = request(&app, &session, PASSWORD, "countess@example.com").await;
    let again = request(&app, &session, PASSWORD, "countess@example.com").await;

    assert_eq!(
        (failed.status, failed.error_code()),
        (503, "ServiceUnavailable")
    );
    assert_eq!(sent.status, 202, "the failed mail was not counted");
    assert_eq!((again.status, again.error_code()), (429, "TooManyRequests"));
    assert_eq!(again.headers["retry-after"], "60");
}

/// An account is no relay: the codes it has mailed for moving count against it too, whatever
/// address each went to, so it cannot mail strangers faster than one address can be mailed.
#[tokio::test]
async fn one_account_cannot_mail_many_addresses_faster_than_one() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;

    let first = request(&app, &session, PASSWORD, "stranger1@example.com").await;
    let second = request(&app, &session, PASSWORD, "stranger2@example.com").await;

    assert_eq!(first.status, 202, "{}", first.text);
    assert_eq!(
        (second.status, second.error_code()),
        (429, "TooManyRequests")
    );
    let mailed = app
        .mailbox
        .to("stranger2@example.com", CodePurpose::EmailChange);
    assert!(mailed.is_empty(), "nothing went to the second stranger");
}

#[tokio::test]
async fn the_token_of_a_deactivated_account_moves_nothing() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    request(&app, &session, PASSWORD, "countess@example.com").await;
    let code = app.code_sent("countess@example.com", CodePurpose::EmailChange);
    app.deactivate("ada@example.com", PASSWORD).await;

    let reply = confirm(&app, &session, &code).await;

    assert_eq!((reply.status, reply.error_code()), (401, "InvalidToken"));
    assert_eq!(
        app.activate("countess@example.com", PASSWORD).await.status,
        404
    );
}
