use super::*;

const T: u64 = 1_800_000_000;

fn address() -> Email {
    Email::parse("ada@example.com").expect("valid")
}

fn with_code(account: UserId) -> CodeRecord {
    let mut record = CodeRecord::empty(CodePurpose::PasswordReset, address());
    record.issue(LiveCode {
        account,
        digest: CodeDigest([7; 32]),
        expires_at: T + 900,
        tries: 0,
        to: None,
    });
    record
}

#[test]
fn the_right_code_is_accepted_once() {
    let ada = UserId::generate();
    let mut record = with_code(ada);

    assert!(matches!(
        record.present(Some(ada), T, |_| true),
        CodeCheck::Accepted(_)
    ));
    assert_eq!(
        record.present(Some(ada), T, |_| true),
        CodeCheck::Refused,
        "used up"
    );
}

#[test]
fn five_wrong_tries_void_the_code() {
    let ada = UserId::generate();
    let mut record = with_code(ada);
    for _ in 0..TRIES_PER_CODE {
        assert_eq!(record.present(Some(ada), T, |_| false), CodeCheck::Refused);
    }
    assert_eq!(record.live(), None);
    assert_eq!(record.present(Some(ada), T, |_| true), CodeCheck::Refused);
}

#[test]
fn an_expired_code_or_anothers_code_or_no_account_is_never_right() {
    let ada = UserId::generate();
    let cases = [
        (Some(ada), T + 900),
        (Some(UserId::generate()), T),
        (None, T),
    ];
    for (account, now) in cases {
        let mut record = with_code(ada);
        let compared = std::cell::Cell::new(false);
        let check = record.present(account, now, |_| {
            compared.set(true);
            true
        });
        assert_eq!(check, CodeCheck::Refused, "{account:?} at {now}");
        assert!(!compared.get(), "nothing usable to compare with");
    }
}

#[test]
fn ten_wrong_codes_lock_the_purpose_until_the_day_is_over() {
    let ada = UserId::generate();
    let mut record = CodeRecord::empty(CodePurpose::Verification, address());
    for n in 0..WRONG_CODES_PER_DAY {
        record.issue(with_code(ada).live.expect("a code"));
        assert_eq!(
            record.present(Some(ada), T + u64::from(n), |_| false),
            CodeCheck::Refused
        );
    }
    record.issue(with_code(ada).live.expect("a code"));

    let locked = record.present(Some(ada), T + 100, |_| true);

    assert_eq!(
        locked,
        CodeCheck::Locked {
            retry_after: DAY_SECONDS - 100
        }
    );
    assert!(
        matches!(
            record.present(Some(ada), T + DAY_SECONDS, |_| true),
            CodeCheck::Refused
        ),
        "the code expired meanwhile, but the day is over: counted again"
    );
}

#[test]
fn the_record_matters_as_long_as_its_longest_window() {
    let ada = UserId::generate();
    let mut record = with_code(ada);
    record.count_send(T);
    assert_eq!(
        record.matters_until(),
        T + 3600,
        "the send window outlasts the code"
    );
    record.present(Some(ada), T, |_| false);
    assert_eq!(
        record.matters_until(),
        T + DAY_SECONDS,
        "the wrong code counts for a day"
    );
}
