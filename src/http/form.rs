//! Form bodies (`application/x-www-form-urlencoded`), which OAuth 2.0 clients send to the token
//! and revocation endpoints (RFC 6749 §4.1.3 and §6, RFC 7009 §2.1). Only those two routes read
//! one; every other keeps the JSON-only rule (`body.rs`). Decoding is the `url` crate's own
//! (`form_urlencoded`). A parameter the route reads may be given once (RFC 6749 §3.2:
//! "parameters MUST NOT be included more than once"), since which of two values counts differs
//! between parsers; others are ignored, however often given (§3.1).

use std::collections::HashMap;

use lambda_http::Request;
use lambda_http::http::header;

use super::ApiError;
use super::body::MAX_BODY_BYTES;

/// The media type of a form body.
const FORM: &str = "application/x-www-form-urlencoded";

/// Whether `request` declares a form body (with or without parameters such as a charset).
pub(crate) fn is_form(request: &Request) -> bool {
    let declared = request.headers().get(header::CONTENT_TYPE);
    declared
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(FORM))
}

/// Why a form body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FormError {
    #[error("the body is not a form (UTF-8, `name=value` pairs joined by `&`)")]
    NotAForm,
    #[error("the parameter `{0}` is given more than once")]
    Repeated(String),
}

/// A form body's parameters, with every value each was given.
#[derive(Debug, Default)]
pub(crate) struct Form(HashMap<String, Vec<String>>);

impl Form {
    /// Reads the body of `request` as a form: 413 beyond the body limit, else the parameters
    /// or why it is no form.
    pub(crate) fn read(request: &Request) -> Result<Result<Self, FormError>, ApiError> {
        let bytes: &[u8] = request.body().as_ref();
        if bytes.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge {
                limit: MAX_BODY_BYTES,
            });
        }
        Ok(Self::parse(bytes))
    }

    fn parse(bytes: &[u8]) -> Result<Self, FormError> {
        std::str::from_utf8(bytes).map_err(|_| FormError::NotAForm)?;
        let mut parameters: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in form_urlencoded::parse(bytes) {
            // Percent-escapes that are no UTF-8 decode to U+FFFD: no parameter of ours has one.
            if name.contains('\u{FFFD}') || value.contains('\u{FFFD}') {
                return Err(FormError::NotAForm);
            }
            parameters
                .entry(name.into_owned())
                .or_default()
                .push(value.into_owned());
        }
        Ok(Self(parameters))
    }

    /// Removes parameter `name`: its value if given once (an empty value counts as not given,
    /// RFC 6749 §3.1), refused if given more than once.
    pub(crate) fn take(&mut self, name: &str) -> Result<Option<String>, FormError> {
        match self.0.remove(name) {
            None => Ok(None),
            Some(mut values) if values.len() == 1 => {
                Ok(values.pop().filter(|value| !value.is_empty()))
            }
            Some(_) => Err(FormError::Repeated(name.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_decodes_each_parameter_once() {
        let mut form = Form::parse(b"grant_type=refresh_token&refresh_token=a%2Bb.c+d&client_id=")
            .expect("a form");
        let taken = |form: &mut Form, name| form.take(name).expect("given at most once");
        assert_eq!(
            taken(&mut form, "grant_type").as_deref(),
            Some("refresh_token")
        );
        assert_eq!(
            taken(&mut form, "refresh_token").as_deref(),
            Some("a+b.c d")
        );
        assert_eq!(taken(&mut form, "client_id"), None, "empty is not given");
        assert_eq!(taken(&mut form, "grant_type"), None, "taken once");
    }

    #[test]
    fn a_parameter_read_twice_is_refused_and_one_not_read_is_ignored() {
        let mut form = Form::parse(b"token=x&token=x&scope=a&scope=b").expect("a form");
        assert_eq!(form.take("token"), Err(FormError::Repeated("token".into())));
        assert_eq!(form.take("client_id"), Ok(None));
    }

    #[test]
    fn bodies_that_are_no_form_are_refused() {
        let cases: [&[u8]; 2] = [b"a=\xff", b"a=%ff"];
        for body in cases {
            assert_eq!(
                Form::parse(body).err(),
                Some(FormError::NotAForm),
                "{body:?}"
            );
        }
    }
}
