//! The `AccountStore` contract, written once and run against every adapter: the in-memory
//! twin and DynamoDB (Local, found through `AWS_ENDPOINT_URL_DYNAMODB`; each test gets a table
//! of its own). A behaviour difference between the two fails here, even when each adapter's
//! own tests pass.
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod attempts;
mod challenges;
mod codes;
mod events;
mod second_factor;
mod session_list;
mod sessions;
mod suite;

/// Instantiates every test of `suite` once per adapter.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod in_memory {
            use user_service::adapters::in_memory::InMemoryStore;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    crate::suite::$name(InMemoryStore::new()).await;
                }
            )*
        }

        mod dynamodb {
            use crate::common::dynamodb::Local;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    crate::suite::$name(Local::new().await.store()).await;
                }
            )*
        }
    };
}

contract!(
    a_change_set_of_more_records_than_a_transaction_holds_writes_nothing,
    every_change_writes_its_events_with_it_numbered_without_gaps,
    an_event_carries_its_time_request_actor_and_expiry,
    a_cancelled_change_set_writes_none_of_its_events,
    the_check_that_locks_an_account_writes_its_event_once_of_a_burst,
    an_accounts_events_page_newest_first_before_a_sequence,
    a_created_account_reads_back_exactly_as_it_was_created,
    an_address_nobody_registered_reads_as_nothing,
    a_taken_address_refuses_a_second_account_and_keeps_the_first,
    of_concurrent_creates_with_one_address_exactly_one_wins,
    set_status_writes_the_status_and_nothing_else,
    replace_hash_writes_the_hash_and_nothing_else,
    move_email_moves_the_whole_account_and_frees_the_old_address,
    move_email_to_a_taken_address_changes_neither_account,
    delete_removes_the_account_and_frees_its_address,
    every_kind_of_change_conflicts_on_a_stale_version_and_writes_nothing,
    a_change_to_an_account_deleted_and_recreated_since_conflicts,
    a_stale_read_outranks_a_taken_address,
    a_failed_change_set_writes_none_of_its_changes,
    a_change_set_may_write_an_account_only_once,
    of_concurrent_changes_from_one_read_exactly_one_lands,
    a_started_session_reads_back_exactly_and_others_read_as_nothing,
    starting_a_session_under_a_taken_id_is_unexpected,
    a_rotation_applies_once_per_generation,
    of_concurrent_rotations_from_one_token_exactly_one_lands,
    a_revoked_session_stays_revoked_and_rotates_no_more,
    revoking_a_session_that_does_not_exist_conflicts_and_creates_nothing,
    ending_sessions_moves_the_epoch_and_version_on_whatever_version_was_read,
    ending_the_sessions_of_an_account_that_is_gone_conflicts,
    a_status_change_writes_the_session_epoch,
    a_rotation_with_a_stale_account_check_writes_nothing,
    an_accounts_sessions_are_listed_and_each_can_be_deleted,
    checks_are_counted_from_the_count_read_by_run_and_cleared_without_the_version,
    checks_against_an_address_no_account_has_are_counted_and_make_no_account,
    an_account_takes_over_an_address_that_was_guessed_at,
    an_unowned_count_conflicts_once_an_account_has_the_address,
    a_code_record_nobody_wrote_reads_empty_beside_what_the_address_holds,
    saved_codes_read_back_whole_at_the_next_version_and_leave_the_account,
    codes_for_an_address_no_account_has_make_no_account,
    codes_saved_from_a_stale_version_conflict_and_write_nothing,
    of_concurrent_code_writes_from_one_read_exactly_one_lands,
    verify_email_writes_the_flag_and_nothing_else,
    a_reset_writes_the_hash_the_epoch_the_flag_and_clears_the_failures,
    rename_writes_the_names_and_nothing_else,
    a_move_writes_whether_the_new_address_is_verified,
    the_changes_codes_bring_conflict_on_a_stale_version_and_write_nothing,
    a_second_factor_survives_a_write_and_reads_back_exactly,
    set_second_factor_writes_the_factor_the_status_and_the_epoch_and_nothing_else,
    set_second_factor_clears_the_failed_checks_only_when_passed,
    a_pass_conditioned_on_the_count_conflicts_once_a_check_was_counted_since,
    a_stale_second_factor_conflicts_and_clears_no_count,
    a_moved_account_keeps_its_second_factor,
    a_started_challenge_reads_back_exactly_with_its_account,
    starting_a_challenge_under_a_taken_id_is_unexpected,
    a_change_set_may_write_a_challenge_only_once,
    a_challenge_try_counts_once_per_read_and_conflicts_once_gone,
    ending_a_challenge_removes_it_and_conflicts_when_stale_or_gone,
    of_concurrent_challenge_tries_from_one_read_exactly_one_lands,
    a_challenge_change_and_a_failing_account_change_write_neither,
    a_sessions_amr_survives_storage_and_rotation,
    set_disabled_writes_the_flag_and_the_epoch_and_nothing_else,
    set_disabled_on_a_stale_version_conflicts_and_writes_nothing,
    an_account_is_found_by_its_id_wherever_it_lives_and_not_once_gone,
    pages_hold_every_account_of_a_prefix_once_and_end,
    a_cursor_whose_account_is_gone_still_leads_on,
    an_accounts_sessions_read_back_whole_as_stored_and_no_other_accounts,
    a_session_is_revoked_for_its_owner_only_and_another_accounts_revocation_conflicts,
);
