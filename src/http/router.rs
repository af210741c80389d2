//! Which endpoint a request is for: a method and a path, nothing else.

use lambda_http::http::Method;

use super::ApiError;

/// The four endpoints of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    CreateUser,
    SignIn,
    Activate,
    Deactivate,
}

/// Every route, by canonical path; each path also answers without its trailing slash.
/// `template.yaml` routes exactly these paths (a test holds the two together).
pub const ROUTES: [(&str, Endpoint); 4] = [
    ("/user/", Endpoint::CreateUser),
    ("/user/signin/", Endpoint::SignIn),
    ("/user/activate/", Endpoint::Activate),
    ("/user/deactivate/", Endpoint::Deactivate),
];

/// The endpoint for `method` and `path`: unknown paths are 404, known paths with a method other
/// than POST are 405.
pub fn route(method: &Method, path: &str) -> Result<Endpoint, ApiError> {
    let wanted = path.strip_suffix('/').unwrap_or(path);
    let endpoint = ROUTES
        .iter()
        .find(|(canonical, _)| canonical.strip_suffix('/') == Some(wanted))
        .map(|&(_, endpoint)| endpoint)
        .ok_or(ApiError::NotFound)?;
    if method == Method::POST {
        Ok(endpoint)
    } else {
        Err(ApiError::MethodNotAllowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_routes_with_and_without_its_trailing_slash() {
        let cases = [
            ("/user/", Endpoint::CreateUser),
            ("/user", Endpoint::CreateUser),
            ("/user/signin/", Endpoint::SignIn),
            ("/user/signin", Endpoint::SignIn),
            ("/user/activate/", Endpoint::Activate),
            ("/user/activate", Endpoint::Activate),
            ("/user/deactivate/", Endpoint::Deactivate),
            ("/user/deactivate", Endpoint::Deactivate),
        ];
        for (path, endpoint) in cases {
            assert_eq!(
                route(&Method::POST, path).ok(),
                Some(endpoint),
                "POST {path}"
            );
        }
    }

    #[test]
    fn other_methods_on_a_known_path_are_not_allowed() {
        for method in [
            Method::GET,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
            Method::HEAD,
        ] {
            let result = route(&method, "/user/signin/");
            assert!(
                matches!(result, Err(ApiError::MethodNotAllowed)),
                "{method}"
            );
        }
    }

    #[test]
    fn unknown_paths_are_not_found_whatever_the_method() {
        let paths = [
            "/",
            "",
            "/users/",
            "/user//",
            "/User/",
            "/user/signin/x",
            "/user/signout",
        ];
        for path in paths {
            for method in [Method::POST, Method::GET] {
                let result = route(&method, path);
                assert!(
                    matches!(result, Err(ApiError::NotFound)),
                    "{method} {path:?}"
                );
            }
        }
    }
}
