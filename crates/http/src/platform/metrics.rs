//! Request metrics in the Prometheus text format (version 0.0.4), written by hand: a counter
//! and a latency histogram per route template, method and status. Routes are templates
//! (`/v1/customers/{id}`), never raw paths, so the number of series stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Labels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum_seconds: f64,
    /// Observations at or below each bound of [`BUCKETS`] (not cumulative).
    buckets: [u64; BUCKETS.len()],
}

/// The request metrics of this node.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<Labels, Series>>,
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
        let labels = Labels {
            route: route.to_string(),
            method: method_label(method),
            status,
        };
        let seconds = elapsed.as_secs_f64();
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let s = series.entry(labels).or_default();
        s.count += 1;
        s.sum_seconds += seconds;
        if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            s.buckets[i] += 1;
        }
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let series = self.series.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut out = String::new();
        let _ = writeln!(out, "# HELP partnerdesk_http_requests_total HTTP requests answered.");
        let _ = writeln!(out, "# TYPE partnerdesk_http_requests_total counter");
        for (l, s) in &series {
            let _ = writeln!(
                out,
                "partnerdesk_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}",
                l.method,
                escape(&l.route),
                l.status,
                s.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP partnerdesk_http_request_duration_seconds Time to answer HTTP requests."
        );
        let _ = writeln!(out, "# TYPE partnerdesk_http_request_duration_seconds histogram");
        for (l, s) in &series {
            let labels = format!(
                "method=\"{}\",route=\"{}\",status=\"{}\"",
                l.method,
                escape(&l.route),
                l.status
            );
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(s.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "partnerdesk_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "partnerdesk_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "partnerdesk_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_seconds
            );
            let _ = writeln!(
                out,
                "partnerdesk_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
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
