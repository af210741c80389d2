//! What every `AccountStore` promises about MFA challenges (`StartChallenge`,
//! `CountChallengeTry`, `EndChallenge`): read with its account in one read, counted and ended
//! only from the tries read, and written all or nothing with the account's changes.

use user_service::domain::{Amr, Failures, MfaToken, Session};
use user_service::service::{AccountStore, AtAddress, CommitError, Lockout, StoreError};

use crate::second_factor::{
    NOW, STEP, TTL, at_tries, challenge_at, challenge_of, session_of, started, with_totp,
};
use crate::suite::{Buffer, commit, email, given, stored};

pub async fn a_started_challenge_reads_back_exactly_with_its_account<S: AccountStore>(store: S) {
    let ada = with_totp(&store, "ada@example.com").await;
    let challenge = challenge_of(&ada);

    started(&store, &challenge).await;

    let (at, read) = store
        .find_challenge(&email("ada@example.com"), challenge.id())
        .await
        .expect("readable");
    assert_eq!(at, AtAddress::Account(ada.clone()), "the account unchanged");
    assert_eq!(read, Some(challenge.clone()), "every field");
    let other = MfaToken::generate(ada.email())
        .expect("random")
        .challenge_id();
    let (at, none) = store
        .find_challenge(&email("ada@example.com"), other)
        .await
        .expect("readable");
    assert_eq!((at, none), (AtAddress::Account(ada), None));
    let (nobody, found) = store
        .find_challenge(&email("nobody@example.com"), challenge.id())
        .await
        .expect("readable");
    assert_eq!(nobody, AtAddress::Nobody(Failures::default()));
    assert_eq!(found, Some(challenge), "a challenge is its own record");
}

pub async fn starting_a_challenge_under_a_taken_id_is_unexpected<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let first = challenge_of(&ada);
    started(&store, &first).await;

    let result = commit(&store, |uow| uow.start_challenge(at_tries(&first, 0))).await;

    assert!(
        matches!(result, Err(CommitError::Store(StoreError::Unexpected(_)))),
        "{result:?}"
    );
    assert_eq!(challenge_at(&store, first.id()).await, Some(first));
}

pub async fn a_change_set_may_write_a_challenge_only_once<S: AccountStore>(store: S) {
    let ada = given(&store, "ada@example.com").await;
    let challenge = challenge_of(&ada);

    let result = commit(&store, |uow| {
        uow.start_challenge(challenge.clone());
        uow.count_challenge_try(&challenge);
    })
    .await;

    assert!(
        matches!(result, Err(CommitError::Store(StoreError::Unexpected(_)))),
        "{result:?}"
    );
    assert_eq!(challenge_at(&store, challenge.id()).await, None);
}

pub async fn a_challenge_try_counts_once_per_read_and_conflicts_once_gone<S: AccountStore>(
    store: S,
) {
    let ada = given(&store, "ada@example.com").await;
    let read = challenge_of(&ada);
    started(&store, &read).await;

    commit(&store, |uow| uow.count_challenge_try(&read))
        .await
        .expect("counted");
    let once = at_tries(&read, read.tries() + 1);
    assert_eq!(challenge_at(&store, read.id()).await, Some(once.clone()));
    let again = commit(&store, |uow| uow.count_challenge_try(&read)).await;
    assert!(
        matches!(again, Err(CommitError::Conflict)),
        "counted from a stale read: {again:?}"
    );
    assert_eq!(challenge_at(&store, read.id()).await, Some(once.clone()));
    commit(&store, |uow| uow.count_challenge_try(&once))
        .await
        .expect("counted from the tries read");
    let twice = at_tries(&read, read.tries() + 2);
    assert_eq!(challenge_at(&store, read.id()).await, Some(twice.clone()));
    assert_eq!(
        stored(&store, "ada@example.com").await,
        ada,
        "the account untouched"
    );

    commit(&store, |uow| uow.end_challenge(&twice))
        .await
        .expect("ended");
    let gone = commit(&store, |uow| uow.count_challenge_try(&twice)).await;
    assert!(matches!(gone, Err(CommitError::Conflict)), "{gone:?}");
    assert_eq!(
        challenge_at(&store, read.id()).await,
        None,
        "not made again"
    );
    let never = challenge_of(&ada);
    let unknown = commit(&store, |uow| uow.count_challenge_try(&never)).await;
    assert!(matches!(unknown, Err(CommitError::Conflict)), "{unknown:?}");
    assert_eq!(challenge_at(&store, never.id()).await, None, "not made");
}

pub async fn ending_a_challenge_removes_it_and_conflicts_when_stale_or_gone<S: AccountStore>(
    store: S,
) {
    let ada = given(&store, "ada@example.com").await;
    let read = challenge_of(&ada);
    started(&store, &read).await;
    commit(&store, |uow| uow.count_challenge_try(&read))
        .await
        .expect("a wrong code counted since");

    let stale = commit(&store, |uow| uow.end_challenge(&read)).await;

    assert!(matches!(stale, Err(CommitError::Conflict)), "{stale:?}");
    let current = at_tries(&read, read.tries() + 1);
    assert_eq!(challenge_at(&store, read.id()).await, Some(current.clone()));
    commit(&store, |uow| uow.end_challenge(&current))
        .await
        .expect("ended from the tries read");
    assert_eq!(challenge_at(&store, read.id()).await, None);
    let gone = commit(&store, |uow| uow.end_challenge(&current)).await;
    assert!(matches!(gone, Err(CommitError::Conflict)), "{gone:?}");
    let never = challenge_of(&ada);
    let unknown = commit(&store, |uow| uow.end_challenge(&never)).await;
    assert!(matches!(unknown, Err(CommitError::Conflict)), "{unknown:?}");
}

pub async fn of_concurrent_challenge_tries_from_one_read_exactly_one_lands<S>(store: S)
where
    S: AccountStore + Clone + 'static,
{
    let ada = given(&store, "ada@example.com").await;
    let read = challenge_of(&ada);
    started(&store, &read).await;
    let counters: Vec<_> = (0..8)
        .map(|_| {
            let (store, read) = (store.clone(), read.clone());
            tokio::spawn(async move { commit(&store, |uow| uow.count_challenge_try(&read)).await })
        })
        .collect();
    let mut landed = 0;
    for counter in counters {
        match counter.await.expect("finished") {
            Ok(()) => landed += 1,
            Err(CommitError::Conflict | CommitError::Contended) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(landed, 1);
    assert_eq!(
        challenge_at(&store, read.id()).await,
        Some(at_tries(&read, read.tries() + 1))
    );
}

pub async fn a_challenge_change_and_a_failing_account_change_write_neither<S: AccountStore>(
    store: S,
) {
    let stale = with_totp(&store, "ada@example.com").await;
    let read = challenge_of(&stale);
    started(&store, &read).await;
    // Since: someone else's wrong code (the challenge's tries and the account's count moved)
    // and a change of the account (its version moved).
    commit(&store, |uow| {
        uow.count_challenge_try(&read);
        uow.reserve_attempt(&stale, NOW);
    })
    .await
    .expect("a wrong code counted");
    let mut activated = stale.clone();
    activated.activate();
    commit(&store, |uow| uow.save_status(&activated))
        .await
        .expect("activated");
    let current = stored(&store, "ada@example.com").await;
    let now_read = at_tries(&read, read.tries() + 1);
    let mut used = stale.clone();
    used.use_totp_step(STEP + 1);
    let mut used_now = current.clone();
    used_now.use_totp_step(STEP + 1);
    let fresh = challenge_of(&stale);
    let session = Session::start(&stale, NOW, TTL).proven_by(Amr::PasswordAndOtp);
    let (stale_session, session_id) = (session.clone(), session.id());

    let sets: [(&str, Buffer<'_, S>); 4] = [
        (
            "a wrong code: the try and a count from a stale read",
            Box::new(|uow| {
                uow.count_challenge_try(&now_read);
                uow.reserve_attempt(&stale, NOW + 1);
            }),
        ),
        (
            "a right code: the challenge spent and a stale account's factor",
            Box::new(|uow| {
                uow.end_challenge(&now_read);
                uow.save_second_factor(&used, Lockout::Clear);
                uow.start_session(stale_session);
            }),
        ),
        (
            "a new challenge and a stale account's factor",
            Box::new(|uow| {
                uow.start_challenge(fresh.clone());
                uow.save_second_factor(&used, Lockout::Keep);
            }),
        ),
        (
            "a current account's factor and a challenge spent from a stale read",
            Box::new(|uow| {
                uow.end_challenge(&read);
                uow.save_second_factor(&used_now, Lockout::Clear);
            }),
        ),
    ];
    for (why, set) in sets {
        let result = commit(&store, set).await;
        assert!(
            matches!(result, Err(CommitError::Conflict)),
            "{why}: {result:?}"
        );
        assert_eq!(stored(&store, "ada@example.com").await, current, "{why}");
        assert_eq!(
            challenge_at(&store, read.id()).await,
            Some(now_read.clone()),
            "{why}"
        );
        assert_eq!(challenge_at(&store, fresh.id()).await, None, "{why}");
        assert_eq!(session_of(&store, session_id).await, None, "{why}");
    }
}
