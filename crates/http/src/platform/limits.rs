//! Limits that protect the server: the length of a request's address, the size of its body
//! and the time it may run. The platform layer applies them; each refusal is answered in
//! the `X-Locale` language (the caller is not known yet).

use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use partnerdesk_app::AppError;

use super::headers::is_api_path;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

/// The longest request target (path and query) answered, in bytes: as much as common
/// servers and proxies accept, far more than any address of ours needs.
pub const MAX_URI: usize = 8 * 1024;

/// A request target over [`MAX_URI`] answered 414: the `/v1` error body on the API's
/// paths, an error page on the dashboard's. `Err` gives the request back when it is within
/// the limit.
pub async fn uri_limit(state: &AppState, request: Request, lang: Lang) -> Result<Response, Request> {
    let length = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if length <= MAX_URI {
        return Err(request);
    }
    if is_api_path(request.uri().path()) {
        return Ok(ApiError::uri_too_long(MAX_URI).in_lang(lang).into_response());
    }
    Ok(crate::web::uri_too_long(request, state).await)
}

/// A body over `limit` is answered 413 with the `/v1` error body.
///
/// A declared `Content-Length` over the limit is refused before anything reads the body
/// ([`declared_too_large`]); a body sent without one is cut off by the extractors
/// (`DefaultBodyLimit`, set to the same limit), and their bare 413 is given the `/v1` error
/// body by [`described_413`].
pub fn declared_too_large(request: &Request, limit: usize) -> bool {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
}

/// The 413 of a body over `limit`.
pub fn too_large(limit: usize, lang: Lang) -> Response {
    ApiError::payload_too_large(limit).in_lang(lang).into_response()
}

/// `response`, or the `/v1` 413 when it is a bare 413 (not already a JSON error).
pub fn described_413(response: Response, limit: usize, lang: Lang) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        response
    } else {
        too_large(limit, lang)
    }
}

/// The 503 of a request still running after `limit`; the work in progress is dropped (a
/// store transaction left open rolls back).
pub fn timed_out(limit: Duration, lang: Lang) -> Response {
    let reason = format!("the request did not finish within {} s", limit.as_secs_f64());
    ApiError::from(AppError::Unavailable(reason))
        .in_lang(lang)
        .into_response()
}
