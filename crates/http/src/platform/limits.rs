//! Limits that protect the server: the length of a request's address, the size of its body
//! and the time it may run.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use partnerdesk_app::AppError;

use super::headers::is_api_path;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

/// The longest request target (path and query) answered, in bytes: as much as common
/// servers and proxies accept, far more than any address of ours needs.
pub const MAX_URI: usize = 8 * 1024;

/// Refuses a request target over [`MAX_URI`] with 414: the `/v1` error body on the API's
/// paths, an error page on the dashboard's.
pub async fn uri_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let length = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if length <= MAX_URI {
        return next.run(request).await;
    }
    if is_api_path(request.uri().path()) {
        let lang = Lang::from_headers(request.headers());
        return ApiError::uri_too_long(MAX_URI).in_lang(lang).into_response();
    }
    crate::web::uri_too_long(request, &state).await
}

/// Refuses a body over `body_limit` with 413 and the `/v1` error body.
///
/// A declared `Content-Length` over the limit is refused before anything reads the body; a
/// body sent without one is cut off by the extractors (`DefaultBodyLimit`, set to the same
/// limit), and their bare 413 is given the `/v1` error body here.
pub async fn body_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.config.body_limit;
    let lang = Lang::from_headers(request.headers());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return ApiError::payload_too_large(limit).in_lang(lang).into_response();
    }
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::payload_too_large(limit).in_lang(lang).into_response();
    }
    response
}

/// Answers 503 when the request is still running after `request_timeout`; the work in
/// progress is dropped (a store transaction left open rolls back).
pub async fn timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.config.request_timeout;
    let lang = Lang::from_headers(request.headers());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let reason = format!("the request did not finish within {} s", limit.as_secs_f64());
            ApiError::from(AppError::Unavailable(reason))
                .in_lang(lang)
                .into_response()
        }
    }
}
