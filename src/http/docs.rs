//! `GET /docs/`: a page that renders the API description interactively, with Scalar's API
//! reference viewer.
//!
//! The viewer is pinned to one version and loaded with a subresource-integrity hash, so the
//! browser refuses any other bytes, wherever they are served from: jsDelivr's copy of the npm
//! package by default, or any host of the same file (`DOCS_ASSETS_URL`; the end-to-end run serves
//! it from the npm package itself, offline).

/// The npm package and version of the viewer.
pub const VIEWER_PACKAGE: &str = "@scalar/api-reference@1.72.1";
/// Where the default host keeps the package (`DOCS_ASSETS_URL`'s default).
pub const DEFAULT_ASSETS_URL: &str = "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.72.1";
/// The viewer's file inside the package.
const VIEWER_PATH: &str = "/dist/browser/standalone.js";
/// SHA-384 of that file (`openssl dgst -sha384 -binary standalone.js | openssl base64 -A`).
const VIEWER_INTEGRITY: &str =
    "sha384-U11tb2XnKvmwt8RlTvnwUnYgrN+ur4Xyh9htLhjajWNR/Oyl5AX5DEz00qRmlrmK";

/// The page, reading the document from `openapi_url` and the viewer from `assets_url`.
pub(super) fn page(openapi_url: &str, assets_url: &str) -> String {
    let assets_url = assets_url.trim_end_matches('/');
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>user-service API</title>
</head>
<body>
<script id="api-reference" data-url="{openapi_url}" data-configuration="{{&quot;defaultOpenAllTags&quot;:true}}"></script>
<script src="{assets_url}{VIEWER_PATH}" integrity="{VIEWER_INTEGRITY}" crossorigin="anonymous"></script>
</body>
</html>
"#,
        openapi_url = escape(openapi_url),
        assets_url = escape(assets_url),
    )
}

/// The `Content-Security-Policy` of the page: it is HTML on the accounts origin, so nothing
/// runs there but the pinned viewer (allowed by its hash alone, so a file swapped on the host
/// runs nowhere, and no other script of the host either), which may fetch only the API
/// description, and no other site may frame the page (clickjacking).
pub(crate) fn policy(openapi_url: &str) -> String {
    let origin = origin(openapi_url);
    format!(
        "default-src 'none'; script-src '{VIEWER_INTEGRITY}'; connect-src {origin}; \
         style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'"
    )
}

/// The origin (`scheme://host[:port]`) of `url`.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// Escapes text for an HTML attribute value in double quotes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_pins_the_viewer_by_integrity_and_points_at_the_document() {
        let html = page("https://api.example.com/openapi.json", DEFAULT_ASSETS_URL);
        assert!(html.contains(r#"data-url="https://api.example.com/openapi.json""#));
        assert!(html.contains(&format!(
            r#"src="{DEFAULT_ASSETS_URL}/dist/browser/standalone.js" integrity="sha384-"#
        )));
        assert!(DEFAULT_ASSETS_URL.ends_with(VIEWER_PACKAGE));
    }

    #[test]
    fn the_policy_admits_the_viewer_by_hash_and_the_document_by_origin() {
        let policy = policy("https://api.example.com/accounts/openapi.json");
        assert!(
            policy.contains(&format!("script-src '{VIEWER_INTEGRITY}';")),
            "{policy}"
        );
        assert!(
            policy.contains("connect-src https://api.example.com;"),
            "{policy}"
        );
        assert_eq!(
            origin("http://127.0.0.1:9000/openapi.json"),
            "http://127.0.0.1:9000"
        );
        assert_eq!(origin("https://a.example"), "https://a.example");
    }

    #[test]
    fn configured_urls_cannot_break_out_of_their_attributes() {
        let html = page("x\"><script>alert(1)</script>", "y\" onload=\"z");
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("\" onload=\""));
    }
}
