//! What every request goes through: request and correlation ids, idempotent POSTs, body
//! and time limits, the per-tenant rate limit and the metrics.

#[path = "../auth/support.rs"]
mod support;

mod idempotency;
mod limits;
mod metrics;
mod rate_limit;
mod request_ids;
