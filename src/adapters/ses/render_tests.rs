use url::Url;

use super::*;
use crate::domain::Email;

fn settings(link: Option<&str>) -> MailSettings {
    MailSettings {
        from: Email::parse("no-reply@example.com").expect("valid"),
        reply_to: None,
        configuration_set: None,
        link_url: link.map(|url| Url::parse(url).expect("valid")),
        product_name: "Analytical Engine".to_owned(),
    }
}

fn mail(purpose: CodePurpose) -> Mail {
    Mail {
        to: Email::parse("ada+test@example.com").expect("valid"),
        purpose,
        code: "12345678"[..purpose.digits()].to_owned(),
        valid_for_seconds: 900,
    }
}

#[test]
fn every_purpose_has_a_subject_a_text_and_an_html_part_that_carry_the_code() {
    for purpose in CodePurpose::ALL {
        let mail = mail(purpose);
        let rendered = render(&mail, &settings(None));
        let name = purpose.name();
        assert!(
            rendered.subject.contains("Analytical Engine"),
            "{name}: {}",
            rendered.subject
        );
        assert!(
            !rendered.subject.contains(&mail.code),
            "{name}: no code in the subject"
        );
        assert!(!rendered.subject.contains('\n'), "{name}: one line");
        for (part, body) in [("text", &rendered.text), ("html", &rendered.html)] {
            assert!(body.contains(&mail.code), "{name} {part}: {body}");
            assert!(body.contains("15 minutes"), "{name} {part}: {body}");
            assert!(body.contains("Analytical Engine"), "{name} {part}");
            assert!(
                !body.contains("{{"),
                "{name} {part}: a placeholder left: {body}"
            );
            assert!(
                !body.contains("Subject:"),
                "{name} {part}: the subject is not the body"
            );
            assert!(
                !body.contains("http"),
                "{name} {part}: no link without EMAIL_LINK_URL"
            );
        }
        assert!(rendered.html.starts_with("<!DOCTYPE html>"), "{name}");
        assert!(
            !rendered.text.contains('<'),
            "{name}: the text part is plain text"
        );
    }
}

#[test]
fn the_purposes_say_different_things() {
    let subjects: std::collections::BTreeSet<String> = CodePurpose::ALL
        .into_iter()
        .map(|purpose| render(&mail(purpose), &settings(None)).subject)
        .collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    let reset = render(&mail(CodePurpose::PasswordReset), &settings(None));
    assert!(reset.subject.contains("password"), "{}", reset.subject);
    assert!(
        reset.text.contains("take over the account"),
        "{}",
        reset.text
    );
}

#[test]
fn the_link_carries_purpose_address_and_code_url_encoded_after_the_pages_own_query() {
    let settings = settings(Some("https://app.example.com/code?lang=en"));
    let rendered = render(&mail(CodePurpose::Verification), &settings);
    let expected = "https://app.example.com/code?lang=en&purpose=verification&email=ada%2Btest%40example.com&code=123456";
    assert!(
        rendered.text.contains(&format!("\n{expected}\n")),
        "{}",
        rendered.text
    );
    let escaped = expected.replace('&', "&amp;");
    assert!(
        rendered
            .html
            .contains(&format!(r#"<a href="{escaped}">{escaped}</a>"#)),
        "{}",
        rendered.html
    );
}

#[test]
fn what_goes_into_the_html_is_escaped_and_never_read_as_a_placeholder() {
    let mut settings = settings(None);
    settings.product_name = r#"<b>Tom & "Jerry's"</b> {{code}}"#.to_owned();
    let rendered = render(&mail(CodePurpose::Verification), &settings);
    assert!(
        rendered
            .html
            .contains("&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt; {{code}}"),
        "{}",
        rendered.html
    );
    assert!(!rendered.html.contains("<b>"), "{}", rendered.html);
    assert!(
        rendered.subject.contains("{{code}}"),
        "plain text, verbatim: {}",
        rendered.subject
    );
    assert!(!rendered.subject.contains("123456"), "{}", rendered.subject);
}

#[test]
fn fill_leaves_unknown_and_unclosed_placeholders_alone() {
    let value = |name: &str| (name == "a").then(|| "1".to_owned());
    let cases = [
        ("{{a}}-{{a}}", "1-1"),
        ("{{b}} {{a}}", "{{b}} 1"),
        ("{{a", "{{a"),
        ("x{{}}y", "x{{}}y"),
        ("no placeholder", "no placeholder"),
    ];
    for (template, expected) in cases {
        assert_eq!(fill(template, value), expected, "{template:?}");
    }
}

#[test]
fn lifetimes_read_in_their_largest_whole_unit() {
    let cases = [
        (86_400, "1 day"),
        (172_800, "2 days"),
        (3_600, "1 hour"),
        (7_200, "2 hours"),
        (900, "15 minutes"),
        (60, "1 minute"),
        (90, "90 seconds"),
        (1, "1 second"),
    ];
    for (seconds, expected) in cases {
        assert_eq!(duration(seconds), expected, "{seconds}");
    }
}
