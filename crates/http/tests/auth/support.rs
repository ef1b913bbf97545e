//! Sending requests through the router and reading answers. Shared by the `auth` and
//! `platform` test crates, each of which uses a part of it.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::TestApp;
use tower::ServiceExt;

/// A test app on SQLite.
pub async fn test_app() -> TestApp {
    TestApp::on(partnerdesk_testkit::sqlite().await).await
}

/// Every backend with a fresh test app on it, and the router over it.
pub async fn apps() -> Vec<(TestApp, Router)> {
    let mut out = Vec::new();
    for db in partnerdesk_testkit::backends().await {
        let t = TestApp::on(db).await;
        let router = router(&t);
        out.push((t, router));
    }
    out
}

/// The router over the test app, with default settings.
pub fn router(t: &TestApp) -> Router {
    router_with(t, HttpConfig::default())
}

/// The router over the test app, with `config`.
pub fn router_with(t: &TestApp, config: HttpConfig) -> Router {
    partnerdesk_http::router(t.app.clone(), config)
}

/// An answer: status, headers and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: serde_json::Value,
}

impl Answer {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A request being built.
pub struct Call {
    request: axum::http::request::Builder,
    body: Body,
}

impl Call {
    pub fn new(method: Method, uri: &str) -> Self {
        Self {
            request: Request::builder().method(method).uri(uri),
            body: Body::empty(),
        }
    }

    pub fn get(uri: &str) -> Self {
        Self::new(Method::GET, uri)
    }

    pub fn post(uri: &str) -> Self {
        Self::new(Method::POST, uri)
    }

    pub fn delete(uri: &str) -> Self {
        Self::new(Method::DELETE, uri)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    /// As if the connection came from `ip` (what `serve` tells every request).
    pub fn peer(mut self, ip: &str) -> Self {
        let addr = std::net::SocketAddr::new(ip.parse().expect("an IP address"), 50000);
        self.request = self.request.extension(axum::extract::ConnectInfo(addr));
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", &format!("Bearer {token}"))
    }

    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.request = self.request.header("Content-Type", "application/json");
        self.body = Body::from(body.to_string());
        self
    }

    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        let encoded = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request = self.request.header("Content-Type", "application/x-www-form-urlencoded");
        self.body = Body::from(encoded);
        self
    }

    pub fn raw_body(mut self, body: impl Into<Body>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends it through `router` and reads the whole answer.
    pub async fn send(self, router: &Router) -> Answer {
        let request = self.request.body(self.body).expect("request");
        let response = router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024)
            .await
            .expect("body");
        let json = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Answer { status, headers, json }
    }
}

/// Percent-encodes a form value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
