//! Access tokens through the API: their claims, the published keys, every way a bearer token is
//! refused by `GET /user/me/`, and key rotation.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use user_service::adapters::in_memory::{Fault, InMemoryStore};
use user_service::http::BEARER_CHALLENGE;

use crate::common::{
    ACCESS_TTL, AUDIENCE, ISSUER, KEY_A, KEY_B, KEY_C, PASSWORD, app_with_keys, in_memory_app,
    paths, signing_document, unix_now,
};

const PUBLIC_KEY_A: &str = include_str!("../fixtures/signing/test-key-a.pub.pem");

/// The published id of the key in `pem`.
fn kid_of(pem: &str) -> String {
    let keys =
        user_service::service::SigningKeys::from_document(&signing_document(pem, None, None))
            .expect("valid key");
    keys.jwks().keys[0].common.key_id.clone().expect("a kid")
}

fn parts(token: &str) -> (Value, Value) {
    let mut pieces = token.split('.');
    let mut decode = || -> Value {
        let bytes = URL_SAFE_NO_PAD
            .decode(pieces.next().expect("a part"))
            .expect("base64url");
        serde_json::from_slice(&bytes).expect("JSON")
    };
    (decode(), decode())
}

fn sign(pem: &str, kid: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let key = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("a private key");
    jsonwebtoken::encode(&header, claims, &key).expect("signed")
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test]
async fn an_access_token_carries_the_documented_claims_and_verifies_with_the_jwks() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let token = session["access_token"].as_str().expect("a token");

    let jwks = app.get(paths::JWKS, json!({})).await;
    let (header, claims) = parts(token);

    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(header["kid"], kid_of(KEY_A));
    let published = jwks.json["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|key| key["kid"] == header["kid"])
        .expect("the signing key is published");
    let key = DecodingKey::from_rsa_components(
        published["n"].as_str().expect("n"),
        published["e"].as_str().expect("e"),
    )
    .expect("an RSA public key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    jsonwebtoken::decode::<Value>(token, &key, &validation).expect("verifies");
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["aud"], AUDIENCE);
    assert_eq!(claims["sub"], session["id"]);
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["scope"], "account");
    assert_eq!(
        claims["exp"]
            .as_u64()
            .zip(claims["iat"].as_u64())
            .map(|(e, i)| e - i),
        Some(ACCESS_TTL)
    );
    assert!(claims["jti"].as_str().is_some_and(|jti| jti.len() >= 32));
    let other = app.given_session("ada@example.com").await;
    assert_ne!(
        parts(other["access_token"].as_str().expect("token")).1["jti"],
        claims["jti"]
    );
}

#[tokio::test]
async fn the_bearer_reads_the_account_as_stored_now() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;

    let reply = app
        .me(session["access_token"].as_str().expect("token"))
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"id": session["id"], "name": "Ada", "surname": "Lovelace",
               "email": "ada@example.com", "active": true, "email_verified": false,
               "mfa": {"totp": false, "recovery_codes_left": 0}})
    );
    assert_eq!(reply.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn refused_bearer_tokens_are_401_invalid_token_with_a_challenge() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let good = session["access_token"].as_str().expect("token").to_owned();
    let refresh = session["refresh_token"].as_str().expect("token").to_owned();
    let (header, claims) = parts(&good);
    let kid = kid_of(KEY_A);
    let now = unix_now();
    let with = |changes: Value| {
        let mut claims = claims.clone();
        for (name, value) in changes.as_object().expect("object") {
            claims[name] = value.clone();
        }
        sign(KEY_A, &kid, &claims)
    };
    let signature = good.rsplit('.').next().expect("signature");
    let mut tampered_signature = good.clone();
    tampered_signature.truncate(good.len() - signature.len());
    tampered_signature.push_str(&URL_SAFE_NO_PAD.encode([7u8; 256]));
    let mut pieces = good.split('.');
    let (h, _, s) = (
        pieces.next().expect("h"),
        pieces.next(),
        pieces.next().expect("s"),
    );
    let mut other_claims = claims.clone();
    other_claims["sub"] = json!("00000000-0000-4000-8000-000000000000");
    let hs256 = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_secret(PUBLIC_KEY_A.as_bytes()),
        )
        .expect("signed")
    };
    let mut none_header = header.clone();
    none_header["alg"] = json!("none");

    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            with(json!({"exp": now - 100, "iat": now - 1000, "nbf": now - 1000})),
        ),
        (
            "not yet valid",
            with(json!({"nbf": now + 600, "iat": now + 600})),
        ),
        (
            "tampered payload",
            format!("{h}.{}.{s}", b64(&other_claims)),
        ),
        ("tampered signature", tampered_signature),
        ("unknown kid", sign(KEY_C, &kid_of(KEY_C), &claims)),
        (
            "a known kid on another key's signature",
            sign(KEY_C, &kid, &claims),
        ),
        ("no kid", {
            let key = EncodingKey::from_rsa_pem(KEY_A.as_bytes()).expect("key");
            jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).expect("signed")
        }),
        (
            "wrong iss",
            with(json!({"iss": "https://evil.example.com"})),
        ),
        ("wrong aud", with(json!({"aud": "another-api"}))),
        ("no exp", {
            let mut claims = claims.clone();
            claims.as_object_mut().expect("object").remove("exp");
            sign(KEY_A, &kid, &claims)
        }),
        (
            "alg none",
            format!("{}.{}.", b64(&none_header), b64(&claims)),
        ),
        ("HS256 keyed with the public key", hs256),
        ("a refresh token", refresh.clone()),
        (
            "an account that does not exist",
            with(json!({"sub": "00000000-0000-4000-8000-000000000000"})),
        ),
        ("garbage", "not.a.jwt".to_owned()),
        ("empty", String::new()),
    ];
    assert_eq!(
        app.me(&good).await.status,
        200,
        "the untampered token works"
    );
    for (why, token) in cases {
        let reply = app.me(&token).await;
        assert_eq!(reply.status, 401, "{why}: {}", reply.text);
        assert_eq!(reply.error_code(), "InvalidToken", "{why}");
        assert_eq!(reply.headers["www-authenticate"], BEARER_CHALLENGE, "{why}");
    }
}

#[tokio::test]
async fn requests_without_a_bearer_token_are_401_with_a_challenge() {
    let (app, _) = in_memory_app();
    let session = app.given_session("ada@example.com").await;
    let token = session["access_token"].as_str().expect("token");
    let cases = [
        json!({}),
        json!({"authorization": token}),
        json!({"authorization": format!("Basic {token}")}),
        json!({"authorization": "Bearer"}),
        json!({"authorization": "Bearer "}),
    ];
    for headers in cases {
        let reply = app.get(paths::ME, headers.clone()).await;
        assert_eq!(reply.status, 401, "{headers}");
        assert_eq!(
            reply.headers["www-authenticate"], BEARER_CHALLENGE,
            "{headers}"
        );
    }
    let lower = app
        .get(
            paths::ME,
            json!({"authorization": format!("bearer {token}")}),
        )
        .await;
    assert_eq!(lower.status, 200, "the scheme is case-insensitive");
}

#[tokio::test]
async fn the_well_known_documents_are_public_and_cacheable() {
    let (app, _) = in_memory_app();

    let jwks = app.get(paths::JWKS, json!({})).await;
    let config = app.get(paths::OPENID_CONFIGURATION, json!({})).await;

    assert_eq!(jwks.status, 200);
    let keys = jwks.json["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 2, "current and next");
    for key in keys {
        let mut fields: Vec<&str> = key
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        assert_eq!(fields, ["alg", "e", "kid", "kty", "n", "use"]);
        assert_eq!(
            (&key["kty"], &key["use"], &key["alg"]),
            (&json!("RSA"), &json!("sig"), &json!("RS256"))
        );
    }
    assert_eq!(config.status, 200);
    assert_eq!(config.json["issuer"], ISSUER);
    assert_eq!(
        config.json["jwks_uri"],
        format!("{ISSUER}/.well-known/jwks.json")
    );
    assert_eq!(
        config.json["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    for reply in [&jwks, &config] {
        assert_eq!(reply.headers["cache-control"], "public, max-age=300");
    }
}

#[tokio::test]
async fn the_well_known_documents_need_no_store() {
    let (app, store) = in_memory_app();
    app.given_active_user("ada@example.com").await;
    store.fail_next_read(Fault::Unavailable);

    assert_eq!(app.get(paths::JWKS, json!({})).await.status, 200);
    assert_eq!(
        app.get(paths::OPENID_CONFIGURATION, json!({})).await.status,
        200
    );

    let reply = app.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(
        reply.status, 503,
        "the queued fault was still there: nothing read"
    );
}

#[tokio::test]
async fn after_a_key_rotation_tokens_of_either_key_verify_on_instances_of_either_age() {
    let store = InMemoryStore::new();
    let before = app_with_keys(store.clone(), &signing_document(KEY_A, Some(KEY_B), None));
    let after = app_with_keys(
        store.clone(),
        &signing_document(KEY_B, Some(KEY_C), Some(KEY_A)),
    );
    let old = before.given_session("ada@example.com").await;
    let new = after.given_session("ada@example.com").await;
    let old_token = old["access_token"].as_str().expect("token");
    let new_token = new["access_token"].as_str().expect("token");

    assert_eq!(parts(old_token).0["kid"], kid_of(KEY_A));
    assert_eq!(parts(new_token).0["kid"], kid_of(KEY_B));
    for (instance, name) in [(&before, "started before"), (&after, "started after")] {
        for token in [old_token, new_token] {
            assert_eq!(instance.me(token).await.status, 200, "{name}");
        }
    }
    let published = after.get(paths::JWKS, json!({})).await.json;
    let kids: Vec<&Value> = published["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| &k["kid"])
        .collect();
    assert_eq!(
        kids,
        [
            &json!(kid_of(KEY_B)),
            &json!(kid_of(KEY_C)),
            &json!(kid_of(KEY_A))
        ]
    );
    let retired = app_with_keys(store, &signing_document(KEY_C, None, Some(KEY_B)));
    assert_eq!(
        retired.me(new_token).await.status,
        200,
        "key B is still published"
    );
    assert_eq!(
        retired.me(old_token).await.status,
        401,
        "two rotations later, key A is gone"
    );
}
