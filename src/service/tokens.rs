//! What sessions need besides the store: the access-token issuer, the refresh-token rules and
//! a clock, and the token pair a sign-in or a refresh hands out.

use super::{AccessToken, AccessTokens, Clock};
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

/// Everything the session use cases need to hand out tokens.
#[derive(Debug)]
pub struct Tokens {
    pub access: AccessTokens,
    pub policy: SessionPolicy,
    pub clock: Clock,
}

/// An access token and the refresh token that renews it.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access: AccessToken,
    pub refresh: RefreshToken,
}
