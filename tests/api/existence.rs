//! Whether an address has an account (issue 16): with `PREVENT_USER_EXISTENCE_ERRORS`, the
//! routes that check a password by address answer an unknown one exactly as a wrong password,
//! and the lockout treats both alike, so a burst ends in 429 either way. (Timing is measured in
//! `make bench`, never in a timed test.) Sign-up's 409 stays, as Cognito's does.

use serde_json::json;

use crate::common::{PASSWORD, app_preventing_existence_errors, credentials, in_memory_app, paths};
use user_service::adapters::in_memory::InMemoryStore;

#[tokio::test]
async fn an_unknown_address_is_answered_exactly_as_a_wrong_password() {
    let store = InMemoryStore::new();
    let app = app_preventing_existence_errors(store.clone());
    app.given_active_user("ada@example.com").await;

    for path in [paths::SIGN_IN, paths::ACTIVATE, paths::DEACTIVATE] {
        let unknown = app
            .post(path, &credentials("nobody@example.com", PASSWORD))
            .await;
        let wrong = app
            .post(path, &credentials("ada@example.com", "not the password"))
            .await;

        assert_eq!(unknown.status, 401, "{path}: {}", unknown.text);
        assert_eq!(unknown.json, wrong.json, "{path}: the same body");
        assert_eq!(unknown.headers, wrong.headers, "{path}: the same headers");
    }
    assert!(
        store
            .accounts()
            .iter()
            .all(|user| user.email().as_ref() != "nobody@example.com"),
        "no account was made for the unknown address"
    );
}

#[tokio::test]
async fn a_burst_against_an_unknown_address_is_locked_out_like_one_against_an_account() {
    let app = app_preventing_existence_errors(InMemoryStore::new());
    app.given_active_user("ada@example.com").await;

    for address in ["ada@example.com", "nobody@example.com"] {
        for failure in 1..=5 {
            let reply = app.sign_in(address, "a wrong guess").await;
            assert_eq!(reply.status, 401, "{address}, failure {failure}");
        }
        let locked = app.sign_in(address, PASSWORD).await;
        assert_eq!(
            (locked.status, locked.error_code()),
            (429, "TooManyAttempts"),
            "{address}"
        );
        assert_eq!(locked.headers["retry-after"], "1", "{address}");
    }
}

#[tokio::test]
async fn an_address_that_was_guessed_at_can_still_sign_up_and_starts_clean() {
    let app = app_preventing_existence_errors(InMemoryStore::new());
    for _ in 0..3 {
        app.sign_in("grace@example.com", "a guess").await;
    }

    let created = app.sign_up("grace@example.com").await;

    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(
        app.activate("grace@example.com", PASSWORD).await.status,
        200
    );
    for failure in 1..=5 {
        let reply = app.sign_in("grace@example.com", "still a guess").await;
        assert_eq!(
            reply.status, 401,
            "failure {failure}: the guesses before sign-up are gone"
        );
    }
}

#[tokio::test]
async fn by_default_an_unknown_address_is_a_404_and_sign_up_still_says_taken() {
    let (app, _) = in_memory_app();
    app.given_user("ada@example.com").await;

    let unknown = app.sign_in("nobody@example.com", PASSWORD).await;
    assert_eq!(
        (unknown.status, unknown.error_code()),
        (404, "UserNotFound")
    );
    let preventing = app_preventing_existence_errors(InMemoryStore::new());
    preventing.given_user("ada@example.com").await;
    for app in [app, preventing] {
        let taken = app
            .post(
                paths::SIGN_UP,
                &json!({"name": "Eve", "surname": "E",
            "email": "ada@example.com", "password": "an impostor password"}),
            )
            .await;
        assert_eq!((taken.status, taken.error_code()), (409, "EmailTaken"));
    }
}
