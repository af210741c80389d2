//! Each [`Change`] as the writes that make it, with the role of each (so that a cancelled
//! transaction can be explained): the dispatch from the port's change kinds to [`Writes`].

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};

use super::DynamoDbStore;
use super::errors::Role;
use super::item::{self, Item, attr, s};
use super::writes::{Writes, conditional};
use super::{challenge_item, event_item};
use crate::domain::Revision;
use crate::service::{Change, CommitError, StoreError};

impl DynamoDbStore {
    /// The stored account item `account` was read from, provided it is still at that version.
    async fn read_again(&self, account: &Revision) -> Result<Item, CommitError> {
        let found = self
            .get(item::email_key(account.key()), "reading an account to move")
            .await?
            .ok_or(CommitError::Conflict)?;
        let current = item::parse_account(&found)
            .context("parsing an account to move")
            .map_err(StoreError::Unexpected)?;
        if current.revision() == account {
            Ok(found)
        } else {
            Err(CommitError::Conflict)
        }
    }

    /// The writes of one change, with the role of each.
    pub(super) async fn items(
        &self,
        writes: &Writes<'_>,
        change: Change,
    ) -> Result<Vec<(TransactWriteItem, Role)>, CommitError> {
        let update = |built: anyhow::Result<Update>| built.map(|update| vec![conditional(update)]);
        let built = match change {
            Change::Create(user) => writes
                .create(
                    item::account_item(user.stored(), writes.now),
                    item::id_item(user.stored()),
                )
                .map(Vec::from),
            Change::SetStatus {
                account,
                active,
                session_epoch,
            } => update(writes.update(
                &account,
                &[
                    (attr::ACTIVE, AttributeValue::Bool(active)),
                    (attr::SESSION_EPOCH, item::n(session_epoch)),
                ],
            )),
            Change::SetDisabled {
                account,
                disabled,
                session_epoch,
            } => update(writes.update(
                &account,
                &[
                    (attr::DISABLED, AttributeValue::Bool(disabled)),
                    (attr::SESSION_EPOCH, item::n(session_epoch)),
                ],
            )),
            Change::ReplaceHash {
                account,
                hash,
                session_epoch,
            } => update(writes.update(
                &account,
                &[
                    (attr::PASSWORD_HASH, s(hash.expose())),
                    (attr::SESSION_EPOCH, item::n(session_epoch)),
                ],
            )),
            Change::MoveEmail {
                account,
                to,
                session_epoch,
                email_verified,
            } => {
                let stored = self.read_again(&account).await?;
                writes
                    .move_email(&account, stored, &to, session_epoch, email_verified)
                    .map(Vec::from)
            }
            Change::VerifyEmail { account } => update(writes.update(
                &account,
                &[(attr::EMAIL_VERIFIED, AttributeValue::Bool(true))],
            )),
            Change::ResetPassword {
                account,
                hash,
                session_epoch,
                clear_failures,
            } => update(writes.update_removing(
                &account,
                &[
                    (attr::PASSWORD_HASH, s(hash.expose())),
                    (attr::SESSION_EPOCH, item::n(session_epoch)),
                    (attr::EMAIL_VERIFIED, AttributeValue::Bool(true)),
                ],
                match clear_failures {
                    true => &[attr::FAILED_ATTEMPTS, attr::LAST_FAILURE_AT],
                    false => &[],
                },
            )),
            Change::Rename {
                account,
                name,
                surname,
            } => update(writes.update(
                &account,
                &[
                    (attr::NAME, s(name.as_ref())),
                    (attr::SURNAME, s(surname.as_ref())),
                ],
            )),
            Change::SaveCodes(record) => writes.save_codes(&record).map(|item| vec![item]),
            Change::Delete { account } => writes.delete(&account).map(Vec::from),
            Change::Require { account } => writes.require(&account).map(|item| vec![item]),
            Change::EndSessions { key, id, epoch } => {
                writes.end_sessions(&key, id, epoch).map(|item| vec![item])
            }
            Change::StartSession(session) => writes.start_session(&session).map(|item| vec![item]),
            Change::RotateSession { session, from } => {
                writes.rotate_session(&session, from).map(|item| vec![item])
            }
            Change::RevokeSession { session, owner } => {
                writes.revoke_session(session, owner).map(|item| vec![item])
            }
            Change::ReserveAttempt {
                key,
                owner,
                at,
                read,
                locks,
            } => writes
                .reserve_attempt(&key, owner, at, read, locks.as_ref())
                .map(|item| vec![item]),
            Change::ClearFailures { key, id } => {
                writes.clear_failures(&key, id).map(|item| vec![item])
            }
            Change::DeleteSession { session } => {
                writes.delete_session(session).map(|item| vec![item])
            }
            Change::SetSecondFactor {
                account,
                factor,
                active,
                session_epoch,
                lockout,
            } => {
                update(writes.set_second_factor(&account, &factor, active, session_epoch, lockout))
            }
            Change::StartChallenge(challenge) => writes
                .put_new(challenge_item::challenge_item(&challenge))
                .map(|item| vec![(item, Role::NewUserId)]),
            Change::CountChallengeTry { id, tries } => {
                writes.count_challenge_try(id, tries).map(|item| vec![item])
            }
            Change::EndChallenge { id, tries } => {
                writes.end_challenge(id, tries).map(|item| vec![item])
            }
            Change::RecordEvent(event) => writes
                .put_new(event_item::event_item(&event))
                .map(|item| vec![(item, Role::Versioned)]),
        };
        Ok(built.map_err(StoreError::Unexpected)?)
    }
}
