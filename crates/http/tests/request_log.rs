//! One structured log line per request: ids, caller, route, status and latency.
//!
//! A test binary of its own: a log subscriber set for one thread only sees every event when
//! no other test in the process touches the same log call sites at the same time.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use tracing_subscriber::fmt::MakeWriter;

#[path = "auth/support.rs"]
mod support;

use support::*;

/// Collects what the log writer writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn each_request_is_logged_with_its_ids_caller_route_status_and_latency() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let answer = Call::get("/v1/me/tokens")
        .bearer(&token)
        .header("MS-RequestId", "req-77")
        .header("MS-CorrelationId", "corr-12")
        .send(&router)
        .await;
    drop(guard);
    assert_eq!(answer.status, StatusCode::OK);

    let text = String::from_utf8(captured.0.lock().expect("log").clone()).expect("UTF-8 log");
    let line = text
        .lines()
        .find(|l| l.contains("partnerdesk_http::request"))
        .unwrap_or_else(|| panic!("no request line in:\n{text}"));
    for field in [
        "request_id=\"req-77\"".to_string(),
        "correlation_id=\"corr-12\"".to_string(),
        format!("caller=\"{}\"", t.operator.user_id),
        "method=GET".to_string(),
        "route=\"/v1/me/tokens\"".to_string(),
        "status=200".to_string(),
        "latency_ms=".to_string(),
    ] {
        assert!(line.contains(&field), "{field} missing in {line}");
    }
}
