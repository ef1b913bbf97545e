//! The Partner Center-compatible `/v1` resource handlers. Each one extracts, calls one
//! `app` function and renders; authorization is the app's. The routes themselves are
//! listed in `routes.rs`.

pub mod access;
pub mod audit;
pub mod customers;
pub mod gdap;
pub mod invitations;
pub mod me;
pub mod offers;
pub mod orders;
pub mod params;
pub mod partners;
pub mod profiles;
pub mod roles;
pub mod security_groups;
pub mod subscriptions;
pub mod webhooks;

use std::str::FromStr;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use partnerdesk_domain::{
    ApiTokenId, AssignmentId, AuditId, CustomerId, EventId, GdapId, GdapOperationId, GdapRequestId, OfferId, OrderId,
    OrgId, PartnerId, SecurityGroupId, SubscriptionId, UserId, WebhookRegistrationId,
};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult, Why};
use crate::wire::{Collection, CONTINUATION_HEADER};

/// Default page size of a collection.
pub const DEFAULT_PAGE: u32 = 100;
/// Largest page size a client may ask for.
pub const MAX_PAGE: u32 = 500;

/// A resource a path segment names by its id.
pub trait PathId: FromStr + Send {
    /// How the resource is named when it is not found.
    const RESOURCE: &'static str;

    /// The answer to an id that names nothing: a malformed one is, like an unknown one,
    /// not found, and says no more.
    fn not_found(_raw: &str) -> ApiError {
        ApiError::not_found(Self::RESOURCE)
    }
}

/// `impl PathId` for ids whose not-found answer only names the resource.
macro_rules! path_ids {
    ($($id:ty => $resource:literal),* $(,)?) => {
        $(impl PathId for $id {
            const RESOURCE: &'static str = $resource;
        })*
    };
}

// `OrgId` is the organisation of `/v1/partners/{id}`.
path_ids! {
    CustomerId => "customer",
    PartnerId => "partner",
    OrgId => "partner",
    UserId => "user",
    OfferId => "offer",
    OrderId => "order",
    GdapId => "GDAP relationship",
    GdapRequestId => "GDAP request",
    GdapOperationId => "GDAP operation",
    AssignmentId => "access assignment",
    SecurityGroupId => "security group",
    ApiTokenId => "API token",
    AuditId => "audit record",
    WebhookRegistrationId => "webhook registration",
    EventId => "webhook event",
}

/// A subscription not found is Partner Center's 20003, naming the id asked for.
impl PathId for SubscriptionId {
    const RESOURCE: &'static str = "subscription";

    fn not_found(raw: &str) -> ApiError {
        ApiError::subscription_not_found(raw)
    }
}

/// The one id of a route's path, parsed before the handler runs.
#[derive(Debug, Clone, Copy)]
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: PathId> FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| T::not_found(""))?;
        raw.parse().map(Id).map_err(|_| T::not_found(&raw))
    }
}

/// The two ids of a route's path (`/v1/customers/{id}/orders/{oid}`), parsed in order
/// before the handler runs.
#[derive(Debug, Clone, Copy)]
pub struct Ids<A, B>(pub A, pub B);

impl<S: Send + Sync, A: PathId, B: PathId> FromRequestParts<S> for Ids<A, B> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| A::not_found(""))?;
        let a = a.parse().map_err(|_| A::not_found(&a))?;
        let b = b.parse().map_err(|_| B::not_found(&b))?;
        Ok(Ids(a, b))
    }
}

pub(crate) use crate::wire::id_property;

/// A query string read into `T`; a bad value is a 400 `invalid_property` naming its
/// parameter (`size`), with the reason in words.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        read_query(parts.uri.query().unwrap_or_default()).map(ApiQuery)
    }
}

/// A list's `filter` query parameter, as Partner Center has it: URL-encoded JSON
/// `{"Field", "Value", "Operator"}` (property names in any case).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub struct ListFilter {
    pub field: String,
    pub value: String,
    pub operator: Option<String>,
}

impl ListFilter {
    /// The filter of `raw`; `None` when there is none (absent or blank).
    pub fn read(raw: Option<&str>) -> ApiResult<Option<Self>> {
        match raw.filter(|f| !f.trim().is_empty()) {
            Some(raw) => crate::json::parse_body(raw.as_bytes()).map(Some),
            None => Ok(None),
        }
    }
}

/// Reads a query string into `T`, naming the parameter a bad value was given for.
fn read_query<T: DeserializeOwned>(query: &str) -> ApiResult<T> {
    let pairs = form_urlencoded::parse(query.as_bytes());
    serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs)).map_err(|e| {
        let message = e.inner().to_string();
        let named = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
        };
        if let Some(parameter) = named("missing field `") {
            return ApiError::invalid_property(parameter, Why::Required);
        }
        if let Some(parameter) = named("duplicate field `") {
            return ApiError::invalid_property(parameter, Why::GivenTwice);
        }
        let parameter = match e.path().to_string() {
            path if path.is_empty() || path == "." => "query".to_string(),
            path => path,
        };
        ApiError::invalid_property(parameter, query_reason(&message))
    })
}

/// The reason a query value was refused, said for a client instead of in Rust's words.
fn query_reason(message: &str) -> Why {
    if message.contains("too large") || message.contains("too small") {
        Why::OutOfRange
    } else if message.contains("integer") || message.contains("invalid digit") {
        Why::WholeNumber
    } else if message.contains("`true` or `false`") {
        Why::TrueOrFalse
    } else {
        Why::NotValid
    }
}

/// The version an `If-Match` header names, when one is sent (`*` matches any). A value
/// that is not one of our ETags can never match: it answers 412.
pub fn if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = value.to_str().unwrap_or("").trim();
    if raw == "*" || raw.is_empty() {
        return Ok(None);
    }
    let bare = raw.trim_start_matches("W/").trim_matches('"');
    bare.parse::<i64>().map(Some).map_err(|_| ApiError::etag_mismatch())
}

/// The page size a client asked for: absent or 0 means the default, more than the
/// maximum means the maximum.
pub fn page_size(size: Option<u32>) -> u32 {
    match size {
        None | Some(0) => DEFAULT_PAGE,
        Some(n) => n.min(MAX_PAGE),
    }
}

/// An opaque continuation token for a keyset position in a list of the organisation
/// `owner`. Naming the owner lets a token another organisation's caller presents be
/// refused rather than read as a position in that caller's own list.
pub fn encode_token(owner: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{owner}/{key}").as_bytes())
}

/// The keyset position of a request that continues a list of the organisation `owner`: the
/// `MS-ContinuationToken` header, read when the query says `seekOperation=Next`. A token
/// that is not one of ours, or was given to another organisation, is refused.
pub fn continuation<T: FromStr>(owner: &str, headers: &HeaderMap, seek: Option<&str>) -> ApiResult<Option<T>> {
    let token = headers.get(CONTINUATION_HEADER).and_then(|v| v.to_str().ok());
    match (seek, token) {
        (None, _) => Ok(None),
        (Some(op), _) if !op.eq_ignore_ascii_case("next") => Err(ApiError::invalid_property(
            "seekOperation",
            Why::other("only Next is supported"),
        )),
        (Some(_), None) => Err(ApiError::invalid_property(
            CONTINUATION_HEADER,
            Why::other("is required with seekOperation=Next"),
        )),
        (Some(_), Some(token)) => URL_SAFE_NO_PAD
            .decode(token.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|s| match s.split_once('/') {
                Some((of, key)) if of == owner => key.parse().ok(),
                _ => None,
            })
            .map(Some)
            .ok_or_else(|| ApiError::invalid_property(CONTINUATION_HEADER, Why::ForeignToken)),
    }
}

/// A page of a keyset-paged list a client asked for: its size, and the query its links
/// repeat (`size` first, then the list's other parameters that were given).
#[derive(Debug)]
pub struct Paging {
    /// Items a page.
    pub size: u32,
    /// The path and query of this page, less the continuation.
    self_uri: String,
    /// The organisation whose list this is, named in its continuation tokens.
    owner: String,
}

impl Paging {
    /// Reads the page size and the keyset position (`seekOperation=Next` with the
    /// `MS-ContinuationToken` of the page before) of `caller`'s request to `path`; `kept` are the
    /// list's other query parameters, repeated in the page's links when given.
    pub fn read<K: FromStr>(
        caller: &partnerdesk_app::Caller,
        path: &str,
        (size, seek): (Option<u32>, Option<&str>),
        headers: &HeaderMap,
        kept: &[(&str, Option<&str>)],
    ) -> ApiResult<(Self, Option<K>)> {
        let size = page_size(size);
        let owner = caller.org_id.to_string();
        let after = continuation(&owner, headers, seek)?;
        let mut self_uri = format!("{path}?size={size}");
        for (name, value) in kept {
            if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                self_uri.push_str(&format!("&{name}={}", query_value(v)));
            }
        }
        Ok((Self { size, self_uri, owner }, after))
    }

    /// The page of `items` of `total_count`, with a link to the page after `next` (the
    /// keyset position of its last item) when there is one.
    pub fn collection<T, K: std::fmt::Display>(
        self,
        items: Vec<T>,
        total_count: i64,
        next: Option<K>,
    ) -> Collection<T> {
        let next = next.map(|key| {
            let uri = format!("{}&seekOperation=Next", self.self_uri);
            (uri, encode_token(&self.owner, &key.to_string()))
        });
        Collection::page(items, total_count, self.self_uri, next)
    }
}

/// Percent-encodes a query value.
pub fn query_value(raw: &str) -> String {
    percent_encoding::utf8_percent_encode(raw, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A JSON resource with its ETag header.
pub fn with_etag(etag: Option<&String>, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    if let Some(value) = etag.and_then(|e| axum::http::HeaderValue::from_str(e).ok()) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}
