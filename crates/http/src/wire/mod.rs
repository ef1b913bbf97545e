//! What the `/v1` API sends: camelCase response structs, built explicitly from domain and
//! app types (never rows). Every resource carries `attributes: {objectType, etag?}` and
//! `links.self`; lists are [`Collection`]s.

pub mod access;
pub mod audit;
pub mod customers;
pub mod gdap;
pub mod orders;
pub mod partners;
pub mod subscriptions;
pub mod webhooks;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// The header a client copies from `links.next` to fetch the next page.
pub const CONTINUATION_HEADER: &str = "MS-ContinuationToken";

/// `{objectType, etag?}` of a resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Attributes {
    pub object_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl Attributes {
    /// Attributes of a resource that does not change (no ETag).
    pub fn of(object_type: &'static str) -> Self {
        Self {
            object_type,
            etag: None,
        }
    }

    /// Attributes of a versioned resource: the ETag is its version, quoted.
    pub fn versioned(object_type: &'static str, version: i64) -> Self {
        Self {
            object_type,
            etag: Some(etag(version)),
        }
    }
}

/// A header a client sends when it follows a link.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkHeader {
    pub key: &'static str,
    pub value: String,
}

/// `{uri, method, headers}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Link {
    pub uri: String,
    pub method: &'static str,
    pub headers: Vec<LinkHeader>,
}

impl Link {
    /// A plain GET link.
    pub fn get(uri: impl Into<String>) -> Self {
        Self {
            uri: uri.into(),
            method: "GET",
            headers: Vec::new(),
        }
    }
}

/// `links` of a single resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SelfLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
}

impl SelfLinks {
    /// Links whose `self` is a GET of `uri`.
    pub fn to(uri: impl Into<String>) -> Self {
        Self {
            self_link: Link::get(uri),
        }
    }
}

/// `links` of a collection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CollectionLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
}

/// `{totalCount, items, links: {self, next?}, continuationToken?, attributes}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    pub total_count: i64,
    pub items: Vec<T>,
    pub links: CollectionLinks,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    pub attributes: Attributes,
}

impl<T> Collection<T> {
    /// A collection that holds every item at once.
    pub fn all(items: Vec<T>, self_uri: impl Into<String>) -> Self {
        Self {
            total_count: items.len() as i64,
            items,
            links: CollectionLinks {
                self_link: Link::get(self_uri),
                next: None,
            },
            continuation_token: None,
            attributes: Attributes::of("Collection"),
        }
    }

    /// One page of a keyset-paged collection. `next` is the uri of the next page and its
    /// continuation token; the client follows `links.next` verbatim, header included.
    pub fn page(items: Vec<T>, total_count: i64, self_uri: String, next: Option<(String, String)>) -> Self {
        let (next_link, token) = match next {
            Some((uri, token)) => (
                Some(Link {
                    uri,
                    method: "GET",
                    headers: vec![LinkHeader {
                        key: CONTINUATION_HEADER,
                        value: token.clone(),
                    }],
                }),
                Some(token),
            ),
            None => (None, None),
        };
        Self {
            total_count,
            items,
            links: CollectionLinks {
                self_link: Link::get(self_uri),
                next: next_link,
            },
            continuation_token: token,
            attributes: Attributes::of("Collection"),
        }
    }
}

/// The ETag of a row version: the version, quoted.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// RFC 3339 UTC with seconds, as `2026-03-01T09:00:00Z`.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an id from a body or query property; a malformed one is refused naming it.
pub fn id_property<T: std::str::FromStr>(raw: &str, property: &str) -> crate::error::ApiResult<T> {
    raw.trim()
        .parse()
        .map_err(|_| crate::error::ApiError::invalid_property(property, crate::error::Why::Uuid))
}
