//! Password guessing: five failed checks are free, then the account is locked (429 with
//! `Retry-After`), even for the right password; a success clears the count.

use serde_json::json;

use crate::common::{PASSWORD, in_memory_app, paths};

#[tokio::test]
async fn after_five_failures_every_password_check_of_the_account_is_429_with_retry_after() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    for attempt in 1..=5 {
        let reply = app.sign_in("ada@example.com", "a wrong guess").await;
        assert_eq!(reply.status, 401, "failure {attempt}");
    }

    let access = session["access_token"].as_str().expect("a token");
    let change = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"});
    let replies = [
        app.sign_in("ada@example.com", PASSWORD).await,
        app.deactivate("ada@example.com", PASSWORD).await,
        app.post_as(paths::PASSWORD, access, &change).await,
    ];
    for reply in replies {
        assert_eq!(reply.status, 429, "{}", reply.text);
        assert_eq!(reply.error_code(), "TooManyAttempts");
        let wait: u64 = reply.headers["retry-after"]
            .to_str()
            .ok()
            .and_then(|text| text.parse().ok())
            .expect("Retry-After in seconds");
        assert!(wait <= 1, "locked for 1 s after the fifth failure: {wait}");
    }
    assert_eq!(
        app.me(access).await.status,
        200,
        "tokens still work; only passwords are locked"
    );
    assert_eq!(
        app.sign_in("grace@example.com", PASSWORD).await.status,
        404,
        "other addresses are unaffected"
    );
}

#[tokio::test]
async fn a_success_clears_the_count() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    for round in 0..3 {
        for _ in 0..4 {
            assert_eq!(
                app.sign_in("ada@example.com", "a wrong guess").await.status,
                401
            );
        }
        let reply = app.sign_in("ada@example.com", PASSWORD).await;
        assert_eq!(reply.status, 200, "round {round}: {}", reply.text);
    }
}

/// The `Retry-After` of a 429, in seconds.
fn retry_after(reply: &crate::common::Reply) -> u64 {
    assert_eq!(reply.status, 429, "{}", reply.text);
    reply.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|text| text.parse().ok())
        .expect("Retry-After in seconds")
}

#[tokio::test]
async fn a_lock_runs_out_with_time_and_doubles_with_each_further_failure() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    for _ in 0..5 {
        assert_eq!(
            app.sign_in("ada@example.com", "a wrong guess").await.status,
            401
        );
    }
    assert_eq!(
        retry_after(&app.sign_in("ada@example.com", PASSWORD).await),
        1
    );

    app.clock.advance(1);
    let sixth = app.sign_in("ada@example.com", "a wrong guess").await;
    assert_eq!(sixth.status, 401, "checked again once the lock ran out");
    assert_eq!(
        retry_after(&app.sign_in("ada@example.com", PASSWORD).await),
        2
    );

    app.clock.advance(2);
    let reply = app.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn fifteen_quiet_minutes_clear_the_count() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    for _ in 0..4 {
        assert_eq!(
            app.sign_in("ada@example.com", "a wrong guess").await.status,
            401
        );
    }

    app.clock.advance(15 * 60);
    for failure in 1..=5 {
        let reply = app.sign_in("ada@example.com", "a wrong guess").await;
        assert_eq!(reply.status, 401, "failure {failure} of a new run");
    }
    assert_eq!(
        retry_after(&app.sign_in("ada@example.com", PASSWORD).await),
        1
    );
}
