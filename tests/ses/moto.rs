//! Sending through moto's SES, and reading back what it received.

use std::io::{Read, Write};
use std::net::TcpStream;

use aws_config::BehaviorVersion;
use serde_json::Value;
use url::Url;
use user_service::adapters::ses::SesMailer;
use user_service::config::MailSettings;
use user_service::domain::CodePurpose;
use user_service::service::Mailer;

use super::{PRODUCT, mail, settings, unique};

/// moto's address, which `make test` exports for the SDK.
fn endpoint() -> String {
    std::env::var("AWS_ENDPOINT_URL_SESV2").unwrap_or_else(|_| {
        panic!(
            "AWS_ENDPOINT_URL_SESV2 is not set: these tests need moto's SES; run them with \
             `make test`, which starts one, or start `moto_server -p PORT` and set it"
        )
    })
}

/// The mailer a cold start builds, from the environment (the endpoint included).
pub async fn mailer(settings: MailSettings) -> SesMailer {
    endpoint();
    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    SesMailer::from_config(&sdk, settings)
}

/// Makes `address` a verified identity, as a deployment does once in SES.
pub async fn verify(address: &str) {
    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    aws_sdk_sesv2::Client::new(&sdk)
        .create_email_identity()
        .email_identity(address)
        .send()
        .await
        .expect("moto creates the identity");
}

/// What moto received for `to`, oldest first: `{source, subject, body, destinations}` each.
fn received(to: &str) -> Vec<Value> {
    let url = Url::parse(&endpoint()).expect("a URL");
    let host = format!(
        "{}:{}",
        url.host_str().expect("a host"),
        url.port().unwrap_or(80)
    );
    let mut stream = TcpStream::connect(&host).expect("moto answers");
    let request = format!("GET /moto-api/data.json HTTP/1.0\r\nHost: {host}\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (_, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
    let data: Value = serde_json::from_str(body).expect("JSON");
    data["ses"]["Message"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["destinations"]["ToAddresses"] == serde_json::json!([to]))
        .cloned()
        .collect()
}

#[tokio::test]
async fn one_mail_of_each_purpose_reaches_its_address_from_the_sender_with_its_code() {
    let sender = unique("sender");
    verify(&sender).await;
    let mailer = mailer(settings(&sender)).await;
    let mut subjects = Vec::new();

    for purpose in CodePurpose::ALL {
        let to = unique(purpose.name());
        let mail = mail(&to, purpose);
        mailer.send(&mail).await.expect("sent");

        let received = received(&to);
        assert_eq!(received.len(), 1, "{}: {received:?}", purpose.name());
        let message = &received[0];
        assert_eq!(message["source"], sender.as_str());
        let subject = message["subject"].as_str().expect("a subject");
        assert!(subject.contains(PRODUCT), "{subject}");
        subjects.push(subject.to_owned());
        let body = message["body"].as_str().expect("a body");
        assert!(body.contains("<html"), "moto keeps the HTML part: {body}");
        assert!(body.contains(&mail.code), "{}: {body}", purpose.name());
        assert!(
            !body.contains("href"),
            "no link without EMAIL_LINK_URL: {body}"
        );
    }
    assert!(subjects[1].contains("password"), "{subjects:?}");
    subjects.dedup();
    assert_eq!(subjects.len(), 3, "each purpose has its own subject");
}

#[tokio::test]
async fn with_a_link_url_the_mail_links_to_it_with_the_purpose_address_and_code() {
    let sender = unique("sender");
    verify(&sender).await;
    let mut settings = settings(&sender);
    settings.link_url = Some(Url::parse("https://app.example.com/code").expect("valid"));
    let to = unique("linked");

    mailer(settings)
        .await
        .send(&mail(&to, CodePurpose::PasswordReset))
        .await
        .expect("sent");

    let received = received(&to);
    let body = received[0]["body"].as_str().expect("a body");
    let encoded = to.replace('@', "%40");
    let link = format!(
        "https://app.example.com/code?purpose=password_reset&amp;email={encoded}&amp;code=97531864"
    );
    assert!(body.contains(&format!(r#"href="{link}""#)), "{body}");
}

#[tokio::test]
async fn an_unverified_sender_is_refused_with_an_error_that_says_why_but_not_the_code() {
    let to = unique("refused");
    let mail = mail(&to, CodePurpose::Verification);

    let error = mailer(settings(&unique("unverified")))
        .await
        .send(&mail)
        .await
        .expect_err("moto refuses an unverified sender");

    let chain = format!("{error:#}");
    assert!(
        chain.starts_with("sending the verification mail through SES: "),
        "{chain}"
    );
    assert!(chain.contains("MessageRejected"), "{chain}");
    assert!(!chain.contains(&mail.code), "{chain}");
    assert!(!format!("{error:?}").contains(&mail.code), "{error:?}");
    assert!(received(&to).is_empty(), "nothing was sent");
}
