//! `REQUIRE_VERIFIED_EMAIL=true`: sign-in and activation need a verified address, and say so
//! last, after every other answer they can give: locked (429) → password (401) → inactive
//! (400 `UserInactive`, sign-in only) → unverified (400 `EmailNotVerified`).

use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{CodePurpose, FREE_FAILURES, OneTimeCode};
use user_service::service::{Refusal, VerifyEmail};

use crate::common::PASSWORD;
use crate::support::{credentials, email, given_account, mailing, refusal};

const ADA: &str = "ada@example.com";

#[tokio::test]
async fn an_unverified_account_is_refused_last_of_all_answers() {
    let store = InMemoryStore::new();
    given_account(&store, ADA, true).await;
    given_account(&store, "inactive@example.com", false).await;
    let m = mailing(store.clone());
    let accounts = m.accounts.requiring_verified_email(true);

    let sign_in = |address: &'static str, password: &'static str| {
        accounts.sign_in(credentials(address, password))
    };
    let cases = [
        (
            "the right password",
            sign_in(ADA, PASSWORD).await.map(drop),
            Refusal::EmailNotVerified,
        ),
        (
            "a wrong one",
            sign_in(ADA, "not the password").await.map(drop),
            Refusal::WrongPassword,
        ),
        (
            "inactive and unverified",
            sign_in("inactive@example.com", PASSWORD).await.map(drop),
            Refusal::NotActivated,
        ),
        (
            "activating an unverified account",
            accounts
                .activate(credentials("inactive@example.com", PASSWORD))
                .await
                .map(drop),
            Refusal::EmailNotVerified,
        ),
    ];
    for (why, result, expected) in cases {
        assert_eq!(refusal(&result), Some(expected), "{why}: {result:?}");
    }
    for _ in 0..FREE_FAILURES {
        let _ = sign_in(ADA, "not the password").await;
    }
    let locked = sign_in(ADA, PASSWORD).await;
    assert!(
        matches!(refusal(&locked), Some(Refusal::Locked { .. })),
        "{locked:?}"
    );
}

#[tokio::test]
async fn a_verified_account_signs_in_and_activates() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let accounts = m.accounts.requiring_verified_email(true);
    accounts
        .create_user(crate::support::command(ADA))
        .await
        .expect("created");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");
    let code = OneTimeCode::parse(&code, CodePurpose::Verification).expect("digits");

    accounts
        .verify_email(VerifyEmail {
            email: email(ADA),
            code,
        })
        .await
        .expect("verified");

    accounts
        .activate(credentials(ADA, PASSWORD))
        .await
        .expect("activated");
    accounts
        .sign_in(credentials(ADA, PASSWORD))
        .await
        .expect("signed in");
}
