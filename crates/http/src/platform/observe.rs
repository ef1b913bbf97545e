//! Request and correlation ids, the request log and the metrics: the outermost layer, so it
//! sees every answer, including those of the other layers (413, 429, 503).

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

use super::CallerId;
use crate::state::AppState;

/// `MS-RequestId`: names one request; also the key of an idempotent POST.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("ms-requestid");
/// `MS-CorrelationId`: ties together the requests of one client operation.
pub static CORRELATION_ID: HeaderName = HeaderName::from_static("ms-correlationid");

/// The ids of a request, as the client sent them or as generated here.
#[derive(Debug, Clone)]
pub struct RequestIds {
    pub request_id: HeaderValue,
    pub correlation_id: HeaderValue,
    /// Whether the client sent `MS-RequestId` (rather than it being made here): only then
    /// is a POST idempotent.
    pub request_id_sent: bool,
}

/// The route template a request matched, e.g. `/v1/customers/{id}`; `unmatched` when none.
pub fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string())
}

/// A header's value, or a new UUID when absent or empty.
fn id_or_new(request: &Request, name: &HeaderName) -> HeaderValue {
    match request.headers().get(name) {
        Some(v) if !v.is_empty() => v.clone(),
        _ => HeaderValue::from_str(&Uuid::now_v7().to_string()).unwrap_or_else(|_| HeaderValue::from_static("-")),
    }
}

/// Echoes (or makes) the ids, then logs and measures the request.
pub async fn observe(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let ids = RequestIds {
        request_id_sent: request.headers().get(&REQUEST_ID).is_some_and(|v| !v.is_empty()),
        request_id: id_or_new(&request, &REQUEST_ID),
        correlation_id: id_or_new(&request, &CORRELATION_ID),
    };
    // Layers and handlers inside read the ids from the headers, as the client sent them.
    request.headers_mut().insert(REQUEST_ID.clone(), ids.request_id.clone());
    request
        .headers_mut()
        .insert(CORRELATION_ID.clone(), ids.correlation_id.clone());
    request.extensions_mut().insert(ids.clone());
    // The matched template (an `Arc` inside): no copy of the route per request.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();

    // The use cases the request runs record its correlation id in their audit records.
    let correlation_id = ids.correlation_id.to_str().unwrap_or_default().to_string();
    let mut response = partnerdesk_app::audit::with_correlation_id(correlation_id, next.run(request)).await;

    let headers = response.headers_mut();
    headers.insert(REQUEST_ID.clone(), ids.request_id.clone());
    headers.insert(CORRELATION_ID.clone(), ids.correlation_id.clone());
    let elapsed = started.elapsed();
    let status = response.status();
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    state
        .platform
        .metrics
        .record(method.as_str(), route, status.as_u16(), elapsed);
    let caller = response.extensions().get::<CallerId>().map(|c| c.0.to_string());
    tracing::info!(
        target: "partnerdesk_http::request",
        request_id = ids.request_id.to_str().unwrap_or("-"),
        correlation_id = ids.correlation_id.to_str().unwrap_or("-"),
        caller = caller.as_deref().unwrap_or("-"),
        method = %method,
        route,
        status = status.as_u16(),
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}
