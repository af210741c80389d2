//! Look-alike addresses: a new address whose local part holds compatibility characters
//! (full-width, ligatures, ...) or mixes scripts is refused where an address is registered
//! (sign-up, e-mail change), never where one is looked up, so an account stored before the
//! rule keeps working under its key.

use serde_json::{Value, json};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::domain::{Email, Password, PersonName, User};
use user_service::service::UnitOfWork;

use crate::common::{PASSWORD, TestApp, hasher, in_memory_app, paths};

/// `ada@example.com` in full-width letters: NFC leaves it alone, NFKC makes it ASCII.
const FULL_WIDTH: &str = "ａｄａ@example.com";

/// The 400's reason for `field`, asserting it is a `ValidationError` naming only that field.
fn refused_field(reply: &Value, field: &str) -> String {
    assert_eq!(reply["status_code"], 400, "{reply}");
    assert_eq!(reply["error"], "ValidationError", "{reply}");
    let detail = reply["detail"].as_object().expect("field → reason");
    assert_eq!(detail.keys().collect::<Vec<_>>(), [field], "{reply}");
    detail[field].as_str().expect("a reason").to_owned()
}

#[tokio::test]
async fn sign_up_refuses_look_alike_local_parts_and_stores_nothing() {
    let (app, store) = in_memory_app();
    let cases = [
        (FULL_WIDTH, "full-width letters"),
        ("pаypal@example.com", "Latin with a Cyrillic а"),
        ("ﬁnance@example.com", "the ﬁ ligature"),
    ];
    for (address, why) in cases {
        let reply = app.sign_up(address).await;

        assert_eq!(reply.status, 400, "{why}: {}", reply.text);
        let reason = refused_field(&reply.json, "email");
        assert!(reason.starts_with("must "), "{why}: {reason}");
        assert!(
            !reply.text.contains(address),
            "{why}: the value is not echoed"
        );
    }
    assert!(store.accounts().is_empty());
    let plain = app.sign_up("ada@example.com").await;
    assert_eq!(
        plain.status, 200,
        "the ASCII twin registers: {}",
        plain.text
    );
}

#[tokio::test]
async fn an_e_mail_change_to_a_look_alike_is_refused_and_moves_nothing() {
    let (app, store) = in_memory_app();
    let session = app.given_session("grace@example.com").await;
    let commits = store.commits();
    let access = session["access_token"].as_str().expect("a token");

    let body = json!({"password": PASSWORD, "new_email": FULL_WIDTH});
    let reply = app.post_as(paths::EMAIL, access, &body).await;

    assert_eq!(reply.status, 400, "{}", reply.text);
    refused_field(&reply.json, "new_email");
    assert_eq!(
        store.commits(),
        commits,
        "refused before the password check"
    );
    assert_eq!(app.sign_in("grace@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn sign_in_with_a_full_width_address_still_answers_as_before() {
    let (app, _) = in_memory_app();
    app.given_active_user("ada@example.com").await;

    let reply = app.sign_in(FULL_WIDTH, PASSWORD).await;

    assert_eq!(
        (reply.status, reply.error_code()),
        (404, "UserNotFound"),
        "a look-up, not a registration: the address is parsed as before and matches no \
         account ({})",
        reply.text
    );
}

/// Stores an active account under `address` with [`PASSWORD`] straight through the store, as
/// an account registered before today's rules was.
async fn stored_before_the_rule(store: &InMemoryStore, address: &str) {
    let password = Password::parse(PASSWORD.to_owned()).expect("valid");
    let mut user = User::register(
        PersonName::parse("Ada").expect("valid"),
        PersonName::parse("Lovelace").expect("valid"),
        Email::parse(address).expect("parsed as sign-in parses it"),
        hasher().hash(&password).await.expect("hashed"),
        1_700_000_000,
    );
    user.activate();
    let mut uow = UnitOfWork::begin(store);
    uow.create(user);
    uow.commit().await.expect("stored");
}

async fn signs_in(app: &TestApp<InMemoryStore>, address: &str) -> Value {
    let reply = app.sign_in(address, PASSWORD).await;
    assert_eq!(reply.status, 200, "{address}: {}", reply.text);
    reply.json
}

#[tokio::test]
async fn accounts_stored_before_the_rule_still_sign_in_under_their_key() {
    let (app, store) = in_memory_app();
    for address in [FULL_WIDTH, "pаypal@example.com"] {
        stored_before_the_rule(&store, address).await;

        let session = signs_in(&app, address).await;

        assert_eq!(session["email"], address);
        let access = session["access_token"].as_str().expect("a token");
        assert_eq!(
            app.me(access).await.status,
            200,
            "{address}: the token works"
        );
    }
    let reply = app.sign_up(FULL_WIDTH).await;
    assert_eq!(reply.status, 400, "the rule still refuses it as new");
}

#[tokio::test]
async fn the_api_description_states_the_rule_where_an_address_is_registered_only() {
    let (app, _) = in_memory_app();
    let schemas = app.get(paths::OPENAPI, json!({})).await.json["components"]["schemas"].clone();
    let description = |schema: &str, field: &str| {
        let text = &schemas[schema]["properties"][field]["description"];
        text.as_str().expect("a description").to_owned()
    };

    for (schema, field) in [("SignUp", "email"), ("ChangeEmail", "new_email")] {
        let text = description(schema, field);
        assert!(
            text.contains("NFKC") && text.contains("mix scripts"),
            "{schema}: {text}"
        );
    }
    let sign_in = description("Credentials", "email");
    assert!(
        !sign_in.contains("NFKC"),
        "sign-in takes any address: {sign_in}"
    );
}
