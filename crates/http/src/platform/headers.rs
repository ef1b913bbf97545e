//! Headers every answer carries, whoever made it (a handler, a layer, a replay):
//!
//! - `X-Content-Type-Options: nosniff`, so a browser never reads an answer as anything but
//!   its declared type;
//! - `Cache-Control: no-store` on the API (`/v1`, `/v1.0`, `/oauth2`, `/.well-known`),
//!   whose answers are mostly a caller's own data, unless the handler chose a caching
//!   policy itself (the published signing keys are cached);
//! - `Strict-Transport-Security` when the public URL is https: one year, without
//!   `includeSubDomains` or `preload` (other hosts under the same domain are not ours to
//!   commit).

use axum::http::{header, HeaderValue};
use axum::response::Response;

/// `Strict-Transport-Security` of a server reached over https.
pub const HSTS: &str = "max-age=31536000";

/// Paths of the API and of sign-in: their errors are the API's error body, and nothing of
/// theirs is cached.
pub fn is_api_path(path: &str) -> bool {
    ["/v1", "/v1.0", "/auditactivity", "/webhooks", "/oauth2", "/.well-known"]
        .iter()
        .any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Whether the server is reached over https.
pub fn is_https(public_url: &str) -> bool {
    public_url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

/// Adds the headers above to `response`, the answer to a request on an API path (`api`)
/// of a server reached over https (`https`) or not.
pub fn add_security_headers(response: &mut Response, api: bool, https: bool) {
    let h = response.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    if api {
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_are_told_apart_from_pages() {
        for api in [
            "/v1",
            "/v1/customers",
            "/v1.0/tenantRelationships",
            "/oauth2/token",
            "/.well-known/jwks.json",
            "/auditactivity/v1/auditrecords/0190",
        ] {
            assert!(is_api_path(api), "{api}");
        }
        for page in ["/", "/v1x", "/v10/customers", "/customers", "/docs", "/oauth2x"] {
            assert!(!is_api_path(page), "{page}");
        }
    }

    #[test]
    fn https_is_recognised_in_any_case() {
        assert!(is_https("https://partners.example"));
        assert!(is_https("HTTPS://partners.example"));
        assert!(!is_https("http://127.0.0.1:8080"));
        assert!(!is_https("https"));
    }
}
