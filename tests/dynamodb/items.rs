//! The stored layout is what docs/data-model.md documents, and secrets are stored only as a hash.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use user_service::adapters::dynamodb::SESSIONS_INDEX;
use user_service::domain::MFA_TOKEN_SECONDS;

use crate::common::dynamodb::Local;
use crate::common::{PASSWORD, REFRESH_TTL, credentials, event, paths};
use crate::totp;

async fn get(local: &Local, pk: String) -> HashMap<String, AttributeValue> {
    local
        .client
        .get_item()
        .table_name(&local.table)
        .key("pk", AttributeValue::S(pk))
        .consistent_read(true)
        .send()
        .await
        .expect("readable")
        .item
        .expect("present")
}

#[tokio::test]
async fn a_session_is_one_item_holding_only_a_generation_number_no_token_and_a_ttl() {
    let local = Local::new().await;
    let app = local.app();
    let signed_in = app.given_session("ada@example.com").await;
    let token = signed_in["refresh_token"].as_str().expect("token");
    let parts: Vec<&str> = token.split('.').collect();
    let (session, generation, secret) = (parts[0], parts[1], parts[2]);

    let item = get(&local, format!("SESSION#{session}")).await;

    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "created_at",
            "email",
            "expires_at",
            "generation",
            "kind",
            "pk",
            "revoked",
            "rotated_at",
            "session_epoch",
            "source_ip",
            "user_id"
        ],
        "no user_agent: the request sent none"
    );
    assert_eq!(item["source_ip"], AttributeValue::S("203.0.113.7".into()));
    assert_eq!(item["generation"], AttributeValue::N(generation.into()));
    assert!(
        !item.contains_key("amr_otp"),
        "signed in with a password alone: no second factor to record"
    );
    let stored = format!("{item:?}");
    let raw = URL_SAFE_NO_PAD.decode(secret).expect("base64url");
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(&raw));
    for (what, value) in [("the secret", secret), ("its digest", digest.as_str())] {
        assert!(!stored.contains(value), "{what} is not stored");
    }
    assert_eq!(
        item["user_id"],
        AttributeValue::S(signed_in["id"].as_str().expect("id").into())
    );
    let expires: u64 = item["expires_at"]
        .as_n()
        .expect("a number")
        .parse()
        .expect("u64");
    let created: u64 = item["created_at"]
        .as_n()
        .expect("a number")
        .parse()
        .expect("u64");
    assert_eq!(
        expires - created,
        REFRESH_TTL,
        "Unix seconds, as DynamoDB TTL reads them"
    );
}

#[tokio::test]
async fn an_account_is_an_email_item_plus_an_id_item() {
    let local = Local::new().await;
    let created = local.app().given_user("ada@example.com").await;
    let id = created["id"].as_str().expect("id");
    let get = |pk: String| get(&local, pk);

    let account = get("EMAIL#ada@example.com".to_owned()).await;
    let mut names: Vec<&str> = account.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "active",
            "created_at",
            "disabled",
            "email",
            "email_verified",
            "event_count",
            "id",
            "kind",
            "name",
            "password_hash",
            "pk",
            "session_epoch",
            "surname",
            "updated_at",
            "version"
        ]
    );
    assert_eq!(account["kind"], AttributeValue::S("account".into()));
    assert_eq!(account["id"], AttributeValue::S(id.into()));
    assert_eq!(account["active"], AttributeValue::Bool(false));
    assert_eq!(account["email_verified"], AttributeValue::Bool(false));
    assert_eq!(account["disabled"], AttributeValue::Bool(false));
    assert_eq!(account["version"], AttributeValue::N("1".into()));
    assert_eq!(account["session_epoch"], AttributeValue::N("0".into()));
    let hash = account["password_hash"].as_s().expect("a string");
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains(PASSWORD));

    let id_item = get(format!("USER#{id}")).await;
    assert_eq!(id_item["kind"], AttributeValue::S("user_id".into()));
    assert_eq!(
        id_item["email"],
        AttributeValue::S("ada@example.com".into())
    );
    assert!(
        !id_item.contains_key("password_hash"),
        "the hash is stored once"
    );
}

#[tokio::test]
async fn deleting_an_account_leaves_none_of_its_items() {
    let local = Local::new().await;
    let app = local.app();
    let mut sessions = Vec::new();
    for _ in 0..3 {
        sessions.push(app.given_session("ada@example.com").await);
    }
    app.given_session("grace@example.com").await;
    // Each account: its two items, its address's verification code record, its sessions.
    assert_eq!(local.item_count().await, 3 + 3 + 3 + 1);

    let access = sessions[0]["access_token"].as_str().expect("a token");
    let body = serde_json::json!({"password": PASSWORD});
    let reply = app
        .post_as(crate::common::paths::DELETE, access, &body)
        .await;

    assert_eq!(reply.status, 204, "{}", reply.text);
    // The code record is the address's, not the account's: its send limits outlive the
    // account (no sign-up again and again for a mail each time), until its TTL.
    assert_eq!(
        local.item_count().await,
        3 + 1 + 1,
        "grace's items, ada's address's record"
    );
    let retry = app
        .post_as(crate::common::paths::DELETE, access, &body)
        .await;
    assert_eq!(retry.status, 204, "idempotent");
    assert_eq!(local.item_count().await, 3 + 1 + 1);
}

#[tokio::test]
async fn a_guessed_at_address_holds_a_count_that_expires_and_nothing_of_an_account() {
    let local = Local::new().await;
    let app = crate::common::app_preventing_existence_errors(local.store());

    let reply = app.sign_in("nobody@example.com", "a guess").await;

    assert_eq!(reply.status, 401, "{}", reply.text);
    let item = get(&local, "EMAIL#nobody@example.com".to_owned()).await;
    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "expires_at",
            "failed_attempts",
            "kind",
            "last_failure_at",
            "pk"
        ]
    );
    assert_eq!(item["kind"], AttributeValue::S("attempts".into()));
    let number = |name: &str| -> u64 { item[name].as_n().expect("a number").parse().expect("u64") };
    assert_eq!(
        number("expires_at"),
        number("last_failure_at") + user_service::domain::MAX_LOCK_SECONDS,
        "gone by TTL once its run is over"
    );
}

#[tokio::test]
async fn a_code_record_holds_a_digest_never_the_code_and_expires_by_ttl() {
    let local = Local::new().await;
    let app = local.app();
    let created = app.given_user("ada@example.com").await;
    let code = app.code_sent(
        "ada@example.com",
        user_service::domain::CodePurpose::Verification,
    );

    let item = get(&local, "CODE#verification#ada@example.com".to_owned()).await;

    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "code_account",
            "code_digest",
            "code_expires_at",
            "code_tries",
            "email",
            "expires_at",
            "kind",
            "pk",
            "purpose",
            "sends",
            "sends_since",
            "sent_at",
            "version",
            "wrong_codes",
            "wrong_since",
        ]
    );
    assert_eq!(
        item["code_account"],
        AttributeValue::S(created["id"].as_str().expect("id").into())
    );
    let digest = item["code_digest"].as_b().expect("binary");
    assert_eq!(digest.as_ref().len(), 32, "HMAC-SHA-256");
    let stored = format!("{item:?}");
    assert!(
        !stored.contains(&format!("\"{code}\"")),
        "the code is not stored: {stored}"
    );
    let number = |name: &str| -> u64 { item[name].as_n().expect("a number").parse().expect("u64") };
    assert_eq!(number("code_expires_at"), number("sent_at") + 86_400);
    assert!(
        number("expires_at") >= number("code_expires_at"),
        "kept while the code lives"
    );
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[tokio::test]
async fn an_account_with_totp_holds_its_secret_sealed_its_last_step_and_digests_of_its_recovery_codes()
 {
    let local = Local::new().await;
    let app = local.app();
    let signed_in = totp::verified_session(&app, "ada@example.com").await;
    let secret = totp::enrol(&app, totp::access(&signed_in)).await;
    let raw = totp_rs::Secret::try_from_base32(&secret).expect("Base32");

    let pending = get(&local, "EMAIL#ada@example.com".to_owned()).await;
    let sealed = pending["totp_pending"].as_b().expect("binary").clone();
    assert!(!pending.contains_key("totp_secret"), "not confirmed yet");
    assert!(!pending.contains_key("recovery_codes"));

    let confirmed = totp::confirm(&app, totp::access(&signed_in), &secret).await;
    let account = get(&local, "EMAIL#ada@example.com".to_owned()).await;

    let mut names: Vec<&str> = account.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "active",
            "created_at",
            "disabled",
            "email",
            "email_verified",
            "event_count",
            "id",
            "kind",
            "name",
            "password_hash",
            "pk",
            "recovery_codes",
            "session_epoch",
            "surname",
            "totp_secret",
            "totp_step",
            "updated_at",
            "version"
        ],
        "no totp_pending once confirmed"
    );
    let stored = account["totp_secret"].as_b().expect("binary");
    assert_eq!(stored, &sealed, "the enrolment's secret, as sealed then");
    let bytes = stored.as_ref();
    assert!(!contains(bytes, raw.as_ref()), "sealed, not in clear");
    assert!(!contains(bytes, secret.as_bytes()), "not its Base32 either");
    assert_eq!(
        account["totp_step"],
        AttributeValue::N((totp::now(&app) / 30).to_string()),
        "the step of the code that confirmed it"
    );
    let digests = account["recovery_codes"].as_l().expect("a list");
    let shown = confirmed["recovery_codes"].as_array().expect("codes");
    assert_eq!(digests.len(), shown.len());
    assert_eq!(digests.len(), user_service::domain::RECOVERY_CODES);
    for digest in digests {
        let digest = digest.as_b().expect("binary");
        assert_eq!(digest.as_ref().len(), 40, "a key id and HMAC-SHA-256");
    }
    let text = format!("{account:?}");
    for code in shown {
        let code = code.as_str().expect("a code");
        for form in [code.to_owned(), code.replace('-', "")] {
            assert!(!text.contains(&form), "{form} is not stored");
        }
    }
}

#[tokio::test]
async fn a_challenge_is_an_item_of_its_own_under_the_tokens_digest_outside_the_sessions_index() {
    let local = Local::new().await;
    let app = local.app();
    let (secret, _) = totp::with_totp(&app, "ada@example.com").await;
    let account = get(&local, "EMAIL#ada@example.com".to_owned()).await;
    let id = account["id"].as_s().expect("an id").clone();

    let reply = app.sign_in("ada@example.com", PASSWORD).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let token = reply.json["mfa_token"].as_str().expect("an mfa_token");
    let key = format!("MFA#{}", hex(&Sha256::digest(token.as_bytes())));
    assert_eq!(key.len(), "MFA#".len() + 64);
    let item = get(&local, key.clone()).await;
    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "account_version",
            "expires_at",
            "kind",
            "mfa_user",
            "pk",
            "tries"
        ],
        "no user_id: nothing but sessions is in the sessions index"
    );
    assert_eq!(item["kind"], AttributeValue::S("mfa_challenge".into()));
    assert_eq!(item["mfa_user"], AttributeValue::S(id.clone()));
    assert_eq!(item["account_version"], account["version"]);
    assert_eq!(item["tries"], AttributeValue::N("0".into()));
    assert_eq!(
        item["expires_at"],
        AttributeValue::N((totp::now(&app) + MFA_TOKEN_SECONDS).to_string()),
        "Unix seconds, as DynamoDB TTL reads them"
    );
    let stored = format!("{item:?}");
    let (_, token_secret) = token.split_once('.').expect("two parts");
    for (what, value) in [("the token", token), ("its secret", token_secret)] {
        assert!(!stored.contains(value), "{what} is not stored");
    }
    let indexed = local
        .client
        .query()
        .table_name(&local.table)
        .index_name(SESSIONS_INDEX)
        .key_condition_expression("user_id = :user")
        .expression_attribute_values(":user", AttributeValue::S(id))
        .send()
        .await
        .expect("queryable");
    let mut keys: Vec<&str> = indexed
        .items()
        .iter()
        .map(|found| found["pk"].as_s().expect("a key").as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys.len(),
        2,
        "the sign-in before TOTP's, the confirmation's"
    );
    assert!(
        keys.iter().all(|key| key.starts_with("SESSION#")),
        "{keys:?}"
    );

    let code = totp::code_at(&secret, totp::now(&app) + 30);
    let body = serde_json::json!({"mfa_token": token, "code": code});
    let finished = app.post(totp::SIGN_IN_MFA, &body).await;
    assert_eq!(finished.status, 200, "{}", finished.text);
    let refresh = finished.json["refresh_token"].as_str().expect("a token");
    let (session, _) = refresh.split_once('.').expect("parts");
    let session = get(&local, format!("SESSION#{session}")).await;
    assert_eq!(
        session["amr_otp"],
        AttributeValue::Bool(true),
        "the sign-in passed a second factor"
    );
    let spent = local
        .client
        .get_item()
        .table_name(&local.table)
        .key("pk", AttributeValue::S(key))
        .consistent_read(true)
        .send()
        .await
        .expect("readable");
    assert_eq!(spent.item, None, "a right code spends the challenge");
}

#[tokio::test]
async fn a_session_holds_where_it_started_and_the_sessions_index_only_its_keys() {
    let local = Local::new().await;
    let app = local.app();
    app.given_active_user("ada@example.com").await;
    let agent = format!("Mozilla/5.0 {}", "x".repeat(300));
    let headers = serde_json::json!({"content-type": "application/json", "user-agent": agent});
    let body = credentials("ada@example.com", PASSWORD).to_string();
    let mut request = event("POST", paths::SIGN_IN, headers, Some(&body), false);
    request["requestContext"]["http"]["sourceIp"] = "2001:DB8::7".into();

    let reply = app.send(&request).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let refresh = reply.json["refresh_token"].as_str().expect("a token");
    let (session, _) = refresh.split_once('.').expect("parts");
    let item = get(&local, format!("SESSION#{session}")).await;
    let kept: String = agent.chars().take(256).collect();
    assert_eq!(
        item["user_agent"],
        AttributeValue::S(kept),
        "cut at 256 characters"
    );
    assert_eq!(
        item["source_ip"],
        AttributeValue::S("2001:db8::7".into()),
        "an address, in its canonical form"
    );
    let indexed = local
        .client
        .query()
        .table_name(&local.table)
        .index_name(SESSIONS_INDEX)
        .key_condition_expression("user_id = :user")
        .expression_attribute_values(":user", item["user_id"].clone())
        .send()
        .await
        .expect("queryable");
    let keys = HashMap::from([
        ("pk".to_owned(), item["pk"].clone()),
        ("user_id".to_owned(), item["user_id"].clone()),
    ]);
    assert_eq!(
        indexed.items(),
        [keys],
        "keys only: a refresh's rotation writes no index item"
    );
}
