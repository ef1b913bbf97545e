//! Request metrics in the Prometheus text format (version 0.0.4), written by hand: a counter
//! and a latency histogram per route template, method and status. Routes are templates
//! (`/v1/customers/{id}`), never raw paths, so the number of series stays bounded.

use std::fmt::Write;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Labels {
    route: String,
    method: &'static str,
    status: u16,
}

/// [`Labels`] borrowed, to find a series without allocating (hashes as `Labels` does).
#[derive(Hash)]
struct LabelsRef<'a> {
    route: &'a str,
    method: &'static str,
    status: u16,
}

impl papaya::Equivalent<Labels> for LabelsRef<'_> {
    fn equivalent(&self, key: &Labels) -> bool {
        self.route == key.route && self.method == key.method && self.status == key.status
    }
}

#[derive(Debug, Default)]
struct Series {
    count: AtomicU64,
    sum_nanos: AtomicU64,
    /// Observations at or below each bound of [`BUCKETS`] (not cumulative).
    buckets: [AtomicU64; BUCKETS.len()],
}

/// The request metrics of this node. Recording takes no lock (a `papaya` map of atomic
/// counters): it runs on every request.
#[derive(Debug, Default)]
pub struct Metrics {
    series: papaya::HashMap<Labels, Series>,
}

/// Methods are a known set; anything else is `OTHER`, so clients cannot make new series.
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    /// Counts one request and its latency.
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let method = method_label(method);
        let series = self.series.pin();
        let key = LabelsRef { route, method, status };
        let s = match series.get(&key) {
            Some(s) => s,
            None => series.get_or_insert_with(
                Labels {
                    route: route.to_string(),
                    method,
                    status,
                },
                Series::default,
            ),
        };
        s.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        s.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
        let seconds = elapsed.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            s.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The series in label order: (labels, count, sum in seconds, buckets).
    #[allow(clippy::type_complexity)]
    fn snapshot(&self) -> Vec<(Labels, u64, f64, [u64; BUCKETS.len()])> {
        let series = self.series.pin();
        let mut out: Vec<_> = series
            .iter()
            .map(|(l, s)| {
                let buckets = std::array::from_fn(|i| s.buckets[i].load(Ordering::Relaxed));
                let sum = s.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
                (l.clone(), s.count.load(Ordering::Relaxed), sum, buckets)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let series = self.snapshot();
        let mut out = String::new();
        let _ = writeln!(out, "# HELP partnerdesk_http_requests_total HTTP requests answered.");
        let _ = writeln!(out, "# TYPE partnerdesk_http_requests_total counter");
        for (l, count, _, _) in &series {
            let _ = writeln!(
                out,
                "partnerdesk_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}",
                l.method,
                escape(&l.route),
                l.status,
                count
            );
        }
        let _ = writeln!(
            out,
            "# HELP partnerdesk_http_request_duration_seconds Time to answer HTTP requests."
        );
        let _ = writeln!(out, "# TYPE partnerdesk_http_request_duration_seconds histogram");
        for (l, count, sum_seconds, buckets) in &series {
            let labels = format!(
                "method=\"{}\",route=\"{}\",status=\"{}\"",
                l.method,
                escape(&l.route),
                l.status
            );
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "partnerdesk_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "partnerdesk_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(
                out,
                "partnerdesk_http_request_duration_seconds_sum{{{labels}}} {sum_seconds}"
            );
            let _ = writeln!(
                out,
                "partnerdesk_http_request_duration_seconds_count{{{labels}}} {count}"
            );
        }
        out
    }
}

#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    summary = "Prometheus metrics",
    security(()),
    responses(
        (status = 200, description = "Request counts and durations in the Prometheus text format", content_type = "text/plain", body = String),
    )
)]
/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    ([(header::CONTENT_TYPE, content_type)], state.platform.metrics.render()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_counted_and_falls_into_its_latency_buckets() {
        let m = Metrics::default();
        m.record("GET", "/v1/customers/{id}", 200, Duration::from_millis(30));
        m.record("GET", "/v1/customers/{id}", 200, Duration::from_millis(3));
        m.record("BREW", "unmatched", 404, Duration::from_secs(20));
        let text = m.render();
        assert!(
            text.contains(r#"partnerdesk_http_requests_total{method="GET",route="/v1/customers/{id}",status="200"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"method="OTHER",route="unmatched",status="404"} 1"#),
            "{text}"
        );
        let bucket = |le: &str| {
            format!(
                r#"partnerdesk_http_request_duration_seconds_bucket{{method="GET",route="/v1/customers/{{id}}",status="200",le="{le}"}}"#
            )
        };
        assert!(text.contains(&format!("{} 0", bucket("0.001"))), "{text}");
        assert!(text.contains(&format!("{} 1", bucket("0.005"))), "{text}");
        assert!(text.contains(&format!("{} 2", bucket("0.05"))), "{text}");
        assert!(text.contains(&format!("{} 2", bucket("+Inf"))), "{text}");
        assert!(
            text.contains(r#"partnerdesk_http_request_duration_seconds_bucket{method="OTHER",route="unmatched",status="404",le="10"} 0"#),
            "slower than every bound: {text}"
        );
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
    }
}
