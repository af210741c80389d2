//! How a session is laid out in the table: one **session item** (`pk = SESSION#<uuid>`) per
//! sign-in, holding its refresh-token state. A refresh token names its session, so a refresh
//! reads the item directly. No token is stored, not even as a digest: only the generation of
//! the current one, from which (with the session key, kept outside the table) the service
//! recognises every token it issued.

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::types::AttributeValue;

use super::fields::Fields;
use super::item::{Item, PARTITION_KEY, attr, key, n, s};
use crate::domain::{Amr, Email, Session, SessionId, SessionOrigin, SourceIp, UserAgent, UserId};

const SESSION_PREFIX: &str = "SESSION#";
/// `true` when the session's sign-in passed a second factor (its tokens' `amr` says `otp`);
/// absent otherwise.
const AMR_OTP: &str = "amr_otp";
/// The `User-Agent` its sign-in came with (bounded), if it came with one.
const USER_AGENT: &str = "user_agent";
/// The IP address its sign-in came from, if API Gateway said.
const SOURCE_IP: &str = "source_ip";

/// The index of session items by account (`user_id`, keys only): what account deletion reads
/// to find every session, and the list of an account's sessions reads their keys from (see
/// `session_index`). Only session items carry `user_id`, so nothing else is indexed.
pub const SESSIONS_INDEX: &str = "sessions-by-user";
/// The index's partition key.
pub(super) const USER_ATTRIBUTE: &str = attr::USER_ID;

/// The session id of a session item (or of its index entry, which holds the key).
pub(super) fn session_id(item: &Item) -> anyhow::Result<SessionId> {
    let fields = Fields(item);
    let id = fields
        .text(PARTITION_KEY)?
        .strip_prefix(SESSION_PREFIX)
        .ok_or_else(|| anyhow!("attribute `{PARTITION_KEY}` is not a session key"))?;
    SessionId::parse(id).context("attribute `pk`")
}

/// The key of session `id`'s item.
pub(super) fn session_key(id: SessionId) -> Item {
    key(format!("{SESSION_PREFIX}{id}"))
}

/// A session's item. `expires_at` doubles as the table's TTL attribute, so DynamoDB removes
/// the item some time (up to days) after its current token expired; expiry itself is checked
/// on every read.
pub(super) fn session_item(session: &Session) -> Item {
    let mut item = session_key(session.id);
    item.extend([
        (attr::KIND.to_owned(), s("session")),
        (attr::USER_ID.to_owned(), s(session.user.to_string())),
        (attr::EMAIL.to_owned(), s(session.account.as_ref())),
        (attr::SESSION_EPOCH.to_owned(), n(session.epoch)),
        (attr::GENERATION.to_owned(), n(session.generation)),
        (attr::ROTATED_AT.to_owned(), n(session.rotated_at)),
        (attr::EXPIRES_AT.to_owned(), n(session.expires_at)),
        (
            attr::REVOKED.to_owned(),
            AttributeValue::Bool(session.revoked),
        ),
        (attr::CREATED_AT.to_owned(), n(session.created_at)),
    ]);
    if session.amr == Amr::PasswordAndOtp {
        item.insert(AMR_OTP.to_owned(), AttributeValue::Bool(true));
    }
    if let Some(agent) = &session.origin.user_agent {
        item.insert(USER_AGENT.to_owned(), s(agent.as_ref()));
    }
    if let Some(ip) = session.origin.source_ip {
        item.insert(SOURCE_IP.to_owned(), s(ip.to_string()));
    }
    item
}

/// Whether `item` is a session stored before token generations (see [`attr::LEGACY_TOKEN`]).
pub(super) fn is_legacy(item: &Item) -> bool {
    item.contains_key(attr::LEGACY_TOKEN) && !item.contains_key(attr::GENERATION)
}

/// Rebuilds a session from its item; a malformed item is an error, never a default.
pub(super) fn parse_session(item: &Item) -> anyhow::Result<Session> {
    let fields = Fields(item);
    Ok(Session {
        id: session_id(item)?,
        user: UserId::parse(fields.text(attr::USER_ID)?).context("attribute `user_id`")?,
        account: Email::from_stored(fields.text(attr::EMAIL)?),
        epoch: fields.number(attr::SESSION_EPOCH)?,
        generation: fields.number(attr::GENERATION)?,
        rotated_at: fields.number(attr::ROTATED_AT)?,
        expires_at: fields.number(attr::EXPIRES_AT)?,
        revoked: fields.boolean(attr::REVOKED)?,
        created_at: fields.number(attr::CREATED_AT)?,
        // Sessions stored before MFA existed were started by a password alone.
        amr: match fields.boolean_or(AMR_OTP, false)? {
            true => Amr::PasswordAndOtp,
            false => Amr::Password,
        },
        // Sessions stored before origins were kept (and clients that sent none) have none.
        origin: SessionOrigin {
            user_agent: (fields.text_or_none(USER_AGENT)?)
                .map(UserAgent::parse)
                .transpose()
                .context("attribute `user_agent`")?,
            source_ip: (fields.text_or_none(SOURCE_IP)?)
                .map(SourceIp::parse)
                .transpose()
                .context("attribute `source_ip`")?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::ada;

    #[test]
    fn a_session_survives_its_item_before_and_after_rotation() {
        let mut user = ada();
        user.activate();
        let lifetimes = crate::domain::Lifetimes {
            token: 60,
            session: 600,
        };
        let mut session = Session::start(&user, 1_700_000_000, lifetimes);
        let bare = session.clone();
        assert_eq!(parse_session(&session_item(&bare)).ok(), Some(bare));
        session = session.started_from(SessionOrigin {
            user_agent: UserAgent::parse("curl/8.5.0").ok(),
            source_ip: SourceIp::parse("2001:db8::1").ok(),
        });
        assert_eq!(
            parse_session(&session_item(&session)).ok(),
            Some(session.clone())
        );
        session.rotate(1_700_000_030, lifetimes);
        let item = session_item(&session);
        assert!(!is_legacy(&item));
        assert_eq!(parse_session(&item).ok(), Some(session));
    }
}
