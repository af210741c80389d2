//! Turning a request body into a JSON object, refusing everything else with a 4xx.
//!
//! Order of checks: declared media type (415), size (413), then JSON syntax, object shape and
//! duplicate keys (400). A body must be declared JSON (`application/json` or `+json`): a
//! missing `Content-Type` is refused too, since a web page can make its visitors' browsers send
//! a cross-site request without one (or with `text/plain`) and no CORS preflight, which would
//! let any page guess passwords, or lock accounts, through its visitors. serde_json bounds nesting depth (128), so deeply nested input is a
//! 400 as well. No message repeats a value from the body, which may hold a password.

use std::fmt;

use lambda_http::Request;
use lambda_http::http::header;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::ApiError;

/// The largest body accepted. The biggest valid request is well under 2 KiB.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A JSON object whose keys were each given once.
#[derive(Debug, Default)]
pub(super) struct JsonObject(pub Map<String, Value>);

/// Reads the body of `request` as a JSON object.
pub(super) fn json_object(request: &Request) -> Result<JsonObject, ApiError> {
    let bytes: &[u8] = request.body().as_ref();
    let empty = bytes.iter().all(|b| b" \t\r\n".contains(b));
    let declared_json = match request.headers().get(header::CONTENT_TYPE) {
        Some(content_type) => content_type.to_str().is_ok_and(is_json_media_type),
        // Nothing to declare: an empty body goes on to be refused as empty (400).
        None => empty,
    };
    if !declared_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    match bytes.iter().find(|b| !b" \t\r\n".contains(b)) {
        None => Err(malformed(
            "the request body is empty; expected a JSON object",
        )),
        Some(b'{') => serde_json::from_slice(bytes)
            .map_err(|e| malformed(format!("the request body is not valid JSON: {e}"))),
        Some(_) => Err(malformed("the request body must be a JSON object")),
    }
}

fn malformed(why: impl Into<String>) -> ApiError {
    ApiError::MalformedRequest(why.into())
}

/// `application/json`, or any `application/…+json`, with or without parameters.
fn is_json_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.len() > "+json".len() && subtype.ends_with("+json"))
}

impl<'de> serde::Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// Collects an object's members, refusing a repeated key: with duplicates, which value counts
/// differs between parsers, a classic way to smuggle a field past a validating proxy.
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = JsonObject;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<JsonObject, A::Error> {
        let mut members = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if members.contains_key(&key) {
                let shown: String = key.chars().take(64).collect();
                return Err(de::Error::custom(format_args!("duplicate key {shown:?}")));
            }
            let value = access.next_value()?;
            members.insert(key, value);
        }
        Ok(JsonObject(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_recognised_with_parameters_and_in_any_case() {
        let cases = [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("application/vnd.api+json", true),
            ("application/+json", false),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("multipart/form-data; boundary=x", false),
            ("application/jsonp", false),
            ("", false),
        ];
        for (value, expected) in cases {
            assert_eq!(is_json_media_type(value), expected, "{value:?}");
        }
    }
}
