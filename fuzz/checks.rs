//! One check a fuzz target: raw bytes in, nothing out, a panic when a reader misbehaves.
//! The fuzz targets (`fuzz_targets/`) call these under libFuzzer; the workspace's test
//! `crates/http/tests/fuzz_corpora.rs` calls them on every file of `corpus/`, so CI replays
//! what the fuzzers found without a nightly toolchain.

use partnerdesk_domain::gdap::GdapDuration;
use partnerdesk_http::parsers;

/// Text input: fuzzers make invalid UTF-8 too, which the server never hands a text reader
/// (query strings and paths are decoded before), so it is read lossily.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A check: one input, a panic when a reader misbehaves.
pub type Check = fn(&[u8]);

/// The targets by name, for the corpus replay.
pub const TARGETS: [(&str, Check); 8] = [
    ("customer_filter", customer_filter),
    ("audit_filter", audit_filter),
    ("continuation_token", continuation_token),
    ("gdap_duration", gdap_duration),
    ("odata_filter", odata_filter),
    ("json_body", json_body),
    ("invitation_token", invitation_token),
    ("next_path", next_path),
];

/// `GET /v1/customers?filter=…`
pub fn customer_filter(data: &[u8]) {
    parsers::customer_filter(&text(data));
}

/// `GET /v1/auditrecords?filter=…`; the first line, when there are several, is read as
/// `startDate` and the second as `endDate`.
pub fn audit_filter(data: &[u8]) {
    let text = text(data);
    let mut lines = text.splitn(3, '\n');
    match (lines.next(), lines.next(), lines.next()) {
        (Some(start), Some(end), Some(filter)) => parsers::audit_filter(filter, Some(start), Some(end)),
        _ => parsers::audit_filter(&text, None, None),
    };
}

/// `MS-ContinuationToken`.
pub fn continuation_token(data: &[u8]) {
    parsers::continuation_token(data);
}

/// A GDAP relationship's `duration` (ISO-8601): what is accepted writes back as `P{n}D`,
/// which reads back the same.
pub fn gdap_duration(data: &[u8]) {
    if let Ok(d) = GdapDuration::parse(&text(data)) {
        assert!((1..=730).contains(&d.days()), "{d:?}");
        assert_eq!(GdapDuration::parse(&d.iso()).ok(), Some(d));
    }
}

/// The OData query of the Graph GDAP lists (`$filter`, `$top`, `$skipToken`, `$count`).
pub fn odata_filter(data: &[u8]) {
    let text = text(data);
    parsers::odata_query(&text);
    // As a bare `$filter` value, too.
    let query: String = form_urlencoded_pair("$filter", &text);
    parsers::odata_query(&query);
}

fn form_urlencoded_pair(name: &str, value: &str) -> String {
    let mut out = format!("{name}=");
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A JSON request body, read case-insensitively.
pub fn json_body(data: &[u8]) {
    parsers::json_body(data);
}

/// An invitation token in the invitation page's path and the sign-in link back to it.
pub fn invitation_token(data: &[u8]) {
    parsers::invitation_token(&text(data));
}

/// The sign-in page's `next`.
pub fn next_path(data: &[u8]) {
    parsers::next_path(&text(data));
}
