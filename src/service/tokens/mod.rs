//! What a session hands out besides its refresh tokens (which are domain values): RS256 access
//! tokens and the keys that sign them, how long refresh tokens live, and the pair a sign-in or
//! a refresh answers.

mod access_token;
mod session_keys;
mod signing_keys;

pub use access_token::{
    AccessToken, AccessTokens, Bearer, InvalidAccessToken, SCOPE, TokenSettings,
};
pub use session_keys::{CodeBinding, SessionKeys};
pub use signing_keys::{ALGORITHM, SigningKeys};

use crate::domain::{Lifetimes, RefreshToken};

/// Everything a session hands out tokens with.
#[derive(Debug)]
pub struct Tokens {
    pub access: AccessTokens,
    pub refresh: SessionKeys,
    pub policy: SessionPolicy,
}

/// How long refresh tokens and sessions live, and how long a spent token is forgiven.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Lifetime of each refresh token, in seconds from when it is issued.
    pub refresh_ttl: u64,
    /// The longest a session lives, in seconds from its sign-in, however often it refreshes.
    pub max_age: u64,
    /// For how many seconds after it was replaced a spent refresh token is refused quietly
    /// (a client retrying a refresh whose answer it lost), instead of revoking the session.
    pub reuse_grace: u64,
}

/// An access token and the refresh token that renews it.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access: AccessToken,
    pub refresh: RefreshToken,
}

impl SessionPolicy {
    /// The lifetimes a session's tokens are given.
    pub fn lifetimes(&self) -> Lifetimes {
        Lifetimes {
            token: self.refresh_ttl,
            session: self.max_age,
        }
    }
}
