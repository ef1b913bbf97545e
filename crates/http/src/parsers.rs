//! The readers of untrusted text behind the API and the dashboard, reachable from outside
//! the crate for the fuzz targets (`fuzz/`) and the test that replays their corpora. Each
//! takes raw input, answers whether it was accepted, and checks what must hold of what it
//! accepted; none may panic or hang on any input.

use axum::http::{HeaderMap, HeaderValue};
use partnerdesk_app::audit_log::AuditCursor;
use partnerdesk_domain::CustomerId;

use crate::wire::orders::NewOrderBody;
use crate::wire::CONTINUATION_HEADER;

/// `GET /v1/customers?filter=…`.
pub fn customer_filter(raw: &str) -> bool {
    crate::api::customers::search_of(Some(raw)).is_ok()
}

/// `GET /v1/auditrecords?filter=…` (with dates: none, or `start` and `end` as given).
pub fn audit_filter(raw: &str, start: Option<&str>, end: Option<&str>) -> bool {
    let now = chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
    crate::api::audit::search_of(start, end, Some(raw), now).is_ok()
}

/// The organisation the continuation tokens below are read for: a token names the organisation
/// it was given to, so one given to any other is refused.
const TOKEN_OWNER: &str = "0190a8f2-7c3e-7000-8000-000000000001";

/// An `MS-ContinuationToken` header, read as the keyset position of the customer list and of
/// the audit log. Bytes that are not a header value are refused before any handler.
pub fn continuation_token(raw: &[u8]) -> bool {
    let Ok(value) = HeaderValue::from_bytes(raw) else {
        return false;
    };
    let mut headers = HeaderMap::new();
    headers.insert(CONTINUATION_HEADER, value);
    let customers = crate::api::continuation::<CustomerId>(TOKEN_OWNER, &headers, Some("Next"));
    let audit = crate::api::continuation::<AuditCursor>(TOKEN_OWNER, &headers, Some("next"));
    customers.is_ok() || audit.is_ok()
}

/// The query string of a Graph list of GDAP relationships (`$filter`, `$top`, `$skipToken`,
/// `$count`), and of its `$count`.
pub fn odata_query(raw: &str) -> bool {
    let list = crate::graph::ListQuery::parse(raw);
    let count = crate::graph::ListQuery::parse_count(raw);
    if let Ok(q) = &list {
        // The next page's link repeats the query: it must read back the same.
        let again = crate::graph::ListQuery::parse(&q.next_query("last"));
        assert!(
            again.as_ref().is_ok_and(|a| a.filter == q.filter && a.top == q.top),
            "the next link of {raw:?} does not read back"
        );
    }
    list.is_ok() || count.is_ok()
}

/// A JSON body read case-insensitively, as a generic value and as an order.
pub fn json_body(raw: &[u8]) -> bool {
    let value = crate::json::parse_body::<serde_json::Value>(raw);
    let order = crate::json::parse_body::<NewOrderBody>(raw).and_then(NewOrderBody::into_lines);
    value.is_ok() || order.is_ok()
}

/// The path of an invitation and the sign-in link that comes back to it: whatever the
/// token, the link's `next` leads back to that same invitation page.
pub fn invitation_token(token: &str) -> bool {
    let page = crate::web::invitation::invitation_path(token);
    let href = crate::web::invitation::sign_in_href(token);
    let next = href
        .strip_prefix("/signin?next=")
        .expect("the sign-in link names the page to come back to");
    let next = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    let back = crate::web::session::safe_next(Some(&next));
    assert!(
        back == page || back == "/",
        "the sign-in link of {token:?} leads to {back:?}, not {page:?}"
    );
    back == page
}

/// The `next` of the sign-in page: a path on this site, else `/`.
pub fn next_path(raw: &str) -> bool {
    let kept = crate::web::session::safe_next(Some(raw));
    assert!(kept.starts_with('/'), "{raw:?} led to {kept:?}");
    assert!(
        !kept.starts_with("//") && !kept.starts_with("/\\"),
        "{raw:?} led to another site: {kept:?}"
    );
    assert!(kept.bytes().all(|b| b.is_ascii_graphic()), "{raw:?} led to {kept:?}");
    kept != "/" || raw == "/"
}
