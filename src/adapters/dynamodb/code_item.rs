//! How a code record is laid out in the table: one **code item** (`pk =
//! CODE#<purpose>#<address>`) per address and purpose, holding the mails sent to the address
//! lately, the wrong codes presented lately and the live code of the account stored under the
//! address (its HMAC digest, never its digits). It is read together with the address's own
//! item (one `TransactGetItems`), written whole by one `Put` conditioned on its version, and
//! carries the table's TTL attribute: DynamoDB deletes it some time after nothing in it matters
//! any more (an unused code included).

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};

use super::errors::Role;
use super::fields::Fields;
use super::item::{self, Item, attr, key, n, s};
use super::writes::Writes;
use crate::domain::{
    CodeDigest, CodePurpose, CodeRecord, Email, LiveCode, Sends, UserId, WrongCodes,
};

const CODES_PREFIX: &str = "CODE#";
/// The `kind` of a code item.
const CODES_KIND: &str = "codes";

/// Attribute names of a code item (beside `pk`, `kind`, `email`, `version`, `expires_at`).
mod codes_attr {
    pub(super) const PURPOSE: &str = "purpose";
    pub(super) const SENDS: &str = "sends";
    pub(super) const SENDS_SINCE: &str = "sends_since";
    pub(super) const SENT_AT: &str = "sent_at";
    pub(super) const WRONG_CODES: &str = "wrong_codes";
    pub(super) const WRONG_SINCE: &str = "wrong_since";
    pub(super) const CODE_ACCOUNT: &str = "code_account";
    pub(super) const CODE_DIGEST: &str = "code_digest";
    pub(super) const CODE_EXPIRES_AT: &str = "code_expires_at";
    pub(super) const CODE_TRIES: &str = "code_tries";
    pub(super) const CODE_TO: &str = "code_to";
}
use codes_attr::*;

/// The key of the code item of `purpose` at `address`.
pub(super) fn codes_key(purpose: CodePurpose, address: &Email) -> Item {
    key(format!(
        "{CODES_PREFIX}{}#{}",
        purpose.name(),
        address.as_ref()
    ))
}

/// The item of `record` once written: at the next version, kept until nothing in it matters.
pub(super) fn codes_item(record: &CodeRecord) -> Item {
    let mut item = codes_key(record.purpose(), record.address());
    let (sends, wrong) = (record.sends(), record.wrong_codes());
    item.extend([
        (attr::KIND.to_owned(), s(CODES_KIND)),
        (PURPOSE.to_owned(), s(record.purpose().name())),
        (attr::EMAIL.to_owned(), s(record.address().as_ref())),
        (attr::VERSION.to_owned(), n(record.version() + 1)),
        (SENDS.to_owned(), n(u64::from(sends.count))),
        (SENDS_SINCE.to_owned(), n(sends.since)),
        (SENT_AT.to_owned(), n(sends.last_at)),
        (WRONG_CODES.to_owned(), n(u64::from(wrong.count))),
        (WRONG_SINCE.to_owned(), n(wrong.since)),
        (attr::EXPIRES_AT.to_owned(), n(record.matters_until())),
    ]);
    if let Some(live) = record.live() {
        item.extend([
            (CODE_ACCOUNT.to_owned(), s(live.account.to_string())),
            (
                CODE_DIGEST.to_owned(),
                AttributeValue::B(Blob::new(live.digest.bytes().to_vec())),
            ),
            (CODE_EXPIRES_AT.to_owned(), n(live.expires_at)),
            (CODE_TRIES.to_owned(), n(u64::from(live.tries))),
        ]);
        if let Some(to) = &live.to {
            item.insert(CODE_TO.to_owned(), s(to.as_ref()));
        }
    }
    item
}

impl Writes<'_> {
    /// The code record's item as decided, provided the stored one is at the version read.
    pub(super) fn save_codes(
        &self,
        record: &CodeRecord,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let put = Put::builder()
            .table_name(self.table)
            .set_item(Some(codes_item(record)));
        let put = match record.version() {
            0 => put
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", item::PARTITION_KEY),
            read => put
                .condition_expression("#version = :read")
                .expression_attribute_names("#version", attr::VERSION)
                .expression_attribute_values(":read", n(read)),
        };
        let put = put.build().context("building a code record")?;
        Ok((
            TransactWriteItem::builder().put(put).build(),
            Role::Versioned,
        ))
    }
}

/// The code record of `purpose` at `address` from its item (none stored: an empty record).
pub(super) fn parse_codes(
    purpose: CodePurpose,
    address: &Email,
    found: Option<&Item>,
) -> anyhow::Result<CodeRecord> {
    let Some(item) = found else {
        return Ok(CodeRecord::empty(purpose, address.clone()));
    };
    let fields = Fields(item);
    if fields.text(PURPOSE)? != purpose.name() || fields.text(attr::EMAIL)? != address.as_ref() {
        return Err(anyhow!(
            "a code item under another purpose's or address's key"
        ));
    }
    let count = |name: &str| -> anyhow::Result<u32> {
        u32::try_from(fields.number(name)?).with_context(|| format!("attribute `{name}`"))
    };
    let live = match item.get(CODE_DIGEST) {
        None => None,
        Some(AttributeValue::B(blob)) => Some(LiveCode {
            account: UserId::parse(fields.text(CODE_ACCOUNT)?)
                .context("attribute `code_account`")?,
            digest: CodeDigest::from_bytes(
                <[u8; 32]>::try_from(blob.as_ref()).context("attribute `code_digest`")?,
            ),
            expires_at: fields.number(CODE_EXPIRES_AT)?,
            tries: count(CODE_TRIES)?,
            to: match item.get(CODE_TO) {
                None => None,
                Some(_) => Some(Email::from_stored(fields.text(CODE_TO)?)),
            },
        }),
        Some(_) => return Err(anyhow!("attribute `{CODE_DIGEST}` is not binary")),
    };
    Ok(CodeRecord {
        purpose,
        address: address.clone(),
        version: fields.number(attr::VERSION)?,
        sends: Sends {
            count: count(SENDS)?,
            since: fields.number(SENDS_SINCE)?,
            last_at: fields.number(SENT_AT)?,
        },
        wrong: WrongCodes {
            count: count(WRONG_CODES)?,
            since: fields.number(WRONG_SINCE)?,
        },
        live,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::ada;

    #[test]
    fn a_code_record_survives_its_item_at_the_next_version() {
        let user = ada();
        let mut record = CodeRecord::empty(CodePurpose::EmailChange, user.email().clone());
        record.count_send(1_800_000_000);
        record.issue(LiveCode {
            account: user.id(),
            digest: CodeDigest::from_bytes([9; 32]),
            expires_at: 1_800_000_900,
            tries: 2,
            to: Some(Email::parse("countess@example.com").expect("valid")),
        });
        let item = codes_item(&record);

        let read = parse_codes(CodePurpose::EmailChange, user.email(), Some(&item));

        record.version = 1;
        assert_eq!(read.ok(), Some(record));
        assert_eq!(
            item.get("pk"),
            Some(&s("CODE#email_change#ada@example.com"))
        );
    }

    #[test]
    fn no_item_is_an_empty_record_and_an_item_under_another_key_is_an_error() {
        let user = ada();
        let empty = parse_codes(CodePurpose::Verification, user.email(), None).expect("empty");
        assert_eq!(empty.version(), 0);
        let item = codes_item(&empty);
        assert!(parse_codes(CodePurpose::PasswordReset, user.email(), Some(&item)).is_err());
    }
}
