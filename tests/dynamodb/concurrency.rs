//! Races: uniqueness and version checks must hold with many writers at once.

use serde_json::Value;

use crate::common::dynamodb::Local;
use crate::common::{PASSWORD, credentials, sign_up_body};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_25_concurrent_sign_ups_with_one_email_exactly_one_wins() {
    let local = Local::new().await;
    let app = local.app();

    let tasks: Vec<_> = (0..25)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut body = sign_up_body("race@example.com");
                body["name"] = Value::from(format!("Racer {i}"));
                body["password"] = Value::from(format!("password of racer {i}"));
                (i, app.post("/user/", &body).await)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        let (i, reply) = task.await.expect("task finished");
        match reply.status {
            200 => winners.push(i),
            409 => assert_eq!(reply.error_code(), "EmailTaken"),
            other => panic!("racer {i} got {other}: {}", reply.text),
        }
    }

    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    assert_eq!(
        local.item_count().await,
        3,
        "one e-mail item, one id item and the address's verification code record"
    );
    let winner = winners[0];
    let own = credentials("race@example.com", &format!("password of racer {winner}"));
    assert_eq!(app.post("/user/activate/", &own).await.status, 200);
    let other = credentials(
        "race@example.com",
        &format!("password of racer {}", (winner + 1) % 25),
    );
    assert_eq!(app.post("/user/activate/", &other).await.status, 401);
}

#[tokio::test]
async fn a_duplicate_sign_up_leaves_the_first_accounts_password_working() {
    let local = Local::new().await;
    let app = local.app();
    app.sign_up("ada@example.com").await;
    let mut impostor = sign_up_body("ADA@EXAMPLE.COM");
    impostor["password"] = Value::from("the impostor's password");

    assert_eq!(app.post("/user/", &impostor).await.status, 409);

    let original = credentials("ada@example.com", PASSWORD);
    assert_eq!(app.post("/user/activate/", &original).await.status, 200);
    let stolen = credentials("ada@example.com", "the impostor's password");
    assert_eq!(app.post("/user/signin/", &stolen).await.status, 401);
    assert_eq!(local.item_count().await, 3, "and no code for the impostor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_activations_and_deactivations_never_lose_or_corrupt_a_write() {
    let local = Local::new().await;
    let app = local.app();
    let created = app.given_active_user("ada@example.com").await;
    local.calls.take();

    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let path = if i % 2 == 0 {
                    "/user/deactivate/"
                } else {
                    "/user/activate/"
                };
                app.post(path, &credentials("ada@example.com", PASSWORD))
                    .await
            })
        })
        .collect();
    for task in tasks {
        let reply = task.await.expect("task finished");
        // 429: the guard counts each password check before it runs, so a burst of them (right
        // or wrong, it cannot know yet) is held to the lockout's schedule like any other.
        assert!(
            reply.status == 200
                || ["ServiceUnavailable", "TooManyAttempts"].contains(&reply.error_code()),
            "{}",
            reply.text
        );
    }

    let writes = local.calls.succeeded_versioned("TransactWriteItems");
    let stored = local.store();
    let email = user_service::domain::Email::parse("ada@example.com").expect("valid");
    let user = user_service::service::AccountStore::find_by_email(&stored, &email)
        .await
        .expect("readable")
        .expect("well-formed");
    assert_eq!(user.id().to_string(), created["id"].as_str().expect("id"));
    assert_eq!(
        user.version(),
        2 + writes as u64,
        "creation and activation, then one version per successful write: none was lost"
    );
    assert!(writes > 0, "the race did write");
    assert_eq!(local.item_count().await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_8_concurrent_refreshes_with_one_token_exactly_one_succeeds() {
    let local = Local::new().await;
    let app = local.app();
    let signed_in = app.given_session("ada@example.com").await;
    let token = signed_in["refresh_token"]
        .as_str()
        .expect("token")
        .to_owned();

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (app, token) = (app.clone(), token.clone());
            tokio::spawn(async move { app.refresh(&token).await })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        let reply = task.await.expect("task finished");
        match reply.status {
            200 => winners.push(reply.json),
            401 => assert_eq!(reply.error_code(), "InvalidToken"),
            other => panic!("got {other}: {}", reply.text),
        }
    }

    assert_eq!(winners.len(), 1, "{winners:?}");
    let next = winners[0]["refresh_token"].as_str().expect("token");
    assert_eq!(
        app.refresh(next).await.status,
        200,
        "the losers were refused quietly (within grace): the winner's token lives on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_20_accounts_moving_to_one_address_exactly_one_wins_and_no_item_is_orphaned() {
    let local = Local::new().await;
    // Codes that outlive the requests: the new address takes five mails an hour.
    let document = crate::common::signing_document(crate::common::KEY_A, None, None);
    let app = crate::common::app_configured(local.store(), &document, |accounts| {
        accounts.with_code_lifetimes(user_service::service::CodeLifetimes {
            verification: 86_400,
            reset: 86_400,
        })
    });
    let mut sessions = Vec::new();
    for i in 0..20 {
        let session = app.given_session(&format!("racer{i}@example.com")).await;
        let body = serde_json::json!({"password": PASSWORD, "new_email": "prize@example.com"});
        let access = session["access_token"]
            .as_str()
            .expect("a token")
            .to_owned();
        let requested = app
            .post_as(crate::common::paths::EMAIL, &access, &body)
            .await;
        assert_eq!(requested.status, 202, "{}", requested.text);
        let purpose = user_service::domain::CodePurpose::EmailChange;
        sessions.push(app.code_sent("prize@example.com", purpose));
        app.clock.advance(720);
    }
    // Access tokens live 15 minutes: each racer signs in again (a session more each).
    let mut racers = Vec::new();
    for (i, code) in sessions.into_iter().enumerate() {
        let session = app.given_session(&format!("racer{i}@example.com")).await;
        racers.push((
            session["access_token"]
                .as_str()
                .expect("a token")
                .to_owned(),
            code,
        ));
    }
    let before = local.item_count().await;
    assert_eq!(
        before,
        20 * 6 + 1,
        "an e-mail item, an id item, two code records and two sessions each; the prize's record"
    );

    let tasks: Vec<_> = racers
        .into_iter()
        .map(|(access, code)| {
            let app = app.clone();
            tokio::spawn(async move {
                let body = serde_json::json!({"code": code});
                app.post_as(crate::common::paths::EMAIL_CONFIRM, &access, &body)
                    .await
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        let reply = task.await.expect("task finished");
        match reply.status {
            200 => winners.push(reply.json["id"].clone()),
            409 => assert_eq!(reply.error_code(), "EmailTaken"),
            other => panic!("got {other}: {}", reply.text),
        }
    }

    assert_eq!(winners.len(), 1, "{winners:?}");
    assert_eq!(
        local.item_count().await,
        before,
        "moved, not copied: nothing orphaned"
    );
    let prize = app.sign_in("prize@example.com", PASSWORD).await;
    assert_eq!(prize.json["id"], winners[0]);
}

/// Of `guesses` wrong passwords sent at once to one account, spread over every route that
/// checks a password by credentials (with and without the trailing slash), how many were
/// checked (401) and how many refused unchecked (429).
async fn burst_of_wrong_passwords(guesses: usize) -> (usize, usize, Local) {
    let local = Local::new().await;
    let app = local.app();
    app.given_active_user("ada@example.com").await;
    let routes = [
        "/user/signin/",
        "/user/activate",
        "/user/deactivate/",
        "/user/signin",
    ];
    let tasks: Vec<_> = (0..guesses)
        .map(|i| {
            let app = app.clone();
            let body = credentials("ada@example.com", &format!("wrong guess {i}"));
            tokio::spawn(async move { app.post(routes[i % routes.len()], &body).await })
        })
        .collect();
    let (mut checked, mut refused) = (0, 0);
    for task in tasks {
        let reply = task.await.expect("finished");
        match reply.status {
            401 => checked += 1,
            429 => refused += 1,
            other => panic!("{other}: {}", reply.text),
        }
    }
    (checked, refused, local)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn of_64_concurrent_wrong_passwords_at_most_8_are_checked_and_the_rest_locked_out() {
    let (checked, refused, _) = burst_of_wrong_passwords(64).await;

    assert!(
        checked <= 8,
        "{checked} guesses were checked, {refused} refused"
    );
    assert!(checked >= 1, "the first guesses are checked");
    assert_eq!(checked + refused, 64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_twenty_simultaneous_wrong_passwords_every_checked_one_counts_once() {
    let local = Local::new().await;
    let app = local.app();
    app.given_active_user("ada@example.com").await;

    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                app.sign_in("ada@example.com", &format!("wrong guess {i}"))
                    .await
            })
        })
        .collect();
    let mut checked = 0;
    for task in tasks {
        match task.await.expect("finished").status {
            401 => checked += 1,
            // Arrived once five failures were recorded: refused unchecked, so not counted.
            429 => {}
            other => panic!("{other}"),
        }
    }
    assert!(checked >= 5, "{checked}");

    let item = local
        .client
        .get_item()
        .table_name(&local.table)
        .key(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S("EMAIL#ada@example.com".into()),
        )
        .consistent_read(true)
        .send()
        .await
        .expect("readable")
        .item
        .expect("present");
    let counted = item
        .get("failed_attempts")
        .and_then(|n| n.as_n().ok())
        .cloned();
    assert_eq!(
        counted,
        Some(checked.to_string()),
        "every checked failure counted exactly once, none lost to a race"
    );
}
