use super::*;
use crate::domain::fixtures::ada;
use crate::domain::refresh_token::SECRET_BYTES;

const LIFETIMES: Lifetimes = Lifetimes {
    token: 100,
    session: 1000,
};
const GRACE: u64 = 10;
const T0: u64 = 1_700_000_000;

fn started() -> Session {
    let mut user = ada();
    user.activate();
    Session::start(&user, T0, LIFETIMES)
}

/// The token of `session`'s generation `generation` (genuineness is the keys' business).
fn token(session: &Session, generation: u64) -> RefreshToken {
    RefreshToken::new(session.id(), generation, [1; SECRET_BYTES])
}

#[test]
fn a_new_token_is_current_until_it_expires() {
    let session = started();
    let first = token(&session, 0);
    assert_eq!(
        session.recognise(&first, true, T0, GRACE),
        Presented::Current
    );
    assert_eq!(
        session.recognise(&first, true, T0 + 99, GRACE),
        Presented::Current
    );
    assert_eq!(
        session.recognise(&first, true, T0 + 100, GRACE),
        Presented::Expired
    );
}

#[test]
fn a_replaced_token_is_forgiven_within_the_grace_window_and_reused_after_it() {
    let mut session = started();
    let first = token(&session, 0);
    session.rotate(T0 + 50, LIFETIMES);
    assert_eq!(
        session.recognise(&token(&session, 1), true, T0 + 50, GRACE),
        Presented::Current
    );
    let cases = [
        (T0 + 50, Presented::RecentlySpent),
        (T0 + 50 + GRACE, Presented::RecentlySpent),
        (T0 + 50 + GRACE + 1, Presented::Reused),
    ];
    for (now, expected) in cases {
        assert_eq!(
            session.recognise(&first, true, now, GRACE),
            expected,
            "at {now}"
        );
    }
}

#[test]
fn every_older_generation_is_recognised_as_reuse_however_old() {
    let mut session = started();
    for n in 1..=5 {
        session.rotate(T0 + n, LIFETIMES);
    }
    for old in 0..4 {
        assert_eq!(
            session.recognise(&token(&session, old), true, T0 + 5, GRACE),
            Presented::Reused,
            "generation {old}, within the grace of the last rotation but not its predecessor"
        );
    }
    assert_eq!(
        session.recognise(&token(&session, 4), true, T0 + 5, GRACE),
        Presented::RecentlySpent
    );
}

#[test]
fn forged_foreign_and_future_tokens_are_unknown() {
    let session = started();
    assert_eq!(
        session.recognise(&token(&session, 0), false, T0, GRACE),
        Presented::Unknown,
        "forged"
    );
    assert_eq!(
        session.recognise(&token(&session, 1), true, T0, GRACE),
        Presented::Unknown,
        "not issued yet"
    );
    let stranger = started();
    assert_eq!(
        session.recognise(&token(&stranger, 0), true, T0, GRACE),
        Presented::Unknown
    );
}

#[test]
fn rotation_moves_the_expiry_on_but_never_past_the_sessions_maximum_age() {
    let mut session = started();
    session.rotate(T0 + 90, LIFETIMES);
    assert_eq!(
        session.recognise(&token(&session, 1), true, T0 + 150, GRACE),
        Presented::Current
    );
    session.rotate(T0 + 950, LIFETIMES);
    assert_eq!(
        session.recognise(&token(&session, 2), true, T0 + 999, GRACE),
        Presented::Current
    );
    assert_eq!(
        session.recognise(&token(&session, 2), true, T0 + 1000, GRACE),
        Presented::Expired,
        "the session's maximum age, however recently refreshed"
    );
}

#[test]
fn a_revoked_session_recognises_its_tokens_as_revoked_only() {
    let mut session = started();
    session.revoked = true;
    assert_eq!(
        session.recognise(&token(&session, 0), true, T0, GRACE),
        Presented::Revoked
    );
    let stranger = started();
    assert_eq!(
        session.recognise(&token(&stranger, 0), true, T0, GRACE),
        Presented::Unknown
    );
}

#[test]
fn a_session_belongs_to_its_account_only_while_the_epoch_lasts() {
    let mut user = ada();
    user.activate();
    let session = Session::start(&user, T0, LIFETIMES);
    assert!(session.is_of(&user));
    assert!(!session.is_of(&ada()), "another account");
    user.end_sessions();
    assert!(!session.is_of(&user));
}

#[test]
fn a_session_is_live_exactly_while_its_current_token_would_refresh() {
    let mut user = ada();
    user.activate();
    let session = Session::start(&user, T0, LIFETIMES);
    let current = token(&session, 0);
    for now in [T0, T0 + LIFETIMES.token - 1, T0 + LIFETIMES.token] {
        assert_eq!(
            session.is_live(&user, now),
            session.recognise(&current, true, now, GRACE) == Presented::Current,
            "at {now}"
        );
    }
    assert!(!session.is_live(&user, T0 + LIFETIMES.token), "expired");
    let mut revoked = session.clone();
    revoked.revoked = true;
    assert!(!revoked.is_live(&user, T0), "revoked");
    let mut aged = session.clone();
    for step in 1..=LIFETIMES.session / LIFETIMES.token {
        aged.rotate(T0 + step * LIFETIMES.token - 1, LIFETIMES);
    }
    assert!(
        !aged.is_live(&user, T0 + LIFETIMES.session),
        "past its maximum age, however often refreshed"
    );
    let mut other = ada();
    other.activate();
    assert!(!session.is_live(&other, T0), "another account's");
    user.end_sessions();
    assert!(!session.is_live(&user, T0), "a past epoch's");
}
