//! Idempotent POSTs (API.md, "Conventions"): an authenticated POST with an `MS-RequestId`
//! that the same caller already sent within 24 hours gets the first answer again (status,
//! body, content type) and runs nothing. The same id on another method or path is a 409,
//! and so is a repeat that arrives while the first is still running.
//!
//! A server error (5xx) is not kept: the reservation is released, so the client may retry.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use partnerdesk_app::{App, AppError, Caller, Reservation, StoredResponse};

use super::caller_of;
use super::observe::REQUEST_ID;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

/// Releases a reservation if the request never completes (its future was dropped, e.g. by
/// the timeout), so that a retry is not refused for a day.
struct ReleaseOnDrop {
    pending: Option<(App, Caller, String)>,
}

impl ReleaseOnDrop {
    fn disarm(&mut self) {
        self.pending = None;
    }
}

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        let Some((app, caller, request_id)) = self.pending.take() else {
            return;
        };
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = app.release_request(&caller, &request_id).await {
                    tracing::warn!(%request_id, error = %e, "cannot release an idempotency key");
                }
            });
        }
    }
}

fn conflict(reason: String, lang: Lang) -> Response {
    ApiError::from(AppError::Conflict(reason)).in_lang(lang).into_response()
}

/// The idempotency layer.
pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (Some(caller), Some(request_id)) = (
        caller_of(&request).cloned(),
        request
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    ) else {
        return next.run(request).await;
    };
    let lang = Lang::pick(request.headers(), Some(&caller.locale));
    let path = request.uri().path().to_string();
    let app = state.app.clone();
    match app.reserve_request(&caller, &request_id, "POST", &path).await {
        Ok(Reservation::Reserved) => {}
        Ok(Reservation::Replay(stored)) => return replay(stored),
        Ok(Reservation::InProgress) => {
            return conflict(
                format!("a request with MS-RequestId {request_id} is still running; retry it later"),
                lang,
            )
        }
        Ok(Reservation::Mismatch { method, path }) => {
            return conflict(
                format!("MS-RequestId {request_id} was already used for {method} {path}; use a new id"),
                lang,
            )
        }
        Err(e) => return ApiError::from(e).in_lang(lang).into_response(),
    }

    let mut guard = ReleaseOnDrop {
        pending: Some((app.clone(), caller.clone(), request_id.clone())),
    };
    let response = next.run(request).await;
    if response.status().is_server_error() {
        // Not kept: the client may retry with the same id.
        if let Err(e) = app.release_request(&caller, &request_id).await {
            tracing::warn!(%request_id, error = %e, "cannot release an idempotency key");
        }
        guard.disarm();
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(%request_id, error = %e, "cannot read a response body to keep it");
            return ApiError::internal("unreadable response body")
                .in_lang(lang)
                .into_response();
        }
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        body: bytes.to_vec(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    match app.complete_request(&caller, &request_id, &stored).await {
        Ok(()) => guard.disarm(),
        // The change is made; only its replay is lost. Releasing lets a retry run again,
        // which is what a client without the id would do anyway.
        Err(e) => tracing::warn!(%request_id, error = %e, "cannot keep a response for replay"),
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The first answer, again.
fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    response.headers_mut().remove(header::CONTENT_TYPE);
    if let Some(content_type) = stored.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    }
    response
}
