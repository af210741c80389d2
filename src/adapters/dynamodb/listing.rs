//! The administrator's reads: an account by its id, and pages of accounts.
//!
//! The table has a partition key only, so no key is ordered: a listing is a `Scan`, filtered
//! to account items (and to an address prefix, with `begins_with`), in the table's own order
//! (by the hash of `pk`), which is stable. A page reads on until it holds `limit` accounts or
//! the table ends, or (once it holds one) after [`SCAN_CALLS_PER_PAGE`] calls, and ends at
//! its last account: the cursor is that account's address, which [`AccountCursor`] keeps to an
//! address, so a cursor can only ever start a scan at an account's key. Scanning costs every
//! item evaluated, kept or not (docs/data-model.md: Listing accounts).

use anyhow::Context;

use super::DynamoDbStore;
use super::errors::store_error;
use super::fields::Fields;
use super::item::{self, Item, attr, s};
use crate::domain::{AccountCursor, EmailPrefix, UserId};
use crate::service::{AccountPage, AccountRecord, AtAddress, StoreError};

/// Calls one page makes at most once it holds an account (without one, it reads on: an empty
/// page with a cursor could not say where it ended).
pub(super) const SCAN_CALLS_PER_PAGE: usize = 8;

/// Items one `Scan` call evaluates (its `Limit`) for a page of `limit` accounts: enough that
/// a table of accounts fills a page in one call, few enough that a call costs a bounded read.
pub(super) fn scan_batch(limit: usize) -> i32 {
    i32::try_from((limit * 4).clamp(100, 1000)).unwrap_or(1000)
}

/// How often the id reservation is read again when the account it points to has moved.
const ID_READS: usize = 3;

impl DynamoDbStore {
    pub(super) async fn record_by_id(
        &self,
        id: UserId,
    ) -> Result<Option<AccountRecord>, StoreError> {
        let mut pointer = None;
        for _ in 0..ID_READS {
            let Some(found) = self
                .get(item::id_key(id), "reading an id reservation")
                .await?
            else {
                return Ok(None);
            };
            let address = (Fields(&found).text(attr::EMAIL))
                .map(str::to_owned)
                .context("parsing an id reservation")
                .map_err(StoreError::Unexpected)?;
            if pointer.as_ref() == Some(&address) {
                // Read twice, pointing at an address that does not hold the account.
                return Ok(None);
            }
            let key = item::key(format!("{}{address}", item::EMAIL_PREFIX));
            let account = self.get(key, "reading an account by id").await?;
            match account.as_ref().map(parse_record).transpose() {
                Ok(Some(record)) if record.user.id() == id => return Ok(Some(record)),
                // Moved (or deleted) between the two reads: the reservation says where to.
                Ok(_) => pointer = Some(address),
                Err(error) => return Err(StoreError::Unexpected(error)),
            }
        }
        Ok(None)
    }

    pub(super) async fn page(
        &self,
        prefix: &EmailPrefix,
        after: Option<&AccountCursor>,
        limit: usize,
    ) -> Result<AccountPage, StoreError> {
        let mut accounts = Vec::new();
        let mut start = after.map(|cursor| item::email_key(cursor.key()));
        let mut calls = 0;
        let more = loop {
            let mut filter = String::from("#kind = :account");
            let mut scan = self
                .client
                .scan()
                .table_name(&*self.table)
                .limit(scan_batch(limit))
                .expression_attribute_names("#kind", attr::KIND)
                .expression_attribute_values(":account", s("account"))
                .set_exclusive_start_key(start);
            if !prefix.as_ref().is_empty() {
                filter.push_str(" AND begins_with(#email, :prefix)");
                scan = scan
                    .expression_attribute_names("#email", attr::EMAIL)
                    .expression_attribute_values(":prefix", s(prefix.as_ref()));
            }
            let output = (scan.filter_expression(filter).send().await)
                .map_err(|e| store_error(e, "listing accounts"))?;
            calls += 1;
            for found in output.items() {
                accounts.push(
                    parse_record(found)
                        .context("parsing a listed account")
                        .map_err(StoreError::Unexpected)?,
                );
            }
            start = output.last_evaluated_key;
            let full = accounts.len() >= limit;
            let tired = calls >= SCAN_CALLS_PER_PAGE && !accounts.is_empty();
            if start.is_none() || full || tired {
                break start.is_some() || accounts.len() > limit;
            }
        };
        accounts.truncate(limit);
        let next = (more)
            .then(|| accounts.last().map(|last| AccountCursor::after(&last.user)))
            .flatten();
        Ok(AccountPage { accounts, next })
    }
}

/// An account item, with when it was last written (`created_at` for items that predate the
/// stamp).
fn parse_record(found: &Item) -> anyhow::Result<AccountRecord> {
    let AtAddress::Account(user) = item::parse_address(Some(found))? else {
        anyhow::bail!("an address item that holds no account");
    };
    let fields = Fields(found);
    let created_at = fields.number(attr::CREATED_AT)?;
    Ok(AccountRecord {
        user,
        updated_at: fields.number_or(attr::UPDATED_AT, created_at)?,
    })
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::types::AttributeValue;

    use super::*;

    #[test]
    fn a_scan_call_reads_a_bounded_batch() {
        assert_eq!(scan_batch(1), 100);
        assert_eq!(scan_batch(50), 200);
        assert_eq!(scan_batch(200), 800);
    }

    #[test]
    fn a_cursor_starts_the_scan_at_an_account_key() {
        let user = crate::domain::fixtures::ada();
        let cursor = AccountCursor::after(&user);
        assert_eq!(
            item::email_key(cursor.key()).get(item::PARTITION_KEY),
            Some(&AttributeValue::S("EMAIL#ada@example.com".to_owned()))
        );
    }
}
