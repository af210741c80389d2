//! The `SendEmail` request itself, for what moto does not keep: the text part, Reply-To, the
//! configuration set, the charset, the recipient's domain as SES needs it.

use std::sync::{Arc, Mutex};

use aws_config::BehaviorVersion;
use aws_sdk_sesv2::config::{Credentials, Region};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use serde_json::Value;
use url::Url;
use user_service::adapters::ses::SesMailer;
use user_service::config::MailSettings;
use user_service::domain::{CodePurpose, Email};
use user_service::service::Mailer;

use super::{mail, settings};

/// Keeps each request's path and JSON body, and answers as SES does when it accepts a mail.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(String, Value)>>>);

impl HttpConnector for Recorder {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = request.body().bytes().unwrap_or_default();
        let json = serde_json::from_slice(body).unwrap_or(Value::Null);
        let path = request.uri().to_owned();
        self.0.lock().expect("not poisoned").push((path, json));
        let status = StatusCode::try_from(200).expect("valid status");
        let response = HttpResponse::new(status, SdkBody::from(r#"{"MessageId": "m-1"}"#));
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// The one request sending `mail` with `settings` makes.
async fn request(settings: MailSettings, mail: &user_service::service::Mail) -> (String, Value) {
    let recorder = Recorder::default();
    let connector = recorder.clone();
    let config = aws_sdk_sesv2::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(http_client_fn(move |_, _| {
            SharedHttpConnector::new(connector.clone())
        }))
        .build();
    let mailer = SesMailer::new(aws_sdk_sesv2::Client::from_conf(config), settings);
    mailer.send(mail).await.expect("accepted");
    let mut requests = recorder.0.lock().expect("not poisoned").clone();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn the_request_carries_both_parts_the_reply_to_and_the_configuration_set() {
    let mut settings = settings("no-reply@bücher.de");
    settings.reply_to = Some(Email::parse("support@example.com").expect("valid"));
    settings.configuration_set = Some("user-service".to_owned());
    settings.link_url = Some(Url::parse("https://app.example.com/c").expect("valid"));
    let mail = mail("ana@bücher.de", CodePurpose::EmailChange);

    let (path, body) = request(settings, &mail).await;

    assert!(path.ends_with("/v2/email/outbound-emails"), "{path}");
    assert_eq!(body["FromEmailAddress"], "no-reply@xn--bcher-kva.de");
    assert_eq!(
        body["Destination"],
        serde_json::json!({"ToAddresses": ["ana@xn--bcher-kva.de"]})
    );
    assert_eq!(
        body["ReplyToAddresses"],
        serde_json::json!(["support@example.com"])
    );
    assert_eq!(body["ConfigurationSetName"], "user-service");
    let simple = &body["Content"]["Simple"];
    assert_eq!(simple["Subject"]["Charset"], "UTF-8");
    for part in ["Text", "Html"] {
        let content = &simple["Body"][part];
        assert_eq!(content["Charset"], "UTF-8", "{part}");
        let data = content["Data"].as_str().expect("the part's text");
        assert!(data.contains(&mail.code), "{part}: {data}");
        assert!(
            data.contains("https://app.example.com/c?purpose=email_change"),
            "{part}: {data}"
        );
    }
    let text = simple["Body"]["Text"]["Data"].as_str().expect("text");
    assert!(!text.contains('<'), "plain text: {text}");
}

#[tokio::test]
async fn without_reply_to_or_configuration_set_the_request_names_neither() {
    let mail = mail("ada@example.com", CodePurpose::Verification);

    let (_, body) = request(settings("no-reply@example.com"), &mail).await;

    assert!(body.get("ReplyToAddresses").is_none(), "{body}");
    assert!(body.get("ConfigurationSetName").is_none(), "{body}");
}
