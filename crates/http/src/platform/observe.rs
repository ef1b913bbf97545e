//! Request and correlation ids, the request log and the metrics: the outermost step of the
//! platform layer, so it sees every answer, including those of the other steps (413, 429,
//! 503).

use std::cell::RefCell;
use std::future::Future;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
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
pub fn route_of(request: &Request) -> &str {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
}

thread_local! {
    /// Each thread's generator of ids, seeded once from the operating system: drawing from
    /// the system for every request cost more than the rest of making an id.
    static IDS: RefCell<StdRng> = RefCell::new(StdRng::from_entropy());
}

/// A new id: a UUID version 7 (milliseconds since the epoch, then 74 random bits), unique
/// across threads, processes and nodes as much as one drawn from the system is.
pub fn new_id() -> Uuid {
    let mut random = [0u8; 10];
    IDS.with(|rng| rng.borrow_mut().fill_bytes(&mut random));
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

/// A header's value, or a new id when absent or empty.
fn id_or_new(request: &Request, name: &HeaderName) -> HeaderValue {
    match request.headers().get(name) {
        Some(v) if !v.is_empty() => v.clone(),
        _ => {
            let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
            let text = new_id().hyphenated().encode_lower(&mut text);
            HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("-"))
        }
    }
}

/// Echoes (or makes) the ids, runs `inner`, then logs and measures the request.
pub async fn observe<F, Fut>(state: &AppState, mut request: Request, inner: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let started = Instant::now();
    let ids = RequestIds {
        request_id_sent: request.headers().get(&REQUEST_ID).is_some_and(|v| !v.is_empty()),
        request_id: id_or_new(&request, &REQUEST_ID),
        correlation_id: id_or_new(&request, &CORRELATION_ID),
    };
    // Steps and handlers inside read the ids from the headers, as the client sent them.
    request.headers_mut().insert(REQUEST_ID.clone(), ids.request_id.clone());
    request
        .headers_mut()
        .insert(CORRELATION_ID.clone(), ids.correlation_id.clone());
    // The matched template (an `Arc` inside): no copy of the route per request.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();
    // The use cases the request runs record its correlation id in their audit records.
    let correlation_id = ids.correlation_id.to_str().unwrap_or_default().to_string();
    let (request_id, correlation) = (ids.request_id.clone(), ids.correlation_id.clone());
    request.extensions_mut().insert(ids);

    let mut response = partnerdesk_app::audit::with_correlation_id(correlation_id, inner(request)).await;

    let elapsed = started.elapsed();
    let status = response.status();
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    state
        .platform
        .metrics
        .record(method.as_str(), route, status.as_u16(), elapsed);
    // The caller's id as text only when the line is written.
    if tracing::enabled!(target: "partnerdesk_http::request", tracing::Level::INFO) {
        let caller = response.extensions().get::<CallerId>().map(|c| c.0.to_string());
        tracing::info!(
            target: "partnerdesk_http::request",
            request_id = request_id.to_str().unwrap_or("-"),
            correlation_id = correlation.to_str().unwrap_or("-"),
            caller = caller.as_deref().unwrap_or("-"),
            method = %method,
            route,
            status = status.as_u16(),
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request"
        );
    }
    let headers = response.headers_mut();
    headers.insert(REQUEST_ID.clone(), request_id);
    headers.insert(CORRELATION_ID.clone(), correlation);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_version_7_and_distinct() {
        let ids: std::collections::HashSet<Uuid> = (0..10_000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| id.get_version_num() == 7));
    }
}
