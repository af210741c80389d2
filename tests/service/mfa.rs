//! The second factor under a burst and across a key rotation: a code signs in once however
//! many race with it, wrong codes are counted however many arrive at once, and secrets stay
//! sealed and readable as their key rotates.

use std::sync::Arc;

use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{CodePurpose, MfaToken, OneTimeCode, Password, TotpCode, TotpSecret};
use user_service::service::{
    AccountStore, Accounts, Bearer, Refusal, SecondFactorProof, SignIn, TotpKeys, TotpSettings,
    VerifyEmail,
};

use crate::common::totp::code_at;
use crate::common::{PASSWORD, TOTP_ISSUER, TOTP_KEY};
use crate::support::{
    Interleaving, Mailing, command, credentials, email, mailing, refusal, stored, unavailable,
};

const ADA: &str = "ada@example.com";

fn password() -> Password {
    Password::parse(PASSWORD.to_owned()).expect("valid")
}

/// Ada, verified and active, with TOTP confirmed: the secret her app holds.
pub async fn with_totp<S: AccountStore>(m: &Mailing<S>) -> TotpSecret {
    let (secret, bearer) = enrolled(m).await;
    let code = TotpCode::parse(&code_at(&secret, m.clock.now())).expect("6 digits");
    m.accounts
        .confirm_totp(&bearer, code)
        .await
        .expect("confirmed");
    m.clock.advance(30);
    secret
}

/// Ada, verified and active, with an enrolment waiting for its code: the secret, and the
/// bearer her session's access token makes.
pub async fn enrolled<S: AccountStore>(m: &Mailing<S>) -> (TotpSecret, Bearer) {
    m.accounts.create_user(command(ADA)).await.expect("created");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::Verification)
        .expect("mailed");
    let code = OneTimeCode::parse(&code, CodePurpose::Verification).expect("digits");
    let verify = VerifyEmail {
        email: email(ADA),
        code,
    };
    m.accounts.verify_email(verify).await.expect("verified");
    m.accounts
        .activate(credentials(ADA, PASSWORD))
        .await
        .expect("active");
    let signed_in = m
        .accounts
        .sign_in(credentials(ADA, PASSWORD))
        .await
        .expect("signed in");
    let access = signed_in
        .complete()
        .expect("no second factor yet")
        .tokens
        .access;
    let bearer = m
        .accounts
        .authenticate_bearer(access.reveal())
        .expect("a bearer");
    let enrolment = m
        .accounts
        .enrol_totp(&bearer, password())
        .await
        .expect("enrolled");
    let bytes = totp_rs::Secret::try_from_base32(&enrolment.secret).expect("Base32");
    let secret = TotpSecret::from_bytes(bytes.as_ref()).expect("20 bytes");
    (secret, bearer)
}

pub async fn challenge<S: AccountStore>(accounts: &Accounts<S>) -> MfaToken {
    match accounts.sign_in(credentials(ADA, PASSWORD)).await {
        Ok(SignIn::SecondFactor { mfa_token, .. }) => mfa_token,
        other => panic!("no challenge: {other:?}"),
    }
}

pub fn totp(code: &str) -> SecondFactorProof {
    SecondFactorProof::Totp(TotpCode::parse(code).expect("6 digits"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_a_burst_with_one_right_code_exactly_one_signs_in() {
    let store = InMemoryStore::new();
    let m = mailing(Interleaving(store.clone()));
    let secret = with_totp(&m).await;
    let token = challenge(&m.accounts).await;
    let code = code_at(&secret, m.clock.now());
    let accounts = Arc::new(m.accounts);

    let burst: Vec<_> = (0..8)
        .map(|_| {
            let (accounts, token, code) = (Arc::clone(&accounts), token.clone(), code.clone());
            tokio::spawn(async move { accounts.sign_in_mfa(token, totp(&code)).await })
        })
        .collect();
    let mut signed_in = 0;
    for answer in burst {
        match answer.await.expect("finished") {
            Ok(_) => signed_in += 1,
            refused => assert!(
                matches!(
                    refusal(&refused),
                    Some(Refusal::InvalidMfaToken | Refusal::WrongSecondFactor)
                ) || unavailable(&refused),
                "{refused:?}"
            ),
        }
    }

    assert_eq!(signed_in, 1);
    let user = stored(&store, ADA).await;
    assert_eq!(
        store.sessions_of(user.id()).await.expect("readable").len(),
        3,
        "the first sign-in's, the confirmation's and this one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_a_burst_of_wrong_codes_no_more_are_compared_than_the_challenge_allows_and_each_counts()
{
    let store = InMemoryStore::new();
    let m = mailing(Interleaving(store.clone()));
    let secret = with_totp(&m).await;
    let token = challenge(&m.accounts).await;
    let accounts = Arc::new(m.accounts);
    let now = m.clock.now();

    let burst: Vec<_> = (0..12u64)
        .map(|i| {
            let (accounts, token) = (Arc::clone(&accounts), token.clone());
            let wrong = code_at(&secret, now + 3600 + i * 30);
            tokio::spawn(async move { accounts.sign_in_mfa(token, totp(&wrong)).await })
        })
        .collect();
    let mut compared = 0;
    for answer in burst {
        let answer = answer.await.expect("finished");
        match refusal(&answer) {
            Some(Refusal::WrongSecondFactor) => compared += 1,
            Some(Refusal::InvalidMfaToken | Refusal::Locked { .. }) => {}
            _ => assert!(unavailable(&answer), "{answer:?}"),
        }
    }

    assert!(compared <= 5, "{compared} codes compared");
    let failures = stored(&store, ADA).await.failures().current(m.clock.now());
    assert_eq!(
        failures,
        1 + compared,
        "the sign-in's check and every code compared"
    );
}

#[tokio::test]
async fn a_secret_sealed_under_a_previous_key_still_signs_in_and_is_sealed_anew() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let secret = with_totp(&m).await;
    let sealed_before = stored(&store, ADA)
        .await
        .second_factor()
        .totp()
        .cloned()
        .expect("sealed");
    let new_key = "a-newer-test-totp-key-of-at-least-32-bytes";
    let rotated = TotpKeys::parse(&format!(
        r#"{{"current": "{new_key}", "previous": ["{TOTP_KEY}"]}}"#
    ))
    .expect("valid keys");
    let accounts = m.accounts.with_totp(TotpSettings {
        keys: rotated,
        issuer: TOTP_ISSUER.to_owned(),
    });

    let token = challenge(&accounts).await;
    let signed_in = accounts
        .sign_in_mfa(token, totp(&code_at(&secret, m.clock.now())))
        .await;

    assert!(signed_in.is_ok(), "{signed_in:?}");
    let user = stored(&store, ADA).await;
    let sealed = user.second_factor().totp().expect("still sealed");
    assert_ne!(sealed, &sealed_before, "sealed anew");
    let only_new = TotpKeys::parse(new_key).expect("valid key");
    let (opened, stale) = only_new
        .open(sealed, user.id())
        .expect("opens under the new key alone");
    assert_eq!((opened, stale), (secret, false));
    assert!(
        only_new.open(&sealed_before, user.id()).is_err(),
        "the old value needed the old key"
    );
}

#[tokio::test]
async fn an_enrolment_sealed_under_a_previous_key_is_sealed_anew_when_confirmed() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let (secret, bearer) = enrolled(&m).await;
    let accounts = m.accounts.with_totp(TotpSettings {
        keys: TotpKeys::parse(&format!(
            r#"{{"current": "{NEW_KEY}", "previous": ["{TOTP_KEY}"]}}"#
        ))
        .expect("valid keys"),
        issuer: TOTP_ISSUER.to_owned(),
    });

    let code = TotpCode::parse(&code_at(&secret, m.clock.now())).expect("6 digits");
    accounts
        .confirm_totp(&bearer, code)
        .await
        .expect("confirmed");

    let user = stored(&store, ADA).await;
    let sealed = user.second_factor().totp().expect("sealed");
    let only_new = TotpKeys::parse(NEW_KEY).expect("valid key");
    assert!(
        only_new.open(sealed, user.id()).is_ok(),
        "under the current key"
    );
}

const NEW_KEY: &str = "a-newer-test-totp-key-of-at-least-32-bytes";

#[tokio::test]
async fn a_table_holds_no_secret_and_no_recovery_code_in_clear() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let secret = with_totp(&m).await;
    let user = stored(&store, ADA).await;
    let factor = user.second_factor();
    let sealed = factor.totp().expect("sealed").bytes();
    assert!(!sealed.windows(20).any(|w| w == secret.expose()));
    assert!(!String::from_utf8_lossy(sealed).contains(&secret.base32()));
    let other_keys = TotpKeys::parse("another-test-totp-key-of-at-least-32-bytes").expect("valid");
    assert!(
        other_keys
            .open(factor.totp().expect("sealed"), user.id())
            .is_err()
    );
    assert_eq!(factor.recovery().len(), 10);
}
