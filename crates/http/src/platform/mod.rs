//! What every request goes through around its handler: request and correlation ids, logs
//! and metrics, a time limit, a body size limit, authentication, a per-tenant rate limit,
//! and idempotent POSTs. [`apply`] puts them on the router as one layer, so a request is
//! one future around its handler rather than one per step. The steps, from the outside in:
//!
//! 1. [`headers`]: `nosniff` on every answer, `no-store` on the API's, HSTS behind https.
//! 2. [`observe`]: ids (`MS-RequestId`, `MS-CorrelationId`) echoed on every answer, one log
//!    line and the metrics of every request, whatever answered it.
//! 3. `in_graphs_envelope` (in `graph`): on the Graph-shaped routes (`/v1.0/`), every error
//!    answer of the steps below and the handler is written in Graph's error envelope.
//! 4. [`limits::timed_out`]: a request still running after `request_timeout` is answered
//!    503.
//! 5. [`limits::uri_limit`]: an address over [`limits::MAX_URI`] bytes is answered 414.
//! 6. [`limits::declared_too_large`]: a body over `body_limit` is answered 413 (and the bare
//!    413 of an extractor is given the `/v1` error body).
//! 7. Authentication: a bearer token is checked once, here; the outcome rides along in the
//!    request (the `Auth` extractor reads it), so later steps know the caller. The steps
//!    before it answer their refusals in the `X-Locale` language.
//! 8. `in_callers_language` (in `error`): every error answered from here in is described
//!    in the caller's language (`X-Locale`, else the caller's locale, else English).
//! 9. [`rate_limit`]: per caller organisation and resource family, 429 beyond the limit.
//! 10. [`idempotency`]: a POST repeated with the same `MS-RequestId` gets the first answer.

pub mod headers;
pub mod idempotency;
pub mod limits;
pub mod metrics;
pub mod observe;
pub mod rate_limit;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use partnerdesk_domain::UserId;

use crate::auth::{self, Authenticated};
use crate::graph::RequestRef;
use crate::i18n::Lang;
use crate::state::AppState;

pub use metrics::Metrics;
pub use rate_limit::RateLimiter;

/// Per-node state of the platform layers.
#[derive(Debug, Default)]
pub struct Platform {
    /// Request counts and latencies, served at `/metrics`.
    pub metrics: Metrics,
    /// The rate limit buckets.
    pub limiter: RateLimiter,
}

/// The signed-in user of a request, left on its response for the request log.
#[derive(Debug, Clone, Copy)]
pub struct CallerId(pub UserId);

/// Puts the platform layer on `router` (every route, the fallback included).
pub fn apply(router: Router, state: AppState) -> Router {
    router
        // Where extractors stop reading a body (`limits::described_413` words their 413).
        .layer(axum::extract::DefaultBodyLimit::max(state.config.body_limit))
        .layer(middleware::from_fn_with_state(state, platform))
}

/// The platform layer: the steps of this module's documentation around `next`.
async fn platform(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = headers::is_api_path(request.uri().path());
    let mut response = observe::observe(&state, request, |request| limited(&state, request, next)).await;
    headers::add_security_headers(&mut response, api, headers::is_https(&state.config.public_url));
    response
}

/// Steps 3 to 6: Graph's envelope, the time limit, the address and body limits.
async fn limited(state: &AppState, request: Request, next: Next) -> Response {
    let graph = crate::graph::is_graph_path(request.uri().path()).then(|| RequestRef::of(request.headers()));
    let lang = Lang::from_headers(request.headers());
    let time_limit = state.config.request_timeout;
    let body_limit = state.config.body_limit;
    let within = async {
        let request = match limits::uri_limit(state, request, lang).await {
            Ok(refusal) => return refusal,
            Err(request) => request,
        };
        if limits::declared_too_large(&request, body_limit) {
            return limits::too_large(body_limit, lang);
        }
        limits::described_413(authenticated(state, request, next).await, body_limit, lang)
    };
    let mut response = match tokio::time::timeout(time_limit, within).await {
        Ok(response) => response,
        Err(_) => limits::timed_out(time_limit, lang),
    };
    if let Some(ids) = graph {
        crate::graph::in_graphs_envelope(&mut response, &ids);
    }
    response
}

/// Steps 7 to 10: authentication, the caller's language, the rate limit and idempotency.
async fn authenticated(state: &AppState, mut request: Request, next: Next) -> Response {
    let outcome = auth::authenticate(request.headers(), state).await;
    let caller_id = outcome
        .as_ref()
        .and_then(|o| o.as_ref().ok())
        .map(|c| CallerId(c.user_id));
    if let Some(outcome) = outcome {
        request.extensions_mut().insert(Authenticated(outcome));
    }
    let lang = Lang::pick(request.headers(), caller_of(&request).map(|c| c.locale.as_str()));
    request.extensions_mut().insert(lang);
    let response = match rate_limit::refusal(state, &request) {
        Some(refusal) => refusal,
        None => idempotency::idempotency(state, request, next).await,
    };
    let mut response = crate::error::in_callers_language(response, lang);
    if let Some(id) = caller_id {
        response.extensions_mut().insert(id);
    }
    response
}

/// The caller of a request, if it authenticated successfully.
pub(crate) fn caller_of(request: &Request) -> Option<&partnerdesk_app::Caller> {
    match request.extensions().get::<Authenticated>() {
        Some(Authenticated(Ok(caller))) => Some(caller.as_ref()),
        _ => None,
    }
}
