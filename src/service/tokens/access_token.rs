//! Access tokens: short-lived RS256 JWTs that API Gateway's JWT authorizer, or any JWT
//! library given our JWKS, can verify without calling us.
//!
//! Claims: `iss`, `aud`, `sub` (the account id), `email`, `email_verified` (OpenID Connect's
//! claim: whether a code mailed to the address came back), `scope`, `iat`, `nbf`, `exp`, `jti`,
//! `client_id` (RFC 9068's access-token profile, which the header's `typ: at+jwt` declares),
//! the session the token continues: `sid` (its id) and `epoch` (the account's session
//! epoch when it was issued), and `amr` (RFC 8176: `pwd`, and `otp` after a second factor). The function's own bearer routes compare `epoch` with the account
//! they read anyway, so a token dies with every session of its account at once (sign-out
//! everywhere, a password or e-mail change) rather than at `exp`.
//! Verification pins RS256 and the key by `kid`, so `alg: none` and an HMAC "signed" with the
//! public key never reach a signature check.

use std::fmt;

use anyhow::anyhow;
use jsonwebtoken::{Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::signing_keys::{ALGORITHM, SigningKeys};
use crate::domain::{Amr, Email, Session, SessionId, User, UserId};

/// The scope every access token carries; an authorizer can require it.
pub const SCOPE: &str = "account";

/// Seconds of clock difference forgiven when checking `exp` and `nbf`.
const LEEWAY_SECONDS: u64 = 5;

/// Who issues tokens, for whom, and for how long.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// `iss`: the public base URL of the service.
    pub issuer: String,
    /// `aud`: whom the tokens are meant for.
    pub audience: String,
    /// `client_id`: the OAuth client they are issued to (RFC 9068), the one client the token
    /// and revocation endpoints serve.
    pub client_id: String,
    /// Lifetime of an access token, in seconds.
    pub access_ttl: u64,
}

/// A signed access token. `Debug` hides it; [`AccessToken::reveal`] is for the response.
#[derive(Clone)]
pub struct AccessToken {
    text: String,
    expires_in: u64,
}

impl AccessToken {
    pub fn reveal(&self) -> &str {
        &self.text
    }

    /// Seconds until it expires, from when it was issued.
    pub fn expires_in(&self) -> u64 {
        self.expires_in
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    email: String,
    /// Absent from tokens issued before verification existed: those read as unverified.
    #[serde(default)]
    email_verified: bool,
    scope: String,
    iat: u64,
    nbf: u64,
    exp: u64,
    jti: String,
    client_id: String,
    sid: String,
    epoch: u64,
    /// How the session's sign-in was proven (RFC 8176): `["pwd"]` or `["pwd", "otp"]`. Absent
    /// from tokens issued before MFA existed: those read as a password alone.
    #[serde(default)]
    amr: Vec<String>,
}

/// Who a verified access token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bearer {
    pub id: UserId,
    /// The address the account was stored under when the token was issued.
    pub email: Email,
    /// The session the token was issued to.
    pub session: SessionId,
    /// The account's session epoch when the token was issued: it speaks for the account only
    /// while the account is still in it.
    pub epoch: u64,
    /// How the session's sign-in was proven.
    pub amr: Amr,
}

/// Why an access token was refused. Only the log sees the reason; the client gets one answer.
#[derive(Debug, thiserror::Error)]
#[error("access token refused: {0}")]
pub struct InvalidAccessToken(String);

/// Issues and verifies access tokens.
#[derive(Debug)]
pub struct AccessTokens {
    keys: SigningKeys,
    settings: TokenSettings,
}

impl AccessTokens {
    pub fn new(keys: SigningKeys, settings: TokenSettings) -> Self {
        Self { keys, settings }
    }

    pub fn settings(&self) -> &TokenSettings {
        &self.settings
    }

    pub fn keys(&self) -> &SigningKeys {
        &self.keys
    }

    /// A token for `user`, continuing `session`, issued at `now` (Unix seconds).
    pub fn issue(&self, user: &User, session: &Session, now: u64) -> anyhow::Result<AccessToken> {
        let (key, kid) = self.keys.signing();
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(kid.to_owned());
        header.typ = Some("at+jwt".to_owned());
        let claims = Claims {
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
            sub: user.id().to_string(),
            email: user.revision().key().as_ref().to_owned(),
            email_verified: user.is_email_verified(),
            scope: SCOPE.to_owned(),
            iat: now,
            nbf: now,
            exp: now + self.settings.access_ttl,
            jti: Uuid::new_v4().to_string(),
            client_id: self.settings.client_id.clone(),
            sid: session.id().to_string(),
            epoch: session.epoch(),
            amr: (session.amr().methods().iter())
                .map(|method| (*method).to_owned())
                .collect(),
        };
        let text = jsonwebtoken::encode(&header, &claims, key)
            .map_err(|e| anyhow!("signing an access token: {e}"))?;
        Ok(AccessToken {
            text,
            expires_in: self.settings.access_ttl,
        })
    }

    /// The bearer of `token`, if it is one of ours: signed RS256 by an accepted key, for our
    /// issuer and audience, and valid at `now` (Unix seconds, from the service's clock: the
    /// library's own check would read the system clock, which tests cannot set).
    pub fn verify(&self, token: &str, now: u64) -> Result<Bearer, InvalidAccessToken> {
        let refuse = |why: &str| InvalidAccessToken(why.to_owned());
        let header = jsonwebtoken::decode_header(token).map_err(|_| refuse("malformed"))?;
        let kid = header.kid.ok_or_else(|| refuse("no key id"))?;
        let key = self
            .keys
            .verifying(&kid)
            .ok_or_else(|| refuse("unknown key id"))?;
        let mut validation = Validation::new(ALGORITHM);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, key, &validation)
            .map_err(|e| InvalidAccessToken(format!("{:?}", e.kind())))?
            .claims;
        if claims.exp.saturating_add(LEEWAY_SECONDS) < now {
            return Err(refuse("expired"));
        }
        if claims.nbf > now.saturating_add(LEEWAY_SECONDS) {
            return Err(refuse("not yet valid"));
        }
        let id = UserId::parse(&claims.sub).map_err(|_| refuse("subject is not an account id"))?;
        let session =
            SessionId::parse(&claims.sid).map_err(|_| refuse("sid is not a session id"))?;
        Ok(Bearer {
            id,
            email: Email::from_stored(&claims.email),
            session,
            epoch: claims.epoch,
            amr: match claims.amr.iter().any(|method| method == "otp") {
                true => Amr::PasswordAndOtp,
                false => Amr::Password,
            },
        })
    }
}
