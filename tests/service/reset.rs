//! Password reset in the service layer: the code is used once however many race with it, and
//! the attempt counts of the two purposes are apart.

use std::sync::Arc;

use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{CodePurpose, OneTimeCode, PasswordPolicy};
use user_service::service::{Refusal, ResetPassword};

use crate::support::{Interleaving, email, given_account, mailing, refusal, stored};

const ADA: &str = "ada@example.com";

fn reset(code: &str, new: &str) -> ResetPassword {
    ResetPassword {
        email: email(ADA),
        code: OneTimeCode::parse(code, CodePurpose::PasswordReset).expect("8 digits"),
        new_password: PasswordPolicy::default()
            .parse(new.to_owned())
            .expect("valid"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_resets_with_the_right_code_exactly_one_sets_its_password() {
    let store = InMemoryStore::new();
    given_account(&store, ADA, true).await;
    let m = mailing(Interleaving(store.clone()));
    m.accounts
        .forgot_password(&email(ADA))
        .await
        .expect("mailed");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::PasswordReset)
        .expect("a mail");
    let before = stored(&store, ADA).await;
    let accounts = Arc::new(m.accounts);

    let resets: Vec<_> = (0..6)
        .map(|i| {
            let (accounts, code) = (Arc::clone(&accounts), code.clone());
            tokio::spawn(async move {
                accounts
                    .reset_password(reset(&code, &format!("the passphrase of racer {i}")))
                    .await
            })
        })
        .collect();
    let mut succeeded = 0;
    for result in resets {
        match result.await.expect("finished") {
            Ok(()) => succeeded += 1,
            refused => assert!(
                matches!(
                    refusal(&refused),
                    Some(Refusal::InvalidCode | Refusal::Locked { .. })
                ),
                "{refused:?}"
            ),
        }
    }

    assert_eq!(succeeded, 1);
    let after = stored(&store, ADA).await;
    assert_eq!(after.version(), before.version() + 1, "one reset landed");
    assert_eq!(after.session_epoch(), before.session_epoch() + 1);
}

#[tokio::test]
async fn wrong_reset_codes_do_not_count_against_verification() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    m.accounts
        .create_user(crate::support::command(ADA))
        .await
        .expect("created");
    let verification = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("a mail");
    m.accounts
        .forgot_password(&email(ADA))
        .await
        .expect("mailed");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::PasswordReset)
        .expect("a mail");
    let wrong = crate::support::other_than(&code);

    for _ in 0..10 {
        let result = m
            .accounts
            .reset_password(reset(&wrong, "a new passphrase"))
            .await;
        assert_eq!(refusal(&result), Some(Refusal::InvalidCode));
    }
    let locked = m
        .accounts
        .reset_password(reset(&code, "a new passphrase"))
        .await;
    assert!(
        matches!(refusal(&locked), Some(Refusal::Locked { .. })),
        "{locked:?}"
    );

    let verified = user_service::service::VerifyEmail {
        email: email(ADA),
        code: OneTimeCode::parse(&verification, CodePurpose::Verification).expect("digits"),
    };
    m.accounts
        .verify_email(verified)
        .await
        .expect("verification is counted apart");
}
