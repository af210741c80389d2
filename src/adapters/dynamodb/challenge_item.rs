//! How an MFA challenge is laid out in the table: one **challenge item**
//! (`pk = MFA#<hex SHA-256 of the mfa_token>`) per sign-in awaiting its second factor, holding
//! the account it is for (`mfa_user`, never `user_id`, which would put it in the
//! `sessions-by-user` index), the account's version when its password was checked, the wrong
//! codes so far and its expiry (also the TTL). No token is stored: only its digest, as the key.

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem, Update};

use super::errors::Role;
use super::fields::Fields;
use super::item::{Item, PARTITION_KEY, attr, key, n, s};
use super::writes::Writes;
use crate::domain::{ChallengeId, MfaChallenge, UserId};

const CHALLENGE_PREFIX: &str = "MFA#";
const KIND: &str = "mfa_challenge";
const USER: &str = "mfa_user";
const ACCOUNT_VERSION: &str = "account_version";
const TRIES: &str = "tries";

/// The key of challenge `id`'s item.
pub(super) fn challenge_key(id: ChallengeId) -> Item {
    key(format!("{CHALLENGE_PREFIX}{id}"))
}

/// A challenge's item.
pub(super) fn challenge_item(challenge: &MfaChallenge) -> Item {
    let mut item = challenge_key(challenge.id());
    item.extend([
        (attr::KIND.to_owned(), s(KIND)),
        (USER.to_owned(), s(challenge.user().to_string())),
        (ACCOUNT_VERSION.to_owned(), n(challenge.version())),
        (TRIES.to_owned(), n(u64::from(challenge.tries()))),
        (attr::EXPIRES_AT.to_owned(), n(challenge.expires_at())),
    ]);
    item
}

/// Rebuilds a challenge from its item (`found`, read under `id`'s key).
pub(super) fn parse_challenge(id: ChallengeId, found: &Item) -> anyhow::Result<MfaChallenge> {
    let fields = Fields(found);
    let stored = format!("{CHALLENGE_PREFIX}{id}");
    if fields.text(PARTITION_KEY)? != stored {
        return Err(anyhow!(
            "attribute `{PARTITION_KEY}` is not the challenge's key"
        ));
    }
    Ok(MfaChallenge::restore(
        id,
        UserId::parse(fields.text(USER)?).context("attribute `mfa_user`")?,
        fields.number(ACCOUNT_VERSION)?,
        u32::try_from(fields.number(TRIES)?).context("attribute `tries`")?,
        fields.number(attr::EXPIRES_AT)?,
    ))
}

impl Writes<'_> {
    /// `CountChallengeTry`: `tries` one more, if it is still `tries`.
    pub(super) fn count_challenge_try(
        &self,
        id: ChallengeId,
        tries: u32,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let update = Update::builder()
            .table_name(self.table)
            .set_key(Some(challenge_key(id)))
            .update_expression("SET #tries = :next")
            .condition_expression("#tries = :read")
            .expression_attribute_names("#tries", TRIES)
            .expression_attribute_values(":read", n(u64::from(tries)))
            .expression_attribute_values(":next", n(u64::from(tries) + 1))
            .build()
            .context("building a challenge's count")?;
        Ok((
            TransactWriteItem::builder().update(update).build(),
            Role::Versioned,
        ))
    }

    /// `EndChallenge`: the item removed, if it still has `tries`.
    pub(super) fn end_challenge(
        &self,
        id: ChallengeId,
        tries: u32,
    ) -> anyhow::Result<(TransactWriteItem, Role)> {
        let delete = Delete::builder()
            .table_name(self.table)
            .set_key(Some(challenge_key(id)))
            .condition_expression("#tries = :read")
            .expression_attribute_names("#tries", TRIES)
            .expression_attribute_values(":read", n(u64::from(tries)))
            .build()
            .context("building a challenge's end")?;
        Ok((
            TransactWriteItem::builder().delete(delete).build(),
            Role::Versioned,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MfaToken;
    use crate::domain::fixtures::ada;

    #[test]
    fn a_challenge_survives_its_item() {
        let user = ada();
        let token = MfaToken::generate(user.email()).expect("random");
        let challenge = MfaChallenge::issue(&token, &user, 1_800_000_000);
        let item = challenge_item(&challenge);
        assert_eq!(parse_challenge(challenge.id(), &item).ok(), Some(challenge));
        assert!(
            !item.contains_key(attr::USER_ID),
            "kept out of the sessions index"
        );
    }
}
