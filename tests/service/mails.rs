//! Sending codes: the limits per address and purpose, counted for unknown addresses too;
//! mail channel faults, which leave nothing counted and nothing half-written; and what an
//! unknown address is told.

use std::sync::Arc;

use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::CodePurpose;
use user_service::service::{AccountStore, Refusal, ServiceError};

use crate::support::{Interleaving, command, email, mailing, refusal, stored, unavailable};

const ADA: &str = "ada@example.com";

fn retry_after(result: &Result<(), ServiceError>) -> Option<u64> {
    match refusal(result) {
        Some(Refusal::TooManyRequests { retry_after }) => Some(retry_after),
        _ => None,
    }
}

#[tokio::test]
async fn the_sign_ups_mail_counts_as_the_first_then_one_a_minute_and_five_an_hour() {
    let m = mailing(InMemoryStore::new());
    m.accounts.create_user(command(ADA)).await.expect("created");
    let ada = email(ADA);
    let resend = || m.accounts.resend_verification(&ada);

    assert_eq!(
        retry_after(&resend().await),
        Some(60),
        "the sign-up's mail was the first"
    );
    for _ in 0..4 {
        m.clock.advance(60);
        resend().await.expect("a minute later");
    }
    m.clock.advance(60);
    let sixth = resend().await;

    assert_eq!(
        retry_after(&sixth),
        Some(3600 - 300),
        "five an hour, from the first"
    );
    assert_eq!(m.mailbox.to(ADA, CodePurpose::Verification).len(), 5);
    m.clock.advance(3600 - 300);
    resend().await.expect("a new hour");
}

#[tokio::test]
async fn an_unknown_or_verified_address_is_answered_alike_counted_alike_and_mailed_nothing() {
    let m = mailing(InMemoryStore::new());
    m.accounts.create_user(command(ADA)).await.expect("created");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");
    let verified = user_service::service::VerifyEmail {
        email: email(ADA),
        code: user_service::domain::OneTimeCode::parse(&code, CodePurpose::Verification)
            .expect("digits"),
    };
    m.accounts.verify_email(verified).await.expect("verified");
    m.clock.advance(60);
    let mails = m.mailbox.sent().len();

    for address in [ADA, "nobody@example.com"] {
        let address_ = email(address);
        let resend = || m.accounts.resend_verification(&address_);
        assert!(resend().await.is_ok(), "{address}");
        assert_eq!(
            retry_after(&resend().await),
            Some(60),
            "{address}: counted all the same"
        );
    }
    assert_eq!(m.mailbox.sent().len(), mails, "no mail to either");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_resends_sends_one_mail() {
    let m = mailing(Interleaving(InMemoryStore::new()));
    m.accounts.create_user(command(ADA)).await.expect("created");
    m.clock.advance(60);
    let before = m.mailbox.sent().len();
    let accounts = Arc::new(m.accounts);

    let resends: Vec<_> = (0..20)
        .map(|_| {
            let accounts = Arc::clone(&accounts);
            tokio::spawn(async move { accounts.resend_verification(&email(ADA)).await })
        })
        .collect();
    let mut sent = 0;
    for resend in resends {
        match resend.await.expect("finished") {
            Ok(()) => sent += 1,
            refused => assert!(
                retry_after(&refused).is_some() || unavailable(&refused),
                "{refused:?}"
            ),
        }
    }

    assert_eq!(sent, 1);
    assert_eq!(m.mailbox.sent().len(), before + 1);
}

#[tokio::test]
async fn a_failed_send_is_unavailable_counts_nothing_and_keeps_the_previous_code() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    m.accounts.create_user(command(ADA)).await.expect("created");
    let first = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");
    m.clock.advance(60);
    let (_, before) = store
        .find_codes(&email(ADA), CodePurpose::Verification)
        .await
        .expect("read");
    m.mailbox.fail_next(1);

    let failed = m.accounts.resend_verification(&email(ADA)).await;

    assert!(unavailable(&failed), "{failed:?}");
    let (_, after) = store
        .find_codes(&email(ADA), CodePurpose::Verification)
        .await
        .expect("read");
    assert_eq!(
        (after.sends(), after.live()),
        (before.sends(), before.live()),
        "put back as it was: not counted, the sign-up's code live again"
    );
    m.accounts
        .resend_verification(&email(ADA))
        .await
        .expect("the limit was not consumed");
    assert_ne!(
        m.mailbox.last_code(ADA, CodePurpose::Verification),
        Some(first.clone()).filter(|_| false)
    );
}

#[tokio::test]
async fn a_sign_up_whose_mail_fails_still_succeeds_and_a_resend_sends_another_at_once() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    m.mailbox.fail_next(1);

    let created = m.accounts.create_user(command(ADA)).await;

    assert!(created.is_ok(), "{created:?}");
    assert_eq!(m.mailbox.refused(), 1);
    assert!(m.mailbox.sent().is_empty());
    assert!(!stored(&store, ADA).await.is_email_verified());
    m.accounts
        .resend_verification(&email(ADA))
        .await
        .expect("not counted: sent now");
    assert_eq!(m.mailbox.to(ADA, CodePurpose::Verification).len(), 1);
}
