//! A [`Mail`] rendered into a subject, a text part and an HTML part, from the template files of
//! its purpose (`templates/<purpose>.txt` and `.html`, compiled into the binary).
//!
//! Pure, so that everything a mail says is tested here: moto, the local SES, keeps only the
//! HTML part of a two-part mail. A text template's first line is `Subject: …`. Placeholders are
//! `{{product}}`, `{{code}}`, `{{valid_for}}` and `{{link}}` (empty without `EMAIL_LINK_URL`);
//! they are filled in one pass, so a value that looks like a placeholder stays text, and in the
//! HTML part every value is escaped.

use crate::config::MailSettings;
use crate::domain::CodePurpose;
use crate::service::Mail;

/// What one mail says.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub(crate) subject: String,
    pub(crate) text: String,
    pub(crate) html: String,
}

/// The text and HTML templates of `purpose`.
fn templates(purpose: CodePurpose) -> (&'static str, &'static str) {
    match purpose {
        CodePurpose::Verification => (
            include_str!("templates/verification.txt"),
            include_str!("templates/verification.html"),
        ),
        CodePurpose::PasswordReset => (
            include_str!("templates/password_reset.txt"),
            include_str!("templates/password_reset.html"),
        ),
        CodePurpose::EmailChange => (
            include_str!("templates/email_change.txt"),
            include_str!("templates/email_change.html"),
        ),
    }
}

/// The mail `mail` becomes with `settings`.
pub(crate) fn render(mail: &Mail, settings: &MailSettings) -> Rendered {
    let (text_template, html_template) = templates(mail.purpose);
    let (subject_line, text_template) = text_template.split_once('\n').unwrap_or_default();
    let subject_template = subject_line
        .strip_prefix("Subject: ")
        .unwrap_or(subject_line);
    let link = link(mail, settings);
    let valid_for = duration(mail.valid_for_seconds);
    let value = |name: &str| match name {
        "product" => Some(settings.product_name.as_str()),
        "code" => Some(mail.code.as_str()),
        "valid_for" => Some(valid_for.as_str()),
        _ => None,
    };
    let text_link = link
        .as_deref()
        .map(|url| format!("\nOr open this link:\n{url}\n"))
        .unwrap_or_default();
    let html_link = link
        .as_deref()
        .map(|url| {
            let url = escape(url);
            format!(r#"<p>Or open this link: <a href="{url}">{url}</a></p>"#)
        })
        .unwrap_or_default();
    Rendered {
        subject: fill(subject_template.trim(), |name| {
            value(name).map(str::to_owned)
        }),
        text: fill(text_template, |name| match name {
            "link" => Some(text_link.clone()),
            _ => value(name).map(str::to_owned),
        }),
        html: fill(html_template, |name| match name {
            "link" => Some(html_link.clone()),
            _ => value(name).map(escape),
        }),
    }
}

/// `EMAIL_LINK_URL` with the purpose, the address and the code as query parameters (after any
/// it has), or `None` without one.
fn link(mail: &Mail, settings: &MailSettings) -> Option<String> {
    let mut url = settings.link_url.clone()?;
    url.query_pairs_mut()
        .append_pair("purpose", mail.purpose.name())
        .append_pair("email", mail.to.as_ref())
        .append_pair("code", &mail.code);
    Some(url.into())
}

/// `template` with each `{{name}}` replaced by `value(name)`, in one pass (what a value holds is
/// never read as a placeholder); a name `value` does not know stays as it is.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after
            .find("}}")
            .and_then(|end| Some((value(&after[..end])?, end)))
        {
            Some((filled, end)) => {
                out.push_str(&filled);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` safe inside HTML text and double- or single-quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `seconds` in the largest whole unit: "1 day", "2 hours", "15 minutes", "90 seconds".
fn duration(seconds: u64) -> String {
    let (count, unit) = match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => (s / 86_400, "day"),
        s if s >= 3_600 && s % 3_600 == 0 => (s / 3_600, "hour"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
