//! The writes of the lockout's count (`ReserveAttempt`, `ClearFailures`) on the account item:
//! conditioned on the count as read, never on the version, so a password check never
//! conflicts with a real change of the account, and of two checks counted from one read only
//! one lands (the other reads again, and finds the account locked or counts one more).

use anyhow::Context;
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::errors::Role;
use super::item::{attr, n};
use super::writes::{Writes, conditional};
use crate::domain::{Email, Failures, MAX_LOCK_SECONDS, UserId};

impl Writes<'_> {
    /// One more password check of account `id` under `key`, begun at `at`, counted before it
    /// runs: the first of a new run if `read` has none standing (and the item still has none),
    /// else one more of the run read (which the item must still hold exactly). Neither touches
    /// the version: the count is not account data.
    pub(super) fn reserve_attempt(
        &self,
        key: &Email,
        id: UserId,
        at: u64,
        read: Failures,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let next = read.reserved(at);
        let update = self
            .account_update(key, id)
            .update_expression("SET #count = :count, #last = :at")
            .expression_attribute_names("#count", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#last", attr::LAST_FAILURE_AT)
            .expression_attribute_values(":count", n(u64::from(next.count)))
            .expression_attribute_values(":at", n(at));
        let update = match read.current(at) {
            0 => update
                .condition_expression(
                    "#id = :id AND (attribute_not_exists(#last) OR #last <= :cutoff)",
                )
                .expression_attribute_values(":cutoff", n(at.saturating_sub(MAX_LOCK_SECONDS))),
            _ => update
                .condition_expression("#id = :id AND #count = :read AND #last = :read_at")
                .expression_attribute_values(":read", n(u64::from(read.count)))
                .expression_attribute_values(":read_at", n(read.last_at)),
        }
        .build()
        .context("building a password check's count")?;
        Ok(conditional(update))
    }

    /// Clears the failed password checks of account `id` under `key`.
    pub(super) fn clear_failures(
        &self,
        key: &Email,
        id: UserId,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let update = self
            .account_update(key, id)
            .update_expression("REMOVE #count, #last")
            .condition_expression("#id = :id")
            .expression_attribute_names("#count", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#last", attr::LAST_FAILURE_AT)
            .build()
            .context("building a failure reset")?;
        Ok(conditional(update))
    }
}
