//! What every `AccountStore` promises about code records and the account changes that codes
//! bring (`SaveCodes`, `VerifyEmail`, `ResetPassword`, `Rename`, and `MoveEmail` carrying the
//! verified flag): a record is written whole, only from the version read, never touching the
//! account under the same address, and with the account's change all or nothing.

use user_service::domain::{
    CodeDigest, CodePurpose, CodeRecord, Failures, LiveCode, PersonName, User,
};
use user_service::service::{AccountStore, AtAddress, CommitError};

use crate::suite::{Buffer, commit, email, given, hash, made_stale, read, stored};

const NOW: u64 = 1_800_000_000;

async fn codes<S: AccountStore>(store: &S, address: &str, purpose: CodePurpose) -> CodeRecord {
    let (_, record) = store
        .find_codes(&email(address), purpose)
        .await
        .expect("readable");
    record
}

/// `record` with a mail counted at `now` and a code of `account` issued.
fn issued(mut record: CodeRecord, account: &User, now: u64) -> CodeRecord {
    record.count_send(now);
    record.issue(LiveCode {
        account: account.id(),
        digest: CodeDigest::from_bytes([now as u8; 32]),
        expires_at: now + 900,
        tries: 0,
        to: Some(email("countess@example.com")),
    });
    record
}

pub async fn a_code_record_nobody_wrote_reads_empty_beside_what_the_address_holds<
    S: AccountStore,
>(
    store: S,
) {
    let ada = given(&store, "ada@example.com").await;

    let (at, record) = (store.find_codes(&email("ada@example.com"), CodePurpose::Verification))
        .await
        .expect("readable");
    let (nobody, none) = (store.find_codes(&email("nobody@example.com"), CodePurpose::EmailChange))
        .await
        .expect("readable");

    assert_eq!(at, AtAddress::Account(ada));
    assert_eq!(
        record,
        CodeRecord::empty(CodePurpose::Verification, email("ada@example.com"))
    );
    assert_eq!(nobody, AtAddress::Nobody(Failures::default()));
    assert_eq!(none.version(), 0);
}

pub async fn saved_codes_read_back_whole_at_the_next_version_and_leave_the_account<
    S: AccountStore,
>(
    store: S,
) {
    let ada = given(&store, "ada@example.com").await;
    let record = issued(
        codes(&store, "ada@example.com", CodePurpose::EmailChange).await,
        &ada,
        NOW,
    );

    commit(&store, |uow| uow.save_codes(record.clone()))
        .await
        .expect("written");

    let read = codes(&store, "ada@example.com", CodePurpose::EmailChange).await;
    assert_eq!(read.version(), 1);
    assert_eq!((read.sends(), read.live()), (record.sends(), record.live()));
    assert_eq!(
        stored(&store, "ada@example.com").await,
        ada,
        "the account untouched"
    );
    for other in [CodePurpose::Verification, CodePurpose::PasswordReset] {
        assert_eq!(
            codes(&store, "ada@example.com", other).await.version(),
            0,
            "{other:?}"
        );
    }
    let mut used = read.clone();
    assert!(matches!(
        used.present(Some(ada.id()), NOW, |_| true),
        user_service::domain::CodeCheck::Accepted(_)
    ));
    commit(&store, |uow| uow.save_codes(used))
        .await
        .expect("written again");
    let after = codes(&store, "ada@example.com", CodePurpose::EmailChange).await;
    assert_eq!(
        (after.version(), after.live()),
        (2, None),
        "the code removed"
    );
    assert_eq!(after.sends(), record.sends(), "the sends kept");
}

pub async fn codes_for_an_address_no_account_has_make_no_account<S: AccountStore>(store: S) {
    let mut record = codes(&store, "nobody@example.com", CodePurpose::PasswordReset).await;
    record.count_send(NOW);

    commit(&store, |uow| uow.save_codes(record))
        .await
        .expect("counted");

    assert_eq!(read(&store, "nobody@example.com").await, None);
    let read = codes(&store, "nobody@example.com", CodePurpose::PasswordReset).await;
    assert_eq!(read.sends().retry_after(NOW), Some(60));
    given(&store, "nobody@example.com").await;
    assert_eq!(
        codes(&store, "nobody@example.com", CodePurpose::PasswordReset)
            .await
            .version(),
        1,
        "an account made at the address keeps the address's count"
    );
}

pub async fn codes_saved_from_a_stale_version_conflict_and_write_nothing<S: AccountStore>(
    store: S,
) {
    let ada = given(&store, "ada@example.com").await;
    let first = codes(&store, "ada@example.com", CodePurpose::Verification).await;
    commit(&store, |uow| {
        uow.save_codes(issued(first.clone(), &ada, NOW))
    })
    .await
    .expect("the first write from version 0");
    let current = codes(&store, "ada@example.com", CodePurpose::Verification).await;

    for (why, stale) in [
        ("from version 0 again", first),
        ("from the version before", current.clone()),
    ] {
        let result = commit(&store, |uow| uow.save_codes(issued(stale, &ada, NOW + 60))).await;
        if why == "from the version before" {
            result.expect("the current version writes");
            continue;
        }
        assert!(
            matches!(result, Err(CommitError::Conflict)),
            "{why}: {result:?}"
        );
        assert_eq!(
            codes(&store, "ada@example.com", CodePurpose::Verification).await,
            current
        );
    }
    let replayed = commit(&store, |uow| {
        uow.save_codes(issued(current, &ada, NOW + 120))
    })
    .await;
    assert!(
        matches!(replayed, Err(CommitError::Conflict)),
        "{replayed:?}"
    );
}

pub async fn of_concurrent_code_writes_from_one_read_exactly_one_lands<S>(store: S)
where
    S: AccountStore + Clone + 'static,
{
    let ada = given(&store, "ada@example.com").await;
    let read = codes(&store, "ada@example.com", CodePurpose::PasswordReset).await;
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let (store, ada, read) = (store.clone(), ada.clone(), read.clone());
            tokio::spawn(async move {
                let mine = issued(read, &ada, NOW + i);
                commit(&store, |uow| uow.save_codes(mine)).await
            })
        })
        .collect();
    let mut landed = 0;
    for writer in writers {
        match writer.await.expect("finished") {
            Ok(()) => landed += 1,
            Err(CommitError::Conflict | CommitError::Contended) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(landed, 1);
    assert_eq!(
        codes(&store, "ada@example.com", CodePurpose::PasswordReset)
            .await
            .version(),
        1
    );
}

pub async fn verify_email_writes_the_flag_and_nothing_else<S: AccountStore>(store: S) {
    let before = given(&store, "ada@example.com").await;
    let mut changed = before.clone();
    assert!(changed.verify_email());
    changed.activate(); // unsaved

    commit(&store, |uow| uow.save_verified(&changed))
        .await
        .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert!(after.is_email_verified());
    assert!(!after.is_active(), "the flag only");
    assert_eq!(after.version(), before.version() + 1);
}

pub async fn a_reset_writes_the_hash_the_epoch_the_flag_and_clears_the_failures<S: AccountStore>(
    store: S,
) {
    let before = given(&store, "ada@example.com").await;
    commit(&store, |uow| uow.reserve_attempt(&before, NOW))
        .await
        .expect("a failed check");
    let before = stored(&store, "ada@example.com").await;
    assert_eq!(before.failures().current(NOW), 1);
    let mut reset = before.clone();
    reset.reset_password(hash("cmVzZXQ"));
    reset.activate(); // unsaved: a reset does not activate

    commit(&store, |uow| uow.save_reset(&reset))
        .await
        .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert_eq!(after.password_hash(), &hash("cmVzZXQ"));
    assert_eq!(after.session_epoch(), before.session_epoch() + 1);
    assert!(after.is_email_verified());
    assert_eq!(after.failures(), Failures::default());
    assert!(!after.is_active());
    assert_eq!(after.version(), before.version() + 1);
}

pub async fn rename_writes_the_names_and_nothing_else<S: AccountStore>(store: S) {
    let before = given(&store, "ada@example.com").await;
    let mut renamed = before.clone();
    renamed.rename(Some(PersonName::parse("Augusta").expect("valid")), None);
    renamed.verify_email(); // unsaved

    commit(&store, |uow| uow.save_names(&renamed))
        .await
        .expect("written");

    let after = stored(&store, "ada@example.com").await;
    assert_eq!(
        (after.name().as_ref(), after.surname().as_ref()),
        ("Augusta", "Lovelace")
    );
    assert!(!after.is_email_verified(), "the names only");
    assert_eq!(after.version(), before.version() + 1);
}

pub async fn a_move_writes_whether_the_new_address_is_verified<S: AccountStore>(store: S) {
    let before = given(&store, "ada@example.com").await;
    let mut moving = before.clone();
    moving.change_email(email("countess@example.com"));
    moving.verify_email();

    commit(&store, |uow| uow.save_email(&moving))
        .await
        .expect("moved");

    assert!(
        stored(&store, "countess@example.com")
            .await
            .is_email_verified()
    );
}

pub async fn the_changes_codes_bring_conflict_on_a_stale_version_and_write_nothing<
    S: AccountStore,
>(
    store: S,
) {
    let (stale, current) = made_stale(&store, "ada@example.com").await;
    let mut verified = stale.clone();
    verified.verify_email();
    let mut reset = stale.clone();
    reset.reset_password(hash("c3RhbGU"));
    let mut renamed = stale.clone();
    renamed.rename(Some(PersonName::parse("Augusta").expect("valid")), None);
    let record = issued(
        codes(&store, "ada@example.com", CodePurpose::Verification).await,
        &stale,
        NOW,
    );
    let cases: [(&str, Buffer<'_, S>); 4] = [
        ("verified", Box::new(|uow| uow.save_verified(&verified))),
        ("reset", Box::new(|uow| uow.save_reset(&reset))),
        ("names", Box::new(|uow| uow.save_names(&renamed))),
        (
            "a code used with a stale account",
            Box::new(|uow| {
                uow.save_codes(record);
                uow.save_verified(&verified);
            }),
        ),
    ];
    for (kind, change) in cases {
        let result = commit(&store, change).await;
        assert!(
            matches!(result, Err(CommitError::Conflict)),
            "{kind}: {result:?}"
        );
        assert_eq!(stored(&store, "ada@example.com").await, current, "{kind}");
        let codes = codes(&store, "ada@example.com", CodePurpose::Verification).await;
        assert_eq!(codes.version(), 0, "{kind}: the record not written either");
    }
}
