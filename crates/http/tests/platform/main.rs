//! What every request goes through: request and correlation ids, idempotent POSTs, body
//! and time limits, the per-tenant rate limit, the metrics, and the headers and error
//! bodies of every answer.

#[path = "../auth/support.rs"]
mod support;

#[path = "../common/dashboard.rs"]
mod dashboard;

#[path = "../common/english.rs"]
mod english;

mod headers;
mod idempotency;
mod limits;
mod metrics;
mod rate_limit;
mod request_ids;
mod russian;
