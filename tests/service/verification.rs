//! Verifying an address with the code mailed at sign-up (or resent): every way a code is
//! refused, tries counted before any answer, concurrency, and the answers for unknown
//! addresses.

use std::sync::Arc;

use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{CodePurpose, OneTimeCode, TRIES_PER_CODE, WRONG_CODES_PER_DAY};
use user_service::service::{AccountStore, Refusal, VerifyEmail};

use crate::common::PASSWORD;
use crate::support::{
    Interleaving, Mailing, command, credentials, email, mailing, other_than, refusal, stored,
};

const ADA: &str = "ada@example.com";

async fn signed_up(m: &Mailing<InMemoryStore>, address: &str) -> String {
    m.accounts
        .create_user(command(address))
        .await
        .expect("created");
    m.mailbox
        .last_code(address, CodePurpose::Verification)
        .expect("a verification mail")
}

fn verify(address: &str, code: &str) -> VerifyEmail {
    VerifyEmail {
        email: email(address),
        code: OneTimeCode::parse(code, CodePurpose::Verification).expect("six digits"),
    }
}

#[tokio::test]
async fn a_sign_up_mails_a_six_digit_code_that_verifies_the_address() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());

    let code = signed_up(&m, ADA).await;
    assert!(!stored(&store, ADA).await.is_email_verified());
    let verified = m.accounts.verify_email(verify(ADA, &code)).await;

    assert!(verified.expect("verified").is_email_verified());
    assert!(stored(&store, ADA).await.is_email_verified());
    assert_eq!(code.len(), 6);
    let mails = m.mailbox.sent();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        (mails[0].purpose, mails[0].valid_for_seconds),
        (CodePurpose::Verification, 86_400)
    );
}

#[tokio::test]
async fn wrong_expired_used_and_voided_codes_are_refused_alike() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let code = signed_up(&m, ADA).await;

    let wrong = m
        .accounts
        .verify_email(verify(ADA, &other_than(&code)))
        .await;
    assert_eq!(refusal(&wrong), Some(Refusal::InvalidCode), "wrong");
    m.accounts
        .verify_email(verify(ADA, &code))
        .await
        .expect("still the right one");
    let used = m.accounts.verify_email(verify(ADA, &code)).await;
    assert_eq!(refusal(&used), Some(Refusal::InvalidCode), "used");

    let grace = "grace@example.com";
    let first = signed_up(&m, grace).await;
    m.clock.advance(60);
    m.accounts
        .resend_verification(&email(grace))
        .await
        .expect("resent");
    let second = m
        .mailbox
        .last_code(grace, CodePurpose::Verification)
        .expect("a mail");
    let voided = m.accounts.verify_email(verify(grace, &first)).await;
    assert!(
        first == second || refusal(&voided) == Some(Refusal::InvalidCode),
        "voided"
    );

    m.clock.advance(86_400);
    let expired = m.accounts.verify_email(verify(grace, &second)).await;
    assert_eq!(refusal(&expired), Some(Refusal::InvalidCode), "expired");
    assert!(!stored(&store, grace).await.is_email_verified());
}

#[tokio::test]
async fn five_wrong_tries_void_the_code() {
    let m = mailing(InMemoryStore::new());
    let code = signed_up(&m, ADA).await;

    for _ in 0..TRIES_PER_CODE {
        let wrong = m
            .accounts
            .verify_email(verify(ADA, &other_than(&code)))
            .await;
        assert_eq!(refusal(&wrong), Some(Refusal::InvalidCode));
    }
    let right = m.accounts.verify_email(verify(ADA, &code)).await;

    assert_eq!(
        refusal(&right),
        Some(Refusal::InvalidCode),
        "the code is void"
    );
}

#[tokio::test]
async fn ten_wrong_codes_lock_verification_for_the_rest_of_the_day_and_nothing_else() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let code = signed_up(&m, ADA).await;
    for _ in 0..WRONG_CODES_PER_DAY {
        let wrong = m
            .accounts
            .verify_email(verify(ADA, &other_than(&code)))
            .await;
        assert_eq!(refusal(&wrong), Some(Refusal::InvalidCode));
    }
    m.clock.advance(3600);
    m.accounts
        .resend_verification(&email(ADA))
        .await
        .expect("resent");
    let fresh = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");

    let locked = m.accounts.verify_email(verify(ADA, &fresh)).await;

    let until_tomorrow = 86_400 - 3600;
    assert_eq!(
        refusal(&locked),
        Some(Refusal::Locked {
            retry_after: until_tomorrow
        })
    );
    let sign_in = m.accounts.activate(credentials(ADA, PASSWORD)).await;
    assert!(
        sign_in.is_ok(),
        "wrong codes never touch the password lockout: {sign_in:?}"
    );
    assert_eq!(
        stored(&store, ADA)
            .await
            .failures()
            .current(m.clock.clock().now()),
        0
    );
    m.clock.advance(until_tomorrow);
    m.accounts
        .resend_verification(&email(ADA))
        .await
        .expect("resent");
    let tomorrow = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");
    m.accounts
        .verify_email(verify(ADA, &tomorrow))
        .await
        .expect("the day is over");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_uses_of_the_right_code_exactly_one_succeeds() {
    let store = InMemoryStore::new();
    let m = mailing(Interleaving(store.clone()));
    m.accounts.create_user(command(ADA)).await.expect("created");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");
    let accounts = Arc::new(m.accounts);

    let uses: Vec<_> = (0..8)
        .map(|_| {
            let (accounts, code) = (Arc::clone(&accounts), code.clone());
            tokio::spawn(async move { accounts.verify_email(verify(ADA, &code)).await })
        })
        .collect();
    let mut succeeded = 0;
    for used in uses {
        match used.await.expect("finished") {
            Ok(_) => succeeded += 1,
            Err(error) => assert!(
                matches!(
                    refusal(&Err::<(), _>(error)),
                    Some(Refusal::InvalidCode | Refusal::Locked { .. })
                ),
                "refused as used, or as a burst"
            ),
        }
    }

    assert_eq!(succeeded, 1);
    assert!(stored(&store, ADA).await.is_email_verified());
}

/// The attack the tries are counted for: a burst of guesses, all reading the code before
/// any try is written. Were a try counted only after its answer, every guess of the burst
/// would be decided against the live code (and ten thousand guesses in a burst would make
/// a six-digit code a one-in-a-hundred bet).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_100_guesses_is_answered_only_as_far_as_its_tries_are_counted() {
    let store = InMemoryStore::new();
    let m = mailing(Interleaving(store.clone()));
    m.accounts.create_user(command(ADA)).await.expect("created");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");
    let commits = store.commits();
    let accounts = Arc::new(m.accounts);

    let guesses: Vec<_> = (0..100)
        .map(|i| {
            let accounts = Arc::clone(&accounts);
            let guess = format!(
                "{:06}",
                (code.parse::<u32>().expect("digits") + 1 + i) % 1_000_000
            );
            tokio::spawn(async move { accounts.verify_email(verify(ADA, &guess)).await })
        })
        .collect();
    let mut answers = std::collections::BTreeMap::new();
    for guess in guesses {
        let answer = guess.await.expect("finished");
        let name = match refusal(&answer) {
            Some(Refusal::InvalidCode) => "InvalidCode",
            Some(Refusal::Locked { .. }) => "TooManyAttempts",
            _ => panic!("{answer:?}"),
        };
        *answers.entry(name).or_insert(0) += 1;
    }

    let counted = store.commits() - commits;
    assert_eq!(
        answers.get("InvalidCode").copied().unwrap_or(0),
        counted,
        "{answers:?}"
    );
    assert!(
        counted <= WRONG_CODES_PER_DAY as usize,
        "{counted} tries counted: {answers:?}"
    );
    let (_, record) = (store.find_codes(&email(ADA), CodePurpose::Verification))
        .await
        .expect("readable");
    let against_the_code = counted.min(TRIES_PER_CODE as usize);
    assert_eq!(
        record
            .live()
            .map_or(TRIES_PER_CODE as usize, |live| live.tries as usize),
        against_the_code,
        "no more than five were decided against the code: {answers:?}"
    );
}
