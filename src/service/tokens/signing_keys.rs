//! The RSA keys that sign access tokens, as one secret document holds them.
//!
//! The document is `{"current": PEM, "next": PEM, "previous": PEM or null}` (and the
//! scripts' `rotated_at`, which the function ignores). Tokens are signed
//! with `current`; all three are published (JWKS) and accepted. Rotation moves `current` to
//! `previous` and `next` to `current`, and adds a new `next`, so every key signs only after it
//! has been published for a whole rotation period: an instance started before a rotation still
//! accepts the tokens of one started after it (it knew the key as `next`), and the reverse (the
//! new instance knows the old key as `previous`). No instance needs restarting, and nobody is
//! signed out. `scripts/signing_keys.py` writes the document; see docs/rotation.md, "Signing keys".
//!
//! A key's id (`kid`) is its RFC 7638 thumbprint, so it is derived, never chosen, and the same
//! key has the same id everywhere.

use anyhow::{Context, anyhow};
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The one algorithm tokens are signed and verified with: RS256, which API Gateway's JWT
/// authorizer supports.
pub const ALGORITHM: Algorithm = Algorithm::RS256;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    current: String,
    next: Option<String>,
    previous: Option<String>,
    /// When `next` was last replaced: the scripts' record, which refuses a second rotation
    /// too soon. Named, so that a misspelt key is still refused; never read here.
    #[serde(default, rename = "rotated_at")]
    _rotated_at: IgnoredAny,
}

/// A key that verifies tokens, with its public form.
struct PublicKey {
    kid: String,
    jwk: Jwk,
    key: DecodingKey,
}

/// The signing key and every key whose tokens are accepted.
pub struct SigningKeys {
    signing: EncodingKey,
    signing_kid: String,
    accepted: Vec<PublicKey>,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeys")
            .field("signing_kid", &self.signing_kid)
            .finish_non_exhaustive()
    }
}

impl SigningKeys {
    /// Parses the secret document. Errors say which entry is wrong, never what it holds.
    pub fn from_document(text: &str) -> anyhow::Result<Self> {
        let document: Document = serde_json::from_str(text).map_err(|e| {
            anyhow!(
                "the signing-key document is not {{\"current\", \"next\", \"previous\"}} \
                 (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        let (signing, current) = private_key(&document.current).context("key `current`")?;
        let mut accepted = vec![current];
        for (name, pem) in [("next", &document.next), ("previous", &document.previous)] {
            if let Some(pem) = pem {
                accepted.push(private_key(pem).with_context(|| format!("key `{name}`"))?.1);
            }
        }
        Ok(Self {
            signing,
            signing_kid: accepted[0].kid.clone(),
            accepted,
        })
    }

    /// The key tokens are signed with, and its id.
    pub(super) fn signing(&self) -> (&EncodingKey, &str) {
        (&self.signing, &self.signing_kid)
    }

    /// The key that verifies tokens with id `kid`, if it is accepted.
    pub(super) fn verifying(&self, kid: &str) -> Option<&DecodingKey> {
        self.accepted
            .iter()
            .find(|key| key.kid == kid)
            .map(|key| &key.key)
    }

    /// The public keys, as `/.well-known/jwks.json` publishes them.
    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: self.accepted.iter().map(|key| key.jwk.clone()).collect(),
        }
    }
}

/// Parses one PEM private key and derives its public form and id.
fn private_key(pem: &str) -> anyhow::Result<(EncodingKey, PublicKey)> {
    let signing = EncodingKey::from_rsa_pem(pem.as_bytes())
        .map_err(|_| anyhow!("is not a PEM RSA private key"))?;
    let mut jwk = Jwk::from_encoding_key(&signing, ALGORITHM)
        .map_err(|_| anyhow!("is not a usable RSA private key"))?;
    let kid = jwk
        .thumbprint(ThumbprintHash::SHA256)
        .map_err(|e| anyhow!("has no thumbprint: {e}"))?;
    jwk.common.key_id = Some(kid.clone());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    let key = DecodingKey::from_jwk(&jwk).map_err(|e| anyhow!("has no public key: {e}"))?;
    Ok((signing, PublicKey { kid, jwk, key }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = include_str!("../../../tests/fixtures/signing/test-key-a.pem");
    const KEY_B: &str = include_str!("../../../tests/fixtures/signing/test-key-b.pem");
    const KEY_C: &str = include_str!("../../../tests/fixtures/signing/test-key-c.pem");

    fn document(current: &str, next: Option<&str>, previous: Option<&str>) -> String {
        serde_json::json!({"current": current, "next": next, "previous": previous}).to_string()
    }

    fn kids(keys: &SigningKeys) -> Vec<String> {
        keys.jwks()
            .keys
            .iter()
            .filter_map(|jwk| jwk.common.key_id.clone())
            .collect()
    }

    #[test]
    fn current_signs_and_all_three_are_published() {
        let keys =
            SigningKeys::from_document(&document(KEY_A, Some(KEY_B), Some(KEY_C))).expect("valid");
        let published = kids(&keys);
        assert_eq!(published.len(), 3);
        assert_eq!(keys.signing().1, published[0]);
        for kid in &published {
            assert!(keys.verifying(kid).is_some());
        }
        assert!(keys.verifying("unknown").is_none());
    }

    #[test]
    fn a_key_has_the_same_id_in_every_position() {
        let first = SigningKeys::from_document(&document(KEY_A, Some(KEY_B), None)).expect("ok");
        let rotated =
            SigningKeys::from_document(&document(KEY_B, Some(KEY_C), Some(KEY_A))).expect("ok");
        assert_eq!(kids(&first)[1], rotated.signing().1);
        assert!(rotated.verifying(first.signing().1).is_some());
        assert!(first.verifying(rotated.signing().1).is_some());
    }

    #[test]
    fn published_keys_are_rsa_signature_keys_for_rs256_without_private_parts() {
        let keys = SigningKeys::from_document(&document(KEY_A, None, None)).expect("valid");
        let published = serde_json::to_value(keys.jwks()).expect("serializable");
        let key = &published["keys"][0];
        assert_eq!(key["kty"], "RSA");
        assert_eq!(key["use"], "sig");
        assert_eq!(key["alg"], "RS256");
        assert_eq!(key["e"], "AQAB");
        assert!(key["n"].as_str().is_some_and(|n| n.len() > 300));
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(
                key.get(private).is_none(),
                "{private} must not be published"
            );
        }
    }

    #[test]
    fn the_scripts_rotation_time_is_accepted_and_ignored() {
        // scripts/signing_keys.py records when `next` was last replaced, to refuse a second
        // rotation too soon; the function has no use for it.
        let mut document: serde_json::Value =
            serde_json::from_str(&document(KEY_A, Some(KEY_B), None)).expect("JSON");
        document["rotated_at"] = "2026-12-01T12:00:00Z".into();
        let keys = SigningKeys::from_document(&document.to_string()).expect("valid");
        let plain =
            SigningKeys::from_document(&self::document(KEY_A, Some(KEY_B), None)).expect("valid");
        assert_eq!(kids(&keys), kids(&plain));
        assert_eq!(keys.signing().1, plain.signing().1);
    }

    #[test]
    fn bad_documents_are_refused_without_echoing_them() {
        let secretish = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----";
        let cases = [
            String::new(),
            "{}".to_owned(),
            format!("{{\"current\": {secretish:?}}}"),
            document(KEY_A, Some(secretish), None),
            format!("{{\"current\": {KEY_A:?}, \"extra\": 1}}"),
        ];
        for case in cases {
            let error = SigningKeys::from_document(&case).expect_err(&case);
            let text = format!("{error:#}");
            assert!(
                !text.contains("c2VjcmV0") && !text.contains("MII"),
                "{text}"
            );
        }
    }
}
