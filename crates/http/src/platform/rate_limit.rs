//! The per-tenant rate limit: a token bucket per caller organisation and resource family
//! (the first path segment after `/v1`, e.g. `customers`), holding `rate_limit_per_minute`
//! requests and refilled evenly over a minute, as Partner Center limits each partner.
//! Beyond it: 429, `Retry-After` and Partner Center's body
//! `{"statusCode": 429, "message": "Rate limit is exceeded. Try again in N seconds."}`.
//!
//! Buckets live in this node's memory: behind a load balancer each node allows the limit,
//! so the cluster allows up to nodes × limit. Anonymous requests (health checks, sign-in)
//! are not limited here.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use uuid::Uuid;

use super::{caller_of, observe::route_of};
use crate::state::AppState;

/// How often (in checks) idle buckets are swept away.
const SWEEP_EVERY: u64 = 4096;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug, Default)]
struct Buckets {
    /// Organisation → resource family → bucket (two levels, so finding a bucket copies
    /// nothing).
    by_org: HashMap<Uuid, HashMap<String, Bucket>>,
    checks: u64,
}

/// This node's buckets.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<Buckets>,
}

impl RateLimiter {
    /// Takes one request from the bucket of (`org`, `family`), or says how long until one
    /// is free. `per_minute` 0 means no limit.
    pub fn check(&self, org: Uuid, family: &str, per_minute: u32, now: Instant) -> Result<(), Duration> {
        if per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets.checks += 1;
        if buckets.checks.is_multiple_of(SWEEP_EVERY) {
            // A bucket idle for a minute is full again: forgetting it changes nothing.
            buckets.by_org.retain(|_, families| {
                families.retain(|_, b| now.saturating_duration_since(b.at) < Duration::from_secs(60));
                !families.is_empty()
            });
        }
        let families = buckets.by_org.entry(org).or_default();
        if !families.contains_key(family) {
            families.insert(
                family.to_string(),
                Bucket {
                    tokens: capacity,
                    at: now,
                },
            );
        }
        let Some(bucket) = families.get_mut(family) else {
            return Ok(());
        };
        let refill = now.saturating_duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
        }
    }
}

/// The resource family of a route template: the segment after `/v1` or `/v1.0`
/// (`/v1/customers/{id}` → `customers`), else the first segment (`/webhooks/v1/...` →
/// `webhooks`).
pub fn family(route: &str) -> &str {
    let mut segments = route.split('/').filter(|s| !s.is_empty());
    match segments.next() {
        Some("v1" | "v1.0") => segments.next().unwrap_or(""),
        Some(first) => first,
        None => "",
    }
}

/// Partner Center's 429 body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TooManyRequests {
    status_code: u16,
    message: String,
}

/// The 429 of an authenticated request over the limit; `None` when it may go on.
pub fn refusal(state: &AppState, request: &Request) -> Option<Response> {
    let per_minute = state.config.rate_limit_per_minute;
    let caller = caller_of(request).filter(|_| per_minute > 0)?;
    let route = route_of(request);
    let wait = state
        .platform
        .limiter
        .check(caller.org_id.0, family(route), per_minute, Instant::now())
        .err()?;
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    tracing::info!(org_id = %caller.org_id, route, seconds, "rate limit exceeded");
    let body = TooManyRequests {
        status_code: 429,
        message: format!("Rate limit is exceeded. Try again in {seconds} seconds."),
    };
    let retry_after = HeaderValue::from(seconds);
    Some(
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, retry_after)],
            Json(body),
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_the_limit_then_refills_evenly_over_a_minute() {
        let limiter = RateLimiter::default();
        let (org, start) = (Uuid::nil(), Instant::now());
        for _ in 0..3 {
            assert_eq!(limiter.check(org, "customers", 3, start), Ok(()));
        }
        let wait = limiter.check(org, "customers", 3, start).expect_err("over the limit");
        assert_eq!(wait.as_secs(), 20, "one request every 20 s at 3 per minute");
        assert_eq!(
            limiter.check(org, "offers", 3, start),
            Ok(()),
            "another family has its own bucket"
        );
        assert_eq!(
            limiter.check(Uuid::max(), "customers", 3, start),
            Ok(()),
            "another tenant has its own bucket"
        );
        assert_eq!(
            limiter.check(org, "customers", 3, start + Duration::from_secs(20)),
            Ok(())
        );
        assert!(limiter
            .check(org, "customers", 3, start + Duration::from_secs(20))
            .is_err());
    }

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::default();
        for _ in 0..1000 {
            assert_eq!(limiter.check(Uuid::nil(), "customers", 0, Instant::now()), Ok(()));
        }
    }

    #[test]
    fn the_family_is_the_segment_after_the_version() {
        assert_eq!(family("/v1/customers/{id}/subscriptions"), "customers");
        assert_eq!(
            family("/v1.0/tenantRelationships/delegatedAdminRelationships"),
            "tenantRelationships"
        );
        assert_eq!(family("/webhooks/v1/registration"), "webhooks");
        assert_eq!(family("unmatched"), "unmatched");
        assert_eq!(family("/v1"), "");
    }
}
