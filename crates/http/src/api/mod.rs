//! The Partner Center-compatible `/v1` resource handlers. Each one extracts, calls one
//! `app` function and renders; authorization is the app's. The routes themselves are
//! listed in `routes.rs`.

pub mod customers;
pub mod invitations;
pub mod me;
pub mod offers;
pub mod orders;
pub mod partners;
pub mod profiles;
pub mod subscriptions;

use std::str::FromStr;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use partnerdesk_app::{AppResult, Caller};
use serde::de::DeserializeOwned;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::wire::CONTINUATION_HEADER;

/// Default page size of a collection.
pub const DEFAULT_PAGE: u32 = 100;
/// Largest page size a client may ask for.
pub const MAX_PAGE: u32 = 500;

/// The authenticated caller and the language of the answer.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub caller: Caller,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Auth(caller) = Auth::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let lang = Lang::pick(&parts.headers, Some(&caller.locale));
        Ok(Self { caller, lang })
    }
}

impl Ctx {
    /// An application result, with its error in the caller's language.
    pub fn ok<T>(&self, result: AppResult<T>) -> ApiResult<T> {
        result.map_err(|e| ApiError::from(e).in_lang(self.lang))
    }

    /// An API error in the caller's language.
    pub fn err(&self, e: ApiError) -> ApiError {
        e.in_lang(self.lang)
    }

    /// Parses an id from the path; a malformed one is, like an unknown one, not found.
    pub fn id<T: FromStr>(&self, raw: &str, what: &str) -> ApiResult<T> {
        raw.parse().map_err(|_| self.err(ApiError::not_found(what)))
    }

    /// Parses an id from a body or query property.
    pub fn id_property<T: FromStr>(&self, raw: &str, property: &str) -> ApiResult<T> {
        raw.trim()
            .parse()
            .map_err(|_| self.err(ApiError::invalid_property(property, "must be a UUID")))
    }
}

/// The language from `X-Locale` alone, for routes that need no sign-in.
#[derive(Debug, Clone, Copy)]
pub struct HeaderLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for HeaderLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(Lang::from_headers(&parts.headers)))
    }
}

/// A query string read into `T`; a bad one is a 400 `invalid_property`.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(&parts.headers);
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::invalid_property("query", e.body_text()).in_lang(lang))
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

/// An opaque continuation token for a keyset position.
pub fn encode_token(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// The keyset position of a request that continues a list: the `MS-ContinuationToken`
/// header, read when the query says `seekOperation=Next`.
pub fn continuation<T: FromStr>(headers: &HeaderMap, seek: Option<&str>) -> ApiResult<Option<T>> {
    let token = headers.get(CONTINUATION_HEADER).and_then(|v| v.to_str().ok());
    match (seek, token) {
        (None, _) => Ok(None),
        (Some(op), _) if !op.eq_ignore_ascii_case("next") => {
            Err(ApiError::invalid_property("seekOperation", "only Next is supported"))
        }
        (Some(_), None) => Err(ApiError::invalid_property(
            CONTINUATION_HEADER,
            "is required with seekOperation=Next",
        )),
        (Some(_), Some(token)) => URL_SAFE_NO_PAD
            .decode(token.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|s| s.parse().ok())
            .map(Some)
            .ok_or_else(|| ApiError::invalid_property(CONTINUATION_HEADER, "is not a token this server issued")),
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
