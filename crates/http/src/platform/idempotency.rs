//! Idempotent POSTs (API.md, "Conventions"). A POST is applied once per request id:
//!
//! - on the API, an authenticated POST whose client sent `MS-RequestId`;
//! - on the dashboard, a signed-in form submission, by the one-time `_form` token every
//!   form that changes something carries (so a double click, Back and resubmit, or a
//!   replayed request gets the first answer again, e.g. the same redirect).
//!
//! A repeat by the same caller within 24 hours gets the first answer (status, body, content
//! type, `Location`) and runs nothing. The same id on another method or path is a 409. A
//! POST without an id keeps nothing.
//!
//! The record commits in the same transaction as the change (`partnerdesk_app`'s
//! `idempotency` module): the use case's transaction is kept open until the answer is known,
//! the answer is written into it, and it commits; if that commit fails the client gets an
//! error, not the success it was about to get. A refusal (4xx), a server error or a request
//! that is dropped (timeout, crash) keeps nothing and changes nothing, so a retry runs
//! again.
//!
//! A kept answer never holds a secret: a handler whose answer carries one (a new API token's
//! secret, a generated password) attaches a [`ReplayAs`] without it, and a dashboard answer
//! that is a page rather than a redirect is kept as a redirect to the page's address.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use partnerdesk_app::{AppError, Caller, IdempotencyScope, Reservation, StoredResponse};
use partnerdesk_domain::ConflictKind;
use serde::Serialize;

use super::caller_of;
use super::observe::RequestIds;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::session::{cookie, SESSION_COOKIE};

/// The form field that carries a dashboard form's one-time token.
pub const FORM_TOKEN_FIELD: &str = "_form";

/// The answer to keep for replay instead of the one sent, when the one sent carries a
/// secret. A handler puts it in its response's extensions.
#[derive(Debug, Clone)]
pub struct ReplayAs(pub StoredResponse);

impl ReplayAs {
    /// A JSON body.
    pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Self {
        Self(StoredResponse {
            status: status.as_u16(),
            body: serde_json::to_vec(body).unwrap_or_default(),
            content_type: Some("application/json".into()),
            location: None,
        })
    }

    /// A `303 See Other` to `location`.
    pub fn redirect(location: &str) -> Self {
        Self(StoredResponse {
            status: StatusCode::SEE_OTHER.as_u16(),
            body: Vec::new(),
            content_type: None,
            location: Some(location.to_string()),
        })
    }
}

/// Where an idempotent POST came from, which decides how its answer is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Api,
    Form,
}

/// Runs `request` through `next`, once per request id when it is an idempotent POST.
pub async fn idempotency(state: &AppState, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let sent_id = request
        .extensions()
        .get::<RequestIds>()
        .filter(|ids| ids.request_id_sent)
        .and_then(|ids| ids.request_id.to_str().ok())
        .map(str::to_string);
    if let Some(request_id) = sent_id {
        if let Some(caller) = caller_of(&request).cloned() {
            return once(state, caller, request_id, Source::Api, request, next).await;
        }
    }
    if caller_of(&request).is_none() && is_form(request.headers()) {
        if let Some(secret) = cookie(request.headers(), SESSION_COOKIE).map(str::to_string) {
            return form_once(state, secret, request, next).await;
        }
    }
    next.run(request).await
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A dashboard form: applied once per `_form` token when it comes from a signed-in session
/// with its CSRF token. Anything else goes on as it is (the handler refuses what it must).
async fn form_once(state: &AppState, secret: String, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, state.config.body_limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let lang = Lang::from_headers(&parts.headers);
            return ApiError::payload_too_large(state.config.body_limit)
                .in_lang(lang)
                .into_response();
        }
    };
    let (mut token, mut csrf) = (None, None);
    for (name, value) in form_urlencoded::parse(&bytes) {
        match name.as_ref() {
            FORM_TOKEN_FIELD => token = Some(value.into_owned()),
            "_csrf" => csrf = Some(value.into_owned()),
            _ => {}
        }
    }
    let request = Request::from_parts(parts, Body::from(bytes));
    let (Some(token), Some(csrf)) = (token, csrf) else {
        return next.run(request).await;
    };
    let Ok(session) = state.app.web_session(&secret).await else {
        return next.run(request).await;
    };
    if !same_token(&csrf, &session.csrf_token) {
        return next.run(request).await;
    }
    once(
        state,
        session.caller,
        format!("form:{token}"),
        Source::Form,
        request,
        next,
    )
    .await
}

/// Runs `request` at most once for `request_id`, or answers as the first run did.
async fn once(
    state: &AppState,
    caller: Caller,
    request_id: String,
    source: Source,
    request: Request,
    next: Next,
) -> Response {
    let app = &state.app;
    let lang = Lang::pick(request.headers(), Some(&caller.locale));
    let path = request.uri().path().to_string();
    let scope = match app.idempotency_scope(&caller, &request_id, "POST", &path) {
        Ok(scope) => scope,
        Err(e) => return ApiError::from(e).in_lang(lang).into_response(),
    };
    match app.check_request(&scope).await {
        Ok(Reservation::Fresh) => {}
        Ok(seen) => return answer(seen, &request_id, lang),
        Err(e) => return ApiError::from(e).in_lang(lang).into_response(),
    }

    let response = app.within_scope(scope.clone(), next.run(request)).await;

    if let Some(seen) = scope.repeated() {
        scope.discard();
        return answer(seen, &request_id, lang);
    }
    if scope.is_incomplete() {
        scope.discard();
        return ApiError::internal("part of a request failed after another part was made")
            .in_lang(lang)
            .into_response();
    }
    if !scope.has_changes() {
        return response;
    }
    let status = response.status();
    if !(status.is_success() || status.is_redirection()) {
        // A refusal or a failure changes nothing and keeps nothing.
        scope.discard();
        return response;
    }
    keep(state, &scope, source, &path, response, lang).await
}

/// Writes the answer into the request's transaction and commits the two together.
async fn keep(
    state: &AppState,
    scope: &IdempotencyScope,
    source: Source,
    path: &str,
    response: Response,
    lang: Lang,
) -> Response {
    let (parts, body) = response.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            scope.discard();
            return ApiError::internal(&format!("cannot read a response body to keep it: {e}"))
                .in_lang(lang)
                .into_response();
        }
    };
    let header_text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let kept = match (parts.extensions.get::<ReplayAs>(), source) {
        (Some(ReplayAs(replay)), _) => replay.clone(),
        (None, Source::Api) => StoredResponse {
            status: parts.status.as_u16(),
            body: bytes.to_vec(),
            content_type: header_text(header::CONTENT_TYPE),
            location: header_text(header::LOCATION),
        },
        // A dashboard page may hold the session's CSRF token or a secret shown once: the
        // repeat is sent to the page's address instead.
        (None, Source::Form) => match header_text(header::LOCATION) {
            Some(location) if parts.status.is_redirection() => ReplayAs::redirect(&location).0,
            _ => ReplayAs::redirect(path).0,
        },
    };
    match state.app.commit_request(scope, &kept).await {
        Ok(()) => Response::from_parts(parts, Body::from(bytes)),
        Err(e) => {
            tracing::error!(error = %e, "a request's change and its answer could not be committed");
            ApiError::from(match e {
                AppError::Unavailable(cause) => AppError::Unavailable(cause),
                other => AppError::Internal(other.to_string()),
            })
            .in_lang(lang)
            .into_response()
        }
    }
}

/// The answer to a request id already seen.
fn answer(seen: Reservation, request_id: &str, lang: Lang) -> Response {
    let conflict = |kind: ConflictKind| ApiError::from(AppError::Conflict(kind)).in_lang(lang).into_response();
    let request_id = request_id.to_string();
    match seen {
        Reservation::Replay(stored) => replay(stored),
        Reservation::Fresh | Reservation::InProgress => conflict(ConflictKind::RequestStillRunning { request_id }),
        Reservation::Mismatch { method, path } => conflict(ConflictKind::RequestIdReused {
            request_id,
            method,
            path,
        }),
    }
}

/// The first answer, again.
fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_TYPE);
    if let Some(content_type) = stored.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    if let Some(location) = stored.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}
