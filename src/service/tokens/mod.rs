//! What a session hands out besides its refresh tokens (which are domain values): RS256 access
//! tokens and the keys that sign them, how long refresh tokens live, and the pair a sign-in or
//! a refresh answers.

mod access_token;
mod signing_keys;

pub use access_token::{
    AccessToken, AccessTokens, Bearer, InvalidAccessToken, SCOPE, TokenSettings,
};
pub use signing_keys::{ALGORITHM, SigningKeys};

use crate::domain::RefreshToken;

/// How long refresh tokens live and how long a spent one is forgiven.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Lifetime of each refresh token, in seconds from when it is issued.
    pub refresh_ttl: u64,
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
