//! The step between a right password and a second factor: the `mfa_token` sign-in answers
//! for an account with TOTP, and the challenge the store keeps for it.
//!
//! The token is `<account key>.<secret>`, both unpadded base64url: the key says where the
//! account lives (so the account and the challenge are read together, in one round trip), the
//! 256-bit secret is what makes it unguessable. The store keeps the challenge under the token's
//! SHA-256 ([`ChallengeId`]), so a copy of the table yields no token. A challenge lives five
//! minutes, allows [`MFA_TRIES`] wrong codes, is spent by a right one, and is bound to the
//! account as it was when its password was checked (its id and version): any change to the
//! account since (a new password, a reset, deactivation, another second-factor sign-in) voids
//! it. It is not an access token and no bearer route accepts it.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::{Email, Invalid, User, UserId};

/// Wrong codes a challenge allows.
pub const MFA_TRIES: u32 = 5;
/// How long a challenge lives, in seconds.
pub const MFA_TOKEN_SECONDS: u64 = 300;

/// An `mfa_token` as handed to the client and sent back. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaToken {
    text: String,
    account: Email,
}

impl MfaToken {
    /// A fresh token for the account stored under `account`.
    pub fn generate(account: &Email) -> Result<Self, getrandom::Error> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)?;
        let text = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(account.as_ref()),
            URL_SAFE_NO_PAD.encode(secret)
        );
        Ok(Self {
            text,
            account: account.clone(),
        })
    }

    /// A token as a client sends it back: where it points is only trusted as far as the
    /// challenge stored under its digest agrees.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("must be the mfa_token sign-in answered");
        let (account, secret) = raw.split_once('.').ok_or_else(invalid)?;
        let account = URL_SAFE_NO_PAD.decode(account).map_err(|_| invalid())?;
        let account = String::from_utf8(account).map_err(|_| invalid())?;
        let secret = URL_SAFE_NO_PAD.decode(secret).map_err(|_| invalid())?;
        if secret.len() != 32 || !account.contains('@') || account.len() > 320 {
            return Err(invalid());
        }
        Ok(Self {
            text: raw.to_owned(),
            account: Email::from_stored(&account),
        })
    }

    /// The key of the account the token names.
    pub fn account(&self) -> &Email {
        &self.account
    }

    /// Where its challenge is stored.
    pub fn challenge_id(&self) -> ChallengeId {
        ChallengeId(Sha256::digest(self.text.as_bytes()).into())
    }

    pub fn reveal(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for MfaToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaToken(<redacted>)")
    }
}

/// The SHA-256 of an `mfa_token`: its challenge's key in the store.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChallengeId([u8; 32]);

impl ChallengeId {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for ChallengeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for ChallengeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChallengeId({self})")
    }
}

/// A challenge as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaChallenge {
    pub(crate) id: ChallengeId,
    pub(crate) user: UserId,
    /// The account's version when its password was checked.
    pub(crate) version: u64,
    /// Wrong codes so far.
    pub(crate) tries: u32,
    /// Unix seconds.
    pub(crate) expires_at: u64,
}

impl MfaChallenge {
    /// The challenge of `token`, for `user` as just checked, at `now`.
    pub fn issue(token: &MfaToken, user: &User, now: u64) -> Self {
        Self {
            id: token.challenge_id(),
            user: user.id(),
            version: user.version(),
            tries: 0,
            expires_at: now.saturating_add(MFA_TOKEN_SECONDS),
        }
    }

    /// A challenge read back from a store.
    pub fn restore(
        id: ChallengeId,
        user: UserId,
        version: u64,
        tries: u32,
        expires_at: u64,
    ) -> Self {
        Self {
            id,
            user,
            version,
            tries,
            expires_at,
        }
    }

    /// Whether a code may still be tried against it at `now`, for `user` as read: unexpired,
    /// tries left, and the account unchanged since its password was checked.
    pub fn admits(&self, user: &User, now: u64) -> bool {
        now < self.expires_at
            && self.tries < MFA_TRIES
            && user.id() == self.user
            && user.version() == self.version
    }

    pub fn id(&self) -> ChallengeId {
        self.id
    }

    pub fn user(&self) -> UserId {
        self.user
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn tries(&self) -> u32 {
        self.tries
    }

    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::ada;

    const T: u64 = 1_800_000_000;

    #[test]
    fn a_token_names_its_account_and_reads_back_as_itself() {
        let user = ada();
        let token = MfaToken::generate(user.email()).expect("random");
        let back = MfaToken::parse(token.reveal()).expect("parses");
        assert_eq!(back.account(), user.email());
        assert_eq!(back.challenge_id(), token.challenge_id());
        assert_ne!(
            MfaToken::generate(user.email())
                .expect("random")
                .challenge_id(),
            token.challenge_id()
        );
    }

    #[test]
    fn anything_but_a_token_is_refused() {
        let good = MfaToken::generate(ada().email()).expect("random");
        let (account, _) = good.reveal().split_once('.').expect("two parts");
        for raw in [
            "".to_owned(),
            "no-dot".to_owned(),
            format!("{account}.short"),
            format!("{account}.{}", URL_SAFE_NO_PAD.encode([0u8; 31])),
            format!("bm9hdA.{}", URL_SAFE_NO_PAD.encode([0u8; 32])),
            format!("{account}.{}=", URL_SAFE_NO_PAD.encode([0u8; 32])),
        ] {
            assert!(MfaToken::parse(&raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn a_challenge_admits_codes_for_five_minutes_five_wrong_ones_and_its_account_unchanged() {
        let user = ada();
        let token = MfaToken::generate(user.email()).expect("random");
        let challenge = MfaChallenge::issue(&token, &user, T);
        assert!(challenge.admits(&user, T));
        assert!(challenge.admits(&user, T + MFA_TOKEN_SECONDS - 1));
        assert!(!challenge.admits(&user, T + MFA_TOKEN_SECONDS));
        let worn = MfaChallenge {
            tries: MFA_TRIES,
            ..challenge.clone()
        };
        assert!(!worn.admits(&user, T));
        assert!(!challenge.admits(&ada(), T), "another account");
        let mut changed = user.clone();
        changed.end_sessions();
        let changed = User::restore(crate::domain::StoredUser {
            version: user.version() + 1,
            ..changed.stored().clone()
        });
        assert!(!challenge.admits(&changed, T), "the account changed since");
    }

    #[test]
    fn debug_output_hides_the_token() {
        let token = MfaToken::generate(ada().email()).expect("random");
        assert!(!format!("{token:?}").contains(token.reveal()));
    }
}
