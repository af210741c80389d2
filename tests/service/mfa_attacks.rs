//! Attacks on the lockout's bound on second-factor guesses, from the security review of the
//! second factor: racing several challenges past a lock, guessing a pending enrolment's codes
//! with an access token, and a mailbox resetting the count. Each failed on the first version.

use std::sync::{Arc, Mutex};

use tokio::sync::Notify;
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{
    ChallengeId, CodePurpose, Email, MfaChallenge, OneTimeCode, PasswordPolicy, TotpCode,
};
use user_service::service::{
    AccountStore, AtAddress, Change, CommitError, Refusal, ResetPassword, StoreError,
};

use crate::common::totp::code_at;
use crate::mfa::{challenge, enrolled, totp, with_totp};
use crate::support::{credentials, email, mailing, refusal, stored};

const ADA: &str = "ada@example.com";

/// The in-memory store, except that the first read of one chosen challenge stops after the
/// read until the test opens the gate: a request that read the account unlocked is held back
/// while others run, as a slow Lambda invocation would be.
#[derive(Clone)]
struct Gated {
    inner: InMemoryStore,
    gate: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    target: Mutex<Option<ChallengeId>>,
    read: Notify,
    open: Notify,
}

impl AccountStore for Gated {
    crate::common::delegate::delegate!(inner; find_at, find_codes, find_session, sessions_of, find_by_id, accounts, events_of, find_sessions_of);

    async fn find_challenge(
        &self,
        email: &Email,
        id: ChallengeId,
    ) -> Result<(AtAddress, Option<MfaChallenge>), StoreError> {
        let read = self.inner.find_challenge(email, id).await;
        let held = {
            let mut target = self.gate.target.lock().expect("lock");
            (*target == Some(id)).then(|| target.take()).is_some()
        };
        if held {
            self.gate.read.notify_one();
            self.gate.open.notified().await;
        }
        read
    }

    async fn commit(&self, changes: Vec<Change>) -> Result<(), CommitError> {
        self.inner.commit(changes).await
    }
}

/// A right code whose request read the account before the lock must not sign in once wrong
/// codes (on another challenge of the same account) have locked it: otherwise every live
/// challenge buys one more guess per unlocked moment, and K challenges raced together test K
/// codes for the price of one count. `sign_in_mfa`'s success write is conditioned on the
/// account's version only, not on its failure count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_right_code_read_before_the_lock_does_not_sign_in_after_it() {
    let store = InMemoryStore::new();
    let gate = Arc::new(Gate::default());
    let m = mailing(Gated {
        inner: store.clone(),
        gate: Arc::clone(&gate),
    });
    let secret = with_totp(&m).await;
    let now = m.clock.now();
    let first = challenge(&m.accounts).await;
    let second = challenge(&m.accounts).await;
    for i in 0..2 {
        let wrong = code_at(&secret, now + 3600 + i * 30);
        let answer = m.accounts.sign_in_mfa(first.clone(), totp(&wrong)).await;
        assert_eq!(refusal(&answer), Some(Refusal::WrongSecondFactor));
    }
    let failures = stored(&store, ADA).await.failures();
    assert_eq!(failures.current(now), 4, "two sign-ins, two wrong codes");
    assert_eq!(
        failures.locked_for(now),
        None,
        "one guess left before the lock"
    );

    // The attacker's slow request, with the right code, reads the account unlocked...
    *gate.target.lock().expect("lock") = Some(second.challenge_id());
    let accounts = Arc::new(m.accounts);
    let right = code_at(&secret, now);
    let held = {
        let (accounts, token, right) = (Arc::clone(&accounts), second.clone(), right.clone());
        tokio::spawn(async move { accounts.sign_in_mfa(token, totp(&right)).await })
    };
    gate.read.notified().await;
    // ...meanwhile the last free guess is spent and locks the account...
    let wrong = code_at(&secret, now + 7200);
    let answer = accounts.sign_in_mfa(first.clone(), totp(&wrong)).await;
    assert_eq!(refusal(&answer), Some(Refusal::WrongSecondFactor));
    let locked = accounts.sign_in_mfa(first.clone(), totp(&right)).await;
    assert!(
        matches!(refusal(&locked), Some(Refusal::Locked { .. })),
        "the account is locked now: even the right code is refused here: {locked:?}"
    );
    // ...and the held request goes on.
    gate.open.notify_one();
    let answer = held.await.expect("finished");
    assert!(
        matches!(refusal(&answer), Some(Refusal::Locked { .. })),
        "a second guess signed in although only one was left: {answer:?}"
    );
}

/// "Wrong codes count toward the account's lockout": were the confirmation to count none,
/// whoever holds an access token (no password needed) would guess at a pending enrolment's
/// codes without bound, and on a hit turn TOTP on, take the recovery codes and end the owner's
/// sessions.
#[tokio::test]
async fn wrong_confirmation_codes_are_bounded_by_the_lockout() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let (_, bearer) = enrolled(&m).await;
    let mut locked = false;
    for i in 0..50u64 {
        let guess = TotpCode::parse(&format!("{:06}", 100_000 + i)).expect("6 digits");
        match refusal(&m.accounts.confirm_totp(&bearer, guess).await) {
            Some(Refusal::Locked { .. }) => locked = true,
            Some(Refusal::WrongSecondFactor) => {}
            // A lucky guess (one in ~333 000) would confirm: not the point here.
            _ => return,
        }
    }
    let failures = stored(&store, ADA).await.failures().current(m.clock.now());
    assert!(
        locked || failures >= 5,
        "50 wrong codes, none counted (failures: {failures})"
    );
}

/// "For an account with TOTP … only a completed second-factor check" clears the count: a
/// password reset (the mailbox alone) clears it (`User::reset_password`), so five resets an
/// hour give five fresh runs of free guesses at the code.
#[tokio::test]
async fn a_password_reset_does_not_clear_the_count_of_an_account_with_totp() {
    let store = InMemoryStore::new();
    let m = mailing(store.clone());
    let secret = with_totp(&m).await;
    let now = m.clock.now();
    let token = challenge(&m.accounts).await;
    for i in 0..4 {
        let wrong = code_at(&secret, now + 3600 + i * 30);
        let answer = m.accounts.sign_in_mfa(token.clone(), totp(&wrong)).await;
        assert_eq!(refusal(&answer), Some(Refusal::WrongSecondFactor));
    }
    let before = stored(&store, ADA).await.failures().current(now);
    assert_eq!(before, 5);

    m.accounts
        .forgot_password(&email(ADA))
        .await
        .expect("mailed");
    let code = m
        .mailbox
        .last_code(ADA, CodePurpose::PasswordReset)
        .expect("a mail");
    m.accounts
        .reset_password(ResetPassword {
            email: email(ADA),
            code: OneTimeCode::parse(&code, CodePurpose::PasswordReset).expect("digits"),
            new_password: PasswordPolicy::default()
                .parse("an attacker's new passphrase".to_owned())
                .expect("valid"),
        })
        .await
        .expect("reset");

    let after = stored(&store, ADA).await.failures().current(m.clock.now());
    assert!(
        after >= before,
        "the reset cleared {before} counted checks to {after} without a second factor"
    );
    // What the attacker wanted of it, a fresh challenge and free guesses again, is refused:
    // the count stands, and the account is still locked.
    let mut credentials = credentials(ADA, "an attacker's new passphrase");
    credentials.second_factor = None;
    let answer = m.accounts.sign_in(credentials).await;
    assert!(
        matches!(refusal(&answer), Some(Refusal::Locked { .. })),
        "{answer:?}"
    );
}
