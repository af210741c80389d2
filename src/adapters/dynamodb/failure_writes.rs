//! The writes of the lockout's counters (`RecordFailure`, `ClearFailures`): increments and
//! removals on the account item that never touch its version, so a failed password check
//! never conflicts with a real change of the account, and concurrent failures never lose a count.

use anyhow::Context;
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::errors::Role;
use super::item::{attr, n};
use super::writes::{Writes, conditional};
use crate::domain::{Email, MAX_LOCK_SECONDS, UserId};

impl Writes<'_> {
    /// One more failed password check of account `id` under `key` at `at`: the first of a new
    /// run (`SET` to 1) if the last is older than the reset window or absent, else an atomic
    /// `ADD`. Neither touches the version: failures are not account data.
    pub(super) fn record_failure(
        &self,
        key: &Email,
        id: UserId,
        at: u64,
        restart: bool,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let (expression, condition) = if restart {
            (
                "SET #count = :one, #last = :at",
                "#id = :id AND (attribute_not_exists(#last) OR #last <= :cutoff)",
            )
        } else {
            (
                "SET #last = :at ADD #count :one",
                "#id = :id AND #last > :cutoff",
            )
        };
        let update = self
            .account_update(key, id)
            .update_expression(expression)
            .condition_expression(condition)
            .expression_attribute_names("#count", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#last", attr::LAST_FAILURE_AT)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":at", n(at))
            .expression_attribute_values(":cutoff", n(at.saturating_sub(MAX_LOCK_SECONDS)))
            .build()
            .context("building a failure count")?;
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
