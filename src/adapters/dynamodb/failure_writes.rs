//! The writes of the lockout's count (`ReserveAttempt`, `ClearFailures`) on the account item:
//! conditioned on the count as read, not on the version, so a password check does not conflict
//! with a real change of the account, and of two checks counted from one read only one lands
//! (the other reads again, and finds the account locked or counts one more). The count that
//! locks the account also publishes `user.locked` (and counts it in `event_count`).

use anyhow::Context;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};

use super::errors::Role;
use super::item::{self, attr, n, s};
use super::writes::{Writes, conditional};
use crate::domain::{Email, Failures, MAX_LOCK_SECONDS, Revision, UserId};

impl Writes<'_> {
    /// One more password check of account `id` under `key`, begun at `at`, counted before it
    /// runs: the first of a new run if `read` has none standing (and the item still has none),
    /// else one more of the run read (which the item must still hold exactly). Neither touches
    /// the version: the count is not account data.
    pub(super) fn reserve_attempt(
        &self,
        key: &Email,
        owner: Option<UserId>,
        at: u64,
        read: Failures,
        locks: Option<&Revision>,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let next = read.reserved(at);
        // A count that locks the account publishes `user.locked`, numbered on from the event
        // count read (its event item conflicts should another have taken that number).
        let set_events = match locks {
            Some(_) => ", #event_count = :events",
            None => "",
        };
        let run = match read.current(at) {
            0 => "(attribute_not_exists(#last) OR #last <= :cutoff)",
            _ => "#count = :read AND #last = :read_at",
        };
        let update = match owner {
            Some(id) => self
                .account_update(key, id)
                .update_expression(format!("SET #count = :count, #last = :at{set_events}"))
                .condition_expression(format!("#id = :id AND {run}")),
            // No account: the count is the item's only content, and goes by TTL once its run
            // is over. Should an account take the address meanwhile, this no longer applies.
            None => Update::builder()
                .table_name(self.table)
                .set_key(Some(item::email_key(key)))
                .update_expression(
                    "SET #count = :count, #last = :at, #kind = :attempts, #expires = :expires",
                )
                .condition_expression(format!("attribute_not_exists(#id) AND {run}"))
                .expression_attribute_names("#id", attr::ID)
                .expression_attribute_names("#kind", attr::KIND)
                .expression_attribute_names("#expires", attr::EXPIRES_AT)
                .expression_attribute_values(":attempts", s(item::ATTEMPTS_KIND))
                .expression_attribute_values(":expires", n(at.saturating_add(MAX_LOCK_SECONDS))),
        }
        .expression_attribute_names("#count", attr::FAILED_ATTEMPTS)
        .expression_attribute_names("#last", attr::LAST_FAILURE_AT)
        .expression_attribute_values(":count", n(u64::from(next.count)))
        .expression_attribute_values(":at", n(at));
        let update = match read.current(at) {
            0 => update
                .expression_attribute_values(":cutoff", n(at.saturating_sub(MAX_LOCK_SECONDS))),
            _ => update
                .expression_attribute_values(":read", n(u64::from(read.count)))
                .expression_attribute_values(":read_at", n(read.last_at)),
        };
        let update = match locks {
            Some(account) => update
                .expression_attribute_names("#event_count", attr::EVENT_COUNT)
                .expression_attribute_values(":events", n(account.events_after())),
            None => update,
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
