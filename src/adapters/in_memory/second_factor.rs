//! What the second-factor changes do to the in-memory state: the account's factor, and the
//! MFA challenges (DynamoDB's challenge items), by the same rules as `dynamodb/challenge_item.rs`.

use anyhow::anyhow;

use super::data::{Data, written};
use crate::domain::Failures;
use crate::service::{Change, CommitError, Lockout, StoreError};

impl Data {
    /// Applies one of the second-factor changes; any other change is a bug here.
    pub(super) fn apply_second_factor(&mut self, change: Change) -> Result<(), CommitError> {
        match change {
            Change::SetSecondFactor {
                account,
                factor,
                active,
                session_epoch,
                lockout,
            } => {
                let stored = self.current(&account)?;
                match lockout {
                    Lockout::Keep => {}
                    Lockout::Clear => stored.failures = Failures::default(),
                    Lockout::ClearIfStill(read) if stored.failures == read => {
                        stored.failures = Failures::default();
                    }
                    Lockout::ClearIfStill(_) => return Err(CommitError::Conflict),
                }
                stored.second_factor = factor;
                stored.active = active;
                stored.session_epoch = session_epoch;
                written(stored, &account);
            }
            Change::StartChallenge(challenge) => {
                if self.challenges.contains_key(&challenge.id()) {
                    let exists = anyhow!("challenge {} exists", challenge.id());
                    return Err(StoreError::Unexpected(exists).into());
                }
                self.challenges.insert(challenge.id(), challenge);
            }
            Change::CountChallengeTry { id, tries } => {
                self.challenges
                    .get_mut(&id)
                    .filter(|stored| stored.tries == tries)
                    .ok_or(CommitError::Conflict)?
                    .tries += 1;
            }
            Change::EndChallenge { id, tries } => {
                self.challenges
                    .get(&id)
                    .filter(|stored| stored.tries == tries)
                    .ok_or(CommitError::Conflict)?;
                self.challenges.remove(&id);
            }
            _ => {
                let misrouted = anyhow!("not a second-factor change");
                return Err(StoreError::Unexpected(misrouted).into());
            }
        }
        Ok(())
    }
}
