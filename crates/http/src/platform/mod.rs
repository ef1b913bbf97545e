//! What every request goes through around its handler: request and correlation ids, logs
//! and metrics, a time limit, a body size limit, authentication, a per-tenant rate limit,
//! and idempotent POSTs. [`apply`] puts the layers on the router, in this order from the
//! outside in:
//!
//! 1. [`headers`]: `nosniff` on every answer, `no-store` on the API's, HSTS behind https.
//! 2. [`observe`]: ids (`MS-RequestId`, `MS-CorrelationId`) echoed on every answer, one log
//!    line and the metrics of every request, whatever answered it.
//! 3. `in_graphs_envelope` (in `graph`): on the Graph-shaped routes (`/v1.0/`), every error
//!    answer of the layers below and the handler is written in Graph's error envelope.
//! 4. [`limits::timeout`]: a request still running after `request_timeout` is answered 503.
//! 5. [`limits::uri_limit`]: an address over [`limits::MAX_URI`] bytes is answered 414.
//! 6. [`limits::body_limit`]: a body over `body_limit` is answered 413.
//! 7. `authenticate`: a bearer token is checked once, here; the outcome rides along in the
//!    request (the `Auth` extractor reads it), so later layers know the caller. The layers
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

/// Puts the platform layers on `router` (every route, the fallback included).
pub fn apply(router: Router, state: AppState) -> Router {
    // `layer` wraps what is already there: the last one added runs first.
    router
        .layer(middleware::from_fn_with_state(state.clone(), idempotency::idempotency))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit::rate_limit))
        .layer(middleware::from_fn(crate::error::in_callers_language))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), limits::body_limit))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), limits::uri_limit))
        .layer(middleware::from_fn_with_state(state.clone(), limits::timeout))
        .layer(middleware::from_fn(crate::graph::in_graphs_envelope))
        .layer(middleware::from_fn_with_state(state.clone(), observe::observe))
        .layer(middleware::from_fn_with_state(state, headers::security_headers))
}

/// Authenticates a request that carries an `Authorization` header, once, and leaves the
/// outcome in its extensions for the layers and handlers after it.
async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let outcome = auth::authenticate(request.headers(), &state).await;
    let caller_id = outcome
        .as_ref()
        .and_then(|o| o.as_ref().ok())
        .map(|c| CallerId(c.user_id));
    if let Some(outcome) = outcome {
        request.extensions_mut().insert(Authenticated(outcome));
    }
    let mut response = next.run(request).await;
    if let Some(id) = caller_id {
        response.extensions_mut().insert(id);
    }
    response
}

/// The caller of a request, if it authenticated successfully.
pub(crate) fn caller_of(request: &Request) -> Option<&partnerdesk_app::Caller> {
    match request.extensions().get::<Authenticated>() {
        Some(Authenticated(Ok(caller))) => Some(caller),
        _ => None,
    }
}
