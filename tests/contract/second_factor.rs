//! What every `AccountStore` promises about second factors: an account's factor (`SetSecondFactor`)
//! is written whole, with its status and epoch and nothing else, and reads back exactly; a
//! session keeps how its sign-in was proven (`amr`) through rotation. The challenges are in
//! `challenges.rs`; the sample values both use are here.

use user_service::domain::{
    Amr, ChallengeId, Failures, Lifetimes, MfaChallenge, MfaToken, RecoveryDigest, SealedSecret,
    SecondFactor, Session, SessionId, User,
};
use user_service::service::{AccountStore, CommitError, Lockout};

use crate::suite::{commit, email, given, hash, made_stale, stored};

pub(crate) const NOW: u64 = 1_800_000_000;
/// The TOTP step of [`NOW`].
pub(crate) const STEP: u64 = NOW / 30;
pub(crate) const TTL: Lifetimes = Lifetimes {
    token: 3600,
    session: 86_400,
};

/// Sealed bytes as `TotpKeys` makes them (key id, nonce, ciphertext): opaque to the store,
/// told apart by `tag`.
pub(crate) fn sealed(tag: u8) -> SealedSecret {
    let mut bytes = vec![1, tag];
    bytes.extend((0..58u8).map(|i| i ^ tag));
    SealedSecret::from_bytes(bytes)
}

/// Ten recovery-code digests, told apart by `tag` and their place.
pub(crate) fn digests(tag: u8) -> Vec<RecoveryDigest> {
    (0..10u8)
        .map(|i| {
            let mut bytes = [tag; RecoveryDigest::BYTES];
            bytes[0] = i;
            RecoveryDigest::from_bytes(&bytes).expect("40 bytes")
        })
        .collect()
}

/// An account under `address` with TOTP confirmed at [`STEP`], as read back.
pub(crate) async fn with_totp<S: AccountStore>(store: &S, address: &str) -> User {
    let mut user = given(store, address).await;
    user.begin_totp(sealed(1));
    assert!(user.confirm_totp(STEP, digests(1)));
    commit(store, |uow| uow.save_second_factor(&user, Lockout::Clear))
        .await
        .expect("TOTP confirmed");
    stored(store, address).await
}

/// A challenge for `user` with every field set apart from the others' defaults.
pub(crate) fn challenge_of(user: &User) -> MfaChallenge {
    let token = MfaToken::generate(user.email()).expect("random");
    MfaChallenge::restore(
        token.challenge_id(),
        user.id(),
        user.version(),
        2,
        NOW + 300,
    )
}

pub(crate) async fn session_of<S: AccountStore>(store: &S, id: SessionId) -> Option<Session> {
    store.find_session(id).await.expect("readable")
}

pub(crate) async fn challenge_at<S: AccountStore>(
    store: &S,
    id: ChallengeId,
) -> Option<MfaChallenge> {
    let (_, challenge) = store
        .find_challenge(&email("ada@example.com"), id)
        .await
        .expect("readable");
    challenge
}

/// `challenge` as stored, started.
pub(crate) async fn started<S: AccountStore>(store: &S, challenge: &MfaChallenge) {
    commit(store, |uow| uow.start_challenge(challenge.clone()))
        .await
        .expect("started");
}

/// `challenge` with its tries as `tries`: how a store would read it back after a count.
pub(crate) fn at_tries(challenge: &MfaChallenge, tries: u32) -> MfaChallenge {
    MfaChallenge::restore(
        challenge.id(),
        challenge.user(),
        challenge.version(),
        tries,
        challenge.expires_at(),
    )
}

pub async fn a_second_factor_survives_a_write_and_reads_back_exactly<S: AccountStore>(store: S) {
    let before = given(&store, "ada@example.com").await;
    assert_eq!(
        before.second_factor(),
        &SecondFactor::default(),
        "a new account has none"
    );
    let mut pending = before.clone();
    pending.begin_totp(sealed(7));

    commit(&store, |uow| {
        uow.save_second_factor(&pending, Lockout::Keep)
    })
    .await
    .expect("an enrolment");
    let read = stored(&store, "ada@example.com").await;
    assert_eq!(read.second_factor(), pending.second_factor());
    assert!(!read.has_totp(), "pending only");

    // Every part at once: a confirmed secret, another enrolment on top, a step, digests.
    let mut full = read.clone();
    assert!(full.confirm_totp(STEP, digests(3)));
    full.begin_totp(sealed(9));
    commit(&store, |uow| uow.save_second_factor(&full, Lockout::Clear))
        .await
        .expect("written");
    let read = stored(&store, "ada@example.com").await;
    assert_eq!(read.second_factor(), full.second_factor());
    assert_eq!(read.second_factor().totp(), Some(&sealed(7)));
    assert_eq!(read.second_factor().pending(), Some(&sealed(9)));
    assert_eq!(read.second_factor().last_step(), STEP);
    assert_eq!(read.second_factor().recovery(), digests(3).as_slice());

    // And back to none: what a factor no longer has is gone, its last step is kept.
    let mut disabled = read.clone();
    disabled.disable_totp();
    commit(&store, |uow| {
        uow.save_second_factor(&disabled, Lockout::Clear)
    })
    .await
    .expect("written");
    let read = stored(&store, "ada@example.com").await;
    assert_eq!(read.second_factor(), disabled.second_factor());
    assert_eq!(read.second_factor().totp(), None);
    assert_eq!(read.second_factor().pending(), None);
    assert_eq!(read.second_factor().recovery(), &[]);
    assert_eq!(read.second_factor().last_step(), STEP);
}

pub async fn set_second_factor_writes_the_factor_the_status_and_the_epoch_and_nothing_else<
    S: AccountStore,
>(
    store: S,
) {
    let before = given(&store, "ada@example.com").await;
    let mut changed = before.clone();
    changed.begin_totp(sealed(2));
    assert!(changed.confirm_totp(STEP, digests(2)));
    changed.activate();
    // Unsaved changes of other kinds must not be written along with the factor.
    changed.replace_password_hash(hash("bm90IHNhdmVk"));
    changed.verify_email();

    commit(&store, |uow| {
        uow.save_second_factor(&changed, Lockout::Keep)
    })
    .await
    .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert_eq!(after.second_factor(), changed.second_factor());
    assert!(after.is_active(), "the status");
    assert_eq!(
        after.session_epoch(),
        before.session_epoch() + 1,
        "the epoch"
    );
    assert_eq!(after.version(), before.version() + 1);
    assert_eq!(
        after.password_hash(),
        before.password_hash(),
        "not the hash"
    );
    assert!(!after.is_email_verified(), "not the flag");
    assert_eq!(
        (after.id(), after.email(), after.name(), after.surname()),
        (before.id(), before.email(), before.name(), before.surname())
    );
    assert_eq!(after.created_at(), before.created_at());
    assert_eq!(after.revision().key(), before.revision().key());
}

pub async fn set_second_factor_clears_the_failed_checks_only_when_passed<S: AccountStore>(
    store: S,
) {
    let user = with_totp(&store, "ada@example.com").await;
    commit(&store, |uow| uow.reserve_attempt(&user, NOW))
        .await
        .expect("a check counted");
    let counted = stored(&store, "ada@example.com").await;
    assert_eq!(counted.failures().current(NOW), 1);

    // The aggregate clears its own count on a passed factor; only `passed` tells the store to.
    let mut replaced = counted.clone();
    replaced.replace_recovery_codes(digests(4));
    commit(&store, |uow| {
        uow.save_second_factor(&replaced, Lockout::Keep)
    })
    .await
    .expect("written");
    let after = stored(&store, "ada@example.com").await;
    assert_eq!(after.second_factor().recovery(), digests(4).as_slice());
    assert_eq!(after.failures(), counted.failures(), "not passed: kept");

    let mut not_passed = after.clone();
    not_passed.use_totp_step(STEP + 1);
    assert_eq!(
        not_passed.failures(),
        Failures::default(),
        "in the aggregate"
    );
    commit(&store, |uow| {
        uow.save_second_factor(&not_passed, Lockout::Keep)
    })
    .await
    .expect("written");
    let kept = stored(&store, "ada@example.com").await;
    assert_eq!(kept.failures(), counted.failures(), "not passed: kept");

    let mut passed = kept.clone();
    passed.use_totp_step(STEP + 2);
    commit(&store, |uow| {
        uow.save_second_factor(&passed, Lockout::Clear)
    })
    .await
    .expect("written");
    let cleared = stored(&store, "ada@example.com").await;
    assert_eq!(cleared.failures(), Failures::default(), "passed: cleared");
    assert_eq!(cleared.second_factor().last_step(), STEP + 2);
    assert_eq!(cleared.version(), kept.version() + 1);
}

pub async fn a_pass_conditioned_on_the_count_conflicts_once_a_check_was_counted_since<
    S: AccountStore,
>(
    store: S,
) {
    let untried = given(&store, "ada@example.com").await;
    let mut passed = untried.clone();
    passed.use_totp_step(STEP);
    let read = untried.failures();
    commit(&store, |uow| uow.reserve_attempt(&untried, NOW))
        .await
        .expect("a wrong code counted meanwhile");
    let counted = stored(&store, "ada@example.com").await;

    let result = commit(&store, |uow| {
        uow.save_second_factor(&passed, Lockout::ClearIfStill(read));
    })
    .await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    assert_eq!(
        stored(&store, "ada@example.com").await,
        counted,
        "nothing written"
    );
    let mut again = counted.clone();
    again.use_totp_step(STEP);
    let still = counted.failures();
    commit(&store, |uow| {
        uow.save_second_factor(&again, Lockout::ClearIfStill(still))
    })
    .await
    .expect("read again, the count as stored: it lands");
    let cleared = stored(&store, "ada@example.com").await;
    assert_eq!(cleared.failures(), Failures::default());
    let mut fresh = given(&store, "grace@example.com").await;
    fresh.use_totp_step(STEP);
    commit(&store, |uow| {
        uow.save_second_factor(&fresh, Lockout::ClearIfStill(Failures::default()))
    })
    .await
    .expect("no count stored, none read: it lands");
}

pub async fn a_stale_second_factor_conflicts_and_clears_no_count<S: AccountStore>(store: S) {
    let (stale, newer) = made_stale(&store, "ada@example.com").await;
    commit(&store, |uow| uow.reserve_attempt(&newer, NOW))
        .await
        .expect("a check counted");
    let current = stored(&store, "ada@example.com").await;
    let mut enrolled = stale.clone();
    enrolled.begin_totp(sealed(5));
    assert!(enrolled.confirm_totp(STEP, digests(5)));

    let result = commit(&store, |uow| {
        uow.save_second_factor(&enrolled, Lockout::Clear)
    })
    .await;

    assert!(matches!(result, Err(CommitError::Conflict)), "{result:?}");
    let after = stored(&store, "ada@example.com").await;
    assert_eq!(after, current, "no factor written, the count kept");
    assert_eq!(after.failures().current(NOW), 1);
}

pub async fn a_moved_account_keeps_its_second_factor<S: AccountStore>(store: S) {
    let before = with_totp(&store, "ada@example.com").await;
    let mut moving = before.clone();
    moving.change_email(email("countess@example.com"));

    commit(&store, |uow| uow.save_email(&moving))
        .await
        .expect("moved");

    let after = stored(&store, "countess@example.com").await;
    assert_eq!(after.second_factor(), before.second_factor());
    assert!(after.has_totp());
}

pub async fn a_sessions_amr_survives_storage_and_rotation<S: AccountStore>(store: S) {
    let ada = with_totp(&store, "ada@example.com").await;
    let with_otp = Session::start(&ada, NOW, TTL).proven_by(Amr::PasswordAndOtp);
    let password_only = Session::start(&ada, NOW, TTL);

    commit(&store, |uow| {
        uow.start_session(with_otp.clone());
        uow.start_session(password_only.clone());
    })
    .await
    .expect("started");

    let read = session_of(&store, with_otp.id()).await.expect("stored");
    assert_eq!(read, with_otp);
    assert_eq!(read.amr(), Amr::PasswordAndOtp);
    let plain = session_of(&store, password_only.id())
        .await
        .expect("stored");
    assert_eq!(plain.amr(), Amr::Password);
    let mut rotated = read.clone();
    rotated.rotate(NOW + 60, TTL);
    commit(&store, |uow| {
        uow.save_rotation(rotated.clone(), read.generation())
    })
    .await
    .expect("rotated");
    let after = session_of(&store, with_otp.id()).await.expect("stored");
    assert_eq!(after, rotated);
    assert_eq!(after.amr(), Amr::PasswordAndOtp, "kept through rotation");
    assert_eq!(
        stored(&store, "ada@example.com").await,
        ada,
        "sessions never write the account"
    );
}
