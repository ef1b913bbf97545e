//! The Graph edge: what the routes under `/v1.0/tenantRelationships/` share so that
//! Microsoft Graph clients and SDKs work against them (API.md, "Graph-compatible GDAP").
//! The handlers are in [`relationships`].
//!
//! - Errors use Graph's envelope `{"error": {"code", "message", "innerError": {"date",
//!   "request-id", "client-request-id"}}}`. Handlers and layers answer the same
//!   [`ApiError`] as on `/v1` (so application errors are mapped once, in `error`); on Graph
//!   paths ([`is_graph_path`]) the platform layer, through [`in_graphs_envelope`], writes
//!   every error answer again in this envelope, in the language it was described in. `code` is the error's
//!   stable name.
//! - OData query options of a list ([`ListQuery`]): `$top` (1..=300, default 100),
//!   `$filter` (`status eq '…'` and `customer/tenantId eq '…'`, joined by `and`),
//!   `$skipToken` (opaque, from a previous `@odata.nextLink`) and `$count`. Anything else is
//!   a 400 naming the option.
//! - Collections carry `@odata.context` and an absolute `@odata.nextLink` built from the
//!   configured public URL ([`Collection`]); single resources `@odata.etag` (`W/"3"`).
//! - `If-Match` ([`required_if_match`]) is required on PATCH and DELETE; a missing one is a
//!   428 that says so, a stale one a 412.

pub mod relationships;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use partnerdesk_domain::gdap::{GdapFilter, GdapStatus};
use serde::{Deserialize, Serialize};
use utoipa::openapi::response::Response as DocResponse;
use utoipa::openapi::RefOr;
use utoipa::IntoResponses;

use crate::error::{ApiError, ApiResult, Described, Why};
use crate::i18n::Lang;
use crate::state::AppState;

/// Where the Graph-shaped routes live.
pub const GRAPH_PREFIX: &str = "/v1.0/";
/// Largest `$top` Graph accepts for these lists.
pub const MAX_TOP: usize = 300;
/// Page size when `$top` is absent.
pub const DEFAULT_TOP: usize = 100;

/// Whether `path` is one of the Graph-shaped routes (errors in Graph's envelope).
pub fn is_graph_path(path: &str) -> bool {
    path.starts_with(GRAPH_PREFIX)
}

/// Graph's error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GraphErrorBody {
    error: GraphError,
}

/// `error` of Graph's error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphError {
    /// Our stable snake_case name of the error (as `errorName` on `/v1`).
    code: String,
    /// Human and localized (`X-Locale`, else the caller's locale).
    message: String,
    inner_error: InnerError,
}

/// `innerError`: when, and which request, for support.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InnerError {
    /// When the error was answered (RFC 3339, UTC).
    date: String,
    /// The request's `MS-RequestId` (sent by the client or made by the server).
    #[serde(rename = "request-id")]
    request_id: String,
    /// The `client-request-id` header the client sent, else the request id.
    #[serde(rename = "client-request-id")]
    client_request_id: String,
}

/// The ids of a request that Graph's `innerError` names.
#[derive(Debug, Clone, Default)]
pub struct RequestRef {
    pub request_id: String,
    pub client_request_id: Option<String>,
}

impl RequestRef {
    /// Reads them from a request's headers (after the ids layer filled `MS-RequestId`).
    pub fn of(headers: &HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Self {
            request_id: text("ms-requestid").unwrap_or_default(),
            client_request_id: text("client-request-id"),
        }
    }
}

/// Answers errors in Graph's envelope on the Graph-shaped routes: the platform layer calls
/// it with the answer to every request on them, and any error the API answered (from a
/// handler, an extractor or a platform step inside this one) is written again, in the
/// language it was described in. `ids` are the request's, read when it arrived.
pub fn in_graphs_envelope(response: &mut Response, ids: &RequestRef) {
    if let Some(Described(error)) = response.extensions_mut().remove::<Described>() {
        *response.body_mut() = Body::from(envelope(&error, error.lang(), ids, Utc::now()));
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
}

/// `error` described in `lang`, in Graph's envelope.
pub fn envelope(error: &ApiError, lang: Lang, request: &RequestRef, now: DateTime<Utc>) -> Vec<u8> {
    let body = GraphErrorBody {
        error: GraphError {
            code: error.name().to_string(),
            message: error.clone().in_lang(lang).description(),
            inner_error: InnerError {
                date: crate::wire::time(now),
                request_id: request.request_id.clone(),
                client_request_id: request
                    .client_request_id
                    .clone()
                    .unwrap_or_else(|| request.request_id.clone()),
            },
        },
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

/// `@odata.etag` of a version: `W/"3"`.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// The version `If-Match` names: required (a missing one is 428 `if_match_required`);
/// `*` matches any (`None`); a value that is not one of our ETags can never match (412).
/// Header names are case-insensitive, so `if-match` and `IF-MATCH` are read alike.
pub fn required_if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(value) = headers.get(axum::http::header::IF_MATCH) else {
        return Err(ApiError::if_match_required());
    };
    let raw = value.to_str().unwrap_or("").trim();
    if raw.is_empty() {
        return Err(ApiError::if_match_required());
    }
    if raw == "*" {
        return Ok(None);
    }
    let bare = raw
        .strip_prefix("W/")
        .or_else(|| raw.strip_prefix("w/"))
        .unwrap_or(raw)
        .trim_matches('"');
    bare.parse::<i64>().map(Some).map_err(|_| ApiError::etag_mismatch())
}

/// The OData options of a list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub top: usize,
    pub filter: GdapFilter,
    /// `$filter` as the client wrote it, carried into `@odata.nextLink`.
    pub raw_filter: Option<String>,
    /// The id the previous page ended at.
    pub after: Option<String>,
    pub count: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            top: DEFAULT_TOP,
            filter: GdapFilter::default(),
            raw_filter: None,
            after: None,
            count: false,
        }
    }
}

/// The option a query parameter names: `$top`, `top` and `$TOP` alike (Graph accepts the
/// `$` prefix as optional and names case-insensitively).
fn option_name(key: &str) -> String {
    key.trim_start_matches('$').to_ascii_lowercase()
}

impl ListQuery {
    /// Reads a list's query string; any option but `$top`, `$filter`, `$skipToken` and
    /// `$count`, or one given twice, is a 400 naming it.
    pub fn parse(query: &str) -> ApiResult<Self> {
        Self::parse_only(query, &["top", "filter", "skiptoken", "count"])
    }

    /// Reads the query of `…/$count`: `$filter` alone.
    pub fn parse_count(query: &str) -> ApiResult<GdapFilter> {
        Ok(Self::parse_only(query, &["filter"])?.filter)
    }

    /// Reads a query string that may name the options in `allowed` (lower case, no `$`).
    fn parse_only(query: &str, allowed: &[&str]) -> ApiResult<Self> {
        let mut q = Self::default();
        let mut seen = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let name = option_name(&key);
            if seen.contains(&name) {
                return Err(ApiError::invalid_property(key.to_string(), Why::GivenTwice));
            }
            seen.push(name.clone());
            if !allowed.contains(&name.as_str()) {
                let supported: Vec<String> = allowed.iter().map(|o| format!("${o}")).collect();
                return Err(ApiError::invalid_property(
                    key.to_string(),
                    Why::other(
                        format!("is not supported here (use {})", supported.join(", "))
                            .replace("$skiptoken", "$skipToken"),
                    ),
                ));
            }
            match name.as_str() {
                "top" => q.top = parse_top(&value)?,
                "filter" => {
                    q.filter = parse_filter(&value)?;
                    q.raw_filter = Some(value.to_string());
                }
                "skiptoken" => q.after = Some(decode_skip_token(&value)?),
                "count" => {
                    q.count = match value.trim() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(ApiError::invalid_property("$count", Why::TrueOrFalse)),
                    }
                }
                _ => return Err(ApiError::invalid_property(key.to_string(), Why::NotSupportedHere)),
            }
        }
        Ok(q)
    }

    /// The query string of the page after `last_id`: the same `$top` and `$filter`.
    pub fn next_query(&self, last_id: &str) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair("$top", &self.top.to_string());
        if let Some(filter) = &self.raw_filter {
            out.append_pair("$filter", filter);
        }
        if self.count {
            out.append_pair("$count", "true");
        }
        out.append_pair("$skipToken", &URL_SAFE_NO_PAD.encode(last_id.as_bytes()));
        out.finish()
    }
}

fn parse_top(raw: &str) -> ApiResult<usize> {
    match raw.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_TOP).contains(&n) => Ok(n),
        Ok(_) => Err(ApiError::invalid_property(
            "$top",
            Why::other(format!("must be from 1 to {MAX_TOP}")),
        )),
        Err(_) => Err(ApiError::invalid_property("$top", Why::WholeNumber)),
    }
}

fn decode_skip_token(raw: &str) -> ApiResult<String> {
    URL_SAFE_NO_PAD
        .decode(raw.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ApiError::invalid_property("$skipToken", Why::ForeignToken))
}

/// A token of a `$filter` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Text(String),
}

fn tokens(raw: &str) -> ApiResult<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = raw.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '\'' {
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next() {
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                        text.push('\'');
                    }
                    Some('\'') => break,
                    Some(c) => text.push(c),
                    None => {
                        return Err(ApiError::invalid_property(
                            "$filter",
                            Why::other("has a string without its closing quote"),
                        ))
                    }
                }
            }
            out.push(Token::Text(text));
        } else if c.is_ascii_alphanumeric() || c == '/' || c == '_' {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_ascii_alphanumeric() || c == '/' || c == '_' {
                    word.push(c);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token::Word(word));
        } else {
            return Err(ApiError::invalid_property(
                "$filter",
                Why::other(format!(
                    "'{c}' is not supported: write status eq '…' and/or customer/tenantId eq '…'"
                )),
            ));
        }
    }
    Ok(out)
}

/// Reads `$filter`: one or two comparisons `status eq 'active'`, `customer/tenantId eq
/// '<uuid>'`, joined by `and`. Anything else is refused with what is supported.
pub fn parse_filter(raw: &str) -> ApiResult<GdapFilter> {
    const SUPPORTED: &str = "only status eq '…' and customer/tenantId eq '…', joined by and, are supported";
    let tokens = tokens(raw)?;
    let mut filter = GdapFilter::default();
    let mut rest = tokens.as_slice();
    if rest.is_empty() {
        return Err(ApiError::invalid_property("$filter", Why::Empty));
    }
    loop {
        let [Token::Word(field), Token::Word(op), Token::Text(value), tail @ ..] = rest else {
            return Err(ApiError::invalid_property("$filter", Why::other(SUPPORTED)));
        };
        if !op.eq_ignore_ascii_case("eq") {
            return Err(ApiError::invalid_property("$filter", Why::other(SUPPORTED)));
        }
        if field.eq_ignore_ascii_case("status") {
            if filter.status.is_some() {
                return Err(ApiError::invalid_property("$filter", Why::other("names status twice")));
            }
            let status = GdapStatus::parse(value).ok_or_else(|| {
                ApiError::invalid_property("$filter", Why::other(format!("'{value}' is not a relationship status")))
            })?;
            filter.status = Some(status);
        } else if field.eq_ignore_ascii_case("customer/tenantId") {
            if filter.customer.is_some() {
                return Err(ApiError::invalid_property(
                    "$filter",
                    Why::other("names customer/tenantId twice"),
                ));
            }
            let customer = value
                .trim()
                .parse()
                .map_err(|_| ApiError::invalid_property("$filter", Why::other("customer/tenantId must be a UUID")))?;
            filter.customer = Some(customer);
        } else {
            return Err(ApiError::invalid_property("$filter", Why::other(SUPPORTED)));
        }
        match tail {
            [] => return Ok(filter),
            [Token::Word(and), more @ ..] if and.eq_ignore_ascii_case("and") && !more.is_empty() => rest = more,
            _ => return Err(ApiError::invalid_property("$filter", Why::other(SUPPORTED))),
        }
    }
}

/// A Graph collection: `{"@odata.context", "@odata.count"?, "@odata.nextLink"?, "value"}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Collection<T> {
    #[serde(rename = "@odata.context")]
    pub context: String,
    #[serde(rename = "@odata.count", skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    pub value: Vec<T>,
}

/// Absolute URLs of this server's Graph routes, from the configured public URL.
#[derive(Debug, Clone)]
pub struct Urls<'a> {
    pub public_url: &'a str,
}

impl Urls<'_> {
    fn base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }

    /// `…/v1.0/{path}` (path without its leading slash).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}/v1.0/{}", self.base(), path.trim_start_matches('/'))
    }

    /// `@odata.context` of `what` (`tenantRelationships/delegatedAdminRelationships`,
    /// with `/$entity` for a single resource).
    pub fn context(&self, what: &str) -> String {
        format!("{}/v1.0/$metadata#{what}", self.base())
    }
}

/// Renders Graph's answers for a request: the public URL comes from the server's settings.
#[derive(Debug, Clone)]
pub struct Graph<'a> {
    urls: Urls<'a>,
}

impl<'a> Graph<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Self {
            urls: Urls {
                public_url: &state.config.public_url,
            },
        }
    }

    /// The absolute URL of `path` under `/v1.0/`.
    pub fn absolute(&self, path: &str) -> String {
        self.urls.absolute(path)
    }

    /// One resource of the collection `what`, with `@odata.context` and, when it has an
    /// `@odata.etag`, the same as the `ETag` header.
    pub fn entity(&self, what: &str, status: StatusCode, value: impl Serialize) -> Response {
        let mut body = serde_json::Map::new();
        body.insert(
            "@odata.context".into(),
            self.urls.context(&format!("{what}/$entity")).into(),
        );
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) {
            body.extend(fields);
        }
        let etag = body.get("@odata.etag").and_then(|v| v.as_str()).map(header_value);
        let mut response = (status, Json(body)).into_response();
        if let Some(etag) = etag {
            response.headers_mut().insert(header::ETAG, etag);
        }
        response
    }

    /// A collection (`what`): its items, `@odata.count` when asked for and
    /// `@odata.nextLink` when there is more.
    pub fn collection<T: Serialize>(
        &self,
        what: &str,
        value: Vec<T>,
        count: Option<u64>,
        next_link: Option<String>,
    ) -> Response {
        Json(Collection {
            context: self.urls.context(what),
            count,
            next_link,
            value,
        })
        .into_response()
    }
}

/// A response header value from text we made (ids and URLs).
pub fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The OData options of a list, as the document shows them (read by [`ListQuery::parse`],
/// which refuses what this does not name).
#[allow(dead_code)]
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1 to 300 (100 when absent).
    #[serde(rename = "$top")]
    #[param(minimum = 1, maximum = 300)]
    pub top: Option<u32>,
    /// `status eq '…'` and/or `customer/tenantId eq '…'`, joined by `and`.
    #[serde(rename = "$filter")]
    pub filter: Option<String>,
    /// From `@odata.nextLink`: where the previous page ended.
    #[serde(rename = "$skipToken")]
    pub skip_token: Option<String>,
    /// `true` adds `@odata.count`: how many the filter matches in all.
    #[serde(rename = "$count")]
    pub count: Option<bool>,
}

/// The options of `$count`, as the document shows them (read by [`ListQuery::parse`]).
#[allow(dead_code)]
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountParams {
    /// `status eq '…'` and/or `customer/tenantId eq '…'`, joined by `and`.
    #[serde(rename = "$filter")]
    pub filter: Option<String>,
}

/// The `If-Match` header of a change, as the document shows it (read by
/// [`required_if_match`]).
#[allow(dead_code)]
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatch {
    /// The `@odata.etag` last read (`W/"3"`), or `*`. Required: without it the answer is
    /// 428 `if_match_required`; a stale one is 412.
    #[serde(rename = "If-Match")]
    pub if_match: String,
}

/// The schema of Graph's error body in the document.
pub const ERROR_SCHEMA: &str = "GraphErrorBody";

fn error_responses(status: &str, description: &str) -> BTreeMap<String, RefOr<DocResponse>> {
    BTreeMap::from([(
        status.to_string(),
        RefOr::T(crate::openapi::error_response_of(ERROR_SCHEMA, description)),
    )])
}

/// 403 in Graph's envelope.
pub struct Forbidden;

impl IntoResponses for Forbidden {
    fn responses() -> BTreeMap<String, RefOr<DocResponse>> {
        error_responses(
            "403",
            "The caller may not do this: not the partner's admin, or not the customer's global admin (`forbidden_role`)",
        )
    }
}

/// 409 in Graph's envelope.
pub struct Conflict;

impl IntoResponses for Conflict {
    fn responses() -> BTreeMap<String, RefOr<DocResponse>> {
        error_responses(
            "409",
            "Conflicts with the current state: a name taken, a status that does not allow it (`already_in_use`, `invalid_transition` and the like)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::IF_MATCH;
    use axum::http::StatusCode;

    fn refused_property(e: ApiError) -> String {
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        e.description()
    }

    #[test]
    fn top_defaults_to_100_and_is_bounded_by_300() {
        assert_eq!(ListQuery::parse("").expect("empty").top, 100);
        assert_eq!(ListQuery::parse("$top=300").expect("300").top, 300);
        assert_eq!(ListQuery::parse("top=7").expect("no $").top, 7);
        for bad in ["$top=0", "$top=301", "$top=ten", "$top=-1"] {
            let message = refused_property(ListQuery::parse(bad).expect_err(bad));
            assert!(message.contains("$top"), "{bad}: {message}");
        }
    }

    #[test]
    fn the_filter_reads_status_and_customer_joined_by_and() {
        let id = uuid::Uuid::now_v7();
        let f = parse_filter(&format!("status eq 'active' and customer/tenantId eq '{id}'")).expect("both");
        assert_eq!(f.status, Some(GdapStatus::Active));
        assert_eq!(f.customer.map(|c| c.0), Some(id));
        let f = parse_filter("Status EQ 'approvalPending'").expect("any case keywords");
        assert_eq!(f.status, Some(GdapStatus::ApprovalPending));
    }

    #[test]
    fn any_other_filter_is_refused_saying_what_is_supported() {
        for bad in [
            "",
            "status ne 'active'",
            "displayName eq 'x'",
            "status eq 'active' or status eq 'created'",
            "status eq 'bogus'",
            "status eq 'active' and",
            "status eq 'active' and status eq 'created'",
            "customer/tenantId eq 'not-a-uuid'",
            "startswith(displayName,'a')",
            "status eq 'active",
        ] {
            let message = refused_property(parse_filter(bad).expect_err(bad));
            assert!(message.contains("$filter"), "{bad}: {message}");
        }
    }

    #[test]
    fn unknown_or_repeated_options_are_refused_by_name() {
        let message = refused_property(ListQuery::parse("$select=id").expect_err("select"));
        assert!(
            message.contains("$select") && message.contains("$skipToken"),
            "{message}"
        );
        let message = refused_property(ListQuery::parse_count("$top=5").expect_err("count takes no top"));
        assert!(message.contains("$top") && message.contains("$filter"), "{message}");
        assert!(ListQuery::parse_count("$filter=status eq 'active'").is_ok());
        let message = refused_property(ListQuery::parse("$top=1&top=2").expect_err("twice"));
        assert!(message.contains("more than once"), "{message}");
        let message = refused_property(ListQuery::parse("$count=yes").expect_err("count"));
        assert!(message.contains("$count"), "{message}");
        let message = refused_property(ListQuery::parse("$skipToken=%%%").expect_err("token"));
        assert!(message.contains("$skipToken"), "{message}");
    }

    #[test]
    fn the_next_query_keeps_top_filter_and_count_and_continues_after_the_last_id() {
        let q = ListQuery::parse("$top=2&$filter=status%20eq%20'active'&$count=true").expect("query");
        let next = ListQuery::parse(&q.next_query("abc")).expect("next parses");
        assert_eq!(next.top, 2);
        assert_eq!(next.filter, q.filter);
        assert!(next.count);
        assert_eq!(next.after.as_deref(), Some("abc"));
    }

    #[test]
    fn if_match_is_required_and_read_weak_or_strong() {
        let mut headers = HeaderMap::new();
        let e = required_if_match(&headers).expect_err("missing");
        assert_eq!(
            (e.status(), e.name()),
            (StatusCode::PRECONDITION_REQUIRED, "if_match_required")
        );
        assert!(e.description().contains("If-Match"), "{}", e.description());
        for (value, expected) in [("W/\"3\"", Some(3)), ("\"4\"", Some(4)), ("5", Some(5)), ("*", None)] {
            headers.insert(IF_MATCH, HeaderValue::from_static(value));
            assert_eq!(required_if_match(&headers).expect(value), expected, "{value}");
        }
        headers.insert(IF_MATCH, HeaderValue::from_static("W/\"abc\""));
        assert_eq!(
            required_if_match(&headers).expect_err("foreign").status(),
            StatusCode::PRECONDITION_FAILED
        );
    }

    #[test]
    fn the_envelope_has_code_message_and_inner_error() {
        let request = RequestRef {
            request_id: "r-1".into(),
            client_request_id: None,
        };
        let body = envelope(&ApiError::etag_mismatch(), Lang::Ru, &request, Utc::now());
        let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(json["error"]["code"], "etag_mismatch");
        assert!(json["error"]["message"].as_str().expect("message").contains("ETag"));
        assert_eq!(json["error"]["innerError"]["request-id"], "r-1");
        assert_eq!(json["error"]["innerError"]["client-request-id"], "r-1");
        assert!(json["error"]["innerError"]["date"]
            .as_str()
            .expect("date")
            .ends_with('Z'));
    }

    #[test]
    fn urls_are_absolute_from_the_public_url() {
        let urls = Urls {
            public_url: "https://pd.example/",
        };
        assert_eq!(
            urls.absolute("tenantRelationships/x"),
            "https://pd.example/v1.0/tenantRelationships/x"
        );
        assert_eq!(
            urls.context("tenantRelationships/x"),
            "https://pd.example/v1.0/$metadata#tenantRelationships/x"
        );
    }
}
