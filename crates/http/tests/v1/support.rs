//! A router over a `TestApp` and a small client that speaks JSON to it.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use partnerdesk_app::Caller;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{CustomerActor, PartnerActor, TestApp, TestDb};
use serde_json::Value;
use tower::ServiceExt;

/// The router over a fresh `TestApp`.
pub struct Api {
    pub t: TestApp,
    router: Router,
}

/// An answer: status, headers, raw body and the body as JSON (`Null` when not JSON).
#[derive(Debug)]
pub struct Reply {
    /// The backend that answered, for failure messages.
    pub backend: &'static str,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub json: Value,
}

impl Reply {
    /// Asserts the answer's status, naming the backend and showing the body when it is
    /// another; gives the answer back to read on.
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "{}: {}", self.backend, self.json);
        self
    }

    /// Status and body together, for one snapshot.
    pub fn seen(&self) -> Value {
        serde_json::json!({"status": self.status.as_u16(), "body": self.json})
    }
}

/// Every backend with a fresh app on it.
pub async fn apis() -> Vec<Api> {
    let mut out = Vec::new();
    for db in partnerdesk_testkit::backends().await {
        out.push(Api::on(db).await);
    }
    out
}

impl Api {
    /// The router over `TestApp::on(db)`.
    pub async fn on(db: TestDb) -> Api {
        let t = TestApp::on(db).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        Api { t, router }
    }

    /// The router over `TestApp::with_mail(db, smtp_url)`: e-mail on.
    pub async fn with_mail(db: TestDb, smtp_url: &str) -> Api {
        let t = TestApp::with_mail(db, smtp_url).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        Api { t, router }
    }

    /// A bearer token of `caller`.
    pub async fn token(&self, caller: &Caller) -> String {
        self.t.token_for(caller).await
    }

    /// The world most tests start from: a direct partner, a customer of it, and a token
    /// of the partner's admin.
    pub async fn seller(&self) -> (PartnerActor, CustomerActor, String) {
        let partner = self.t.partner(PartnerType::Direct).await;
        let customer = self.t.customer_of(&partner).await;
        let token = self.token(&partner.admin).await;
        (partner, customer, token)
    }

    /// Sends a request; `body` is sent as JSON.
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let is_post = method == Method::POST;
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        // Clients that retry send an id with every POST; so do these tests, so that every
        // POST here also runs through the idempotency scope.
        if is_post && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("MS-RequestId")) {
            req = req.header("MS-RequestId", uuid::Uuid::now_v7().to_string());
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        self.answer(req).await
    }

    /// Sends `body` as it is, with `Content-Type: application/json` (for JSON that
    /// `serde_json::Value` cannot hold, such as a property named twice).
    pub async fn send_raw(&self, method: Method, uri: &str, token: &str, body: &str) -> Reply {
        self.send_bytes(method, uri, token, body.as_bytes().to_vec()).await
    }

    /// Sends `body`'s bytes as they are (not even UTF-8, perhaps) as JSON.
    pub async fn send_bytes(&self, method: Method, uri: &str, token: &str, body: Vec<u8>) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("request");
        self.answer(req).await
    }

    /// `POST uri` with `pairs` as a form, without a token (`/oauth2/token`).
    pub async fn send_form(&self, uri: &str, pairs: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
            .collect();
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .expect("request");
        self.answer(req).await
    }

    /// The router's answer to `req`, read whole.
    async fn answer(&self, req: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(req).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body")
            .to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            backend: self.t.db.backend,
            status,
            headers,
            bytes,
            json,
        }
    }

    pub async fn get(&self, uri: &str, token: &str) -> Reply {
        self.get_with(uri, token, &[]).await
    }

    /// `GET uri` with `headers` (`X-Locale`, `Accept`, a continuation token).
    pub async fn get_with(&self, uri: &str, token: &str, headers: &[(&str, &str)]) -> Reply {
        self.send(Method::GET, uri, Some(token), headers, None).await
    }

    /// Every page from `uri` on, each followed from the one before by its `links.next`
    /// verbatim (its URI and every header it names), as a client would.
    pub async fn pages(&self, uri: &str, token: &str) -> Vec<Reply> {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let mut pages = vec![self.get(uri, token).await.expect(StatusCode::OK)];
        while let Some(next) = pages.last().and_then(|page| page.json["links"].get("next")).cloned() {
            let headers: Vec<(String, String)> = next["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|h| (text(&h["key"]), text(&h["value"])))
                .collect();
            let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let page = self.get_with(&text(&next["uri"]), token, &headers).await;
            pages.push(page.expect(StatusCode::OK));
        }
        pages
    }

    /// `GET uri` as CSV: the text after its byte-order mark.
    pub async fn csv(&self, uri: &str, token: &str) -> String {
        let reply = self
            .get_with(uri, token, &[("accept", "text/csv")])
            .await
            .expect(StatusCode::OK);
        assert!(
            reply.bytes.starts_with(b"\xEF\xBB\xBF"),
            "{}: no BOM",
            self.t.db.backend
        );
        String::from_utf8(reply.bytes[3..].to_vec()).expect("UTF-8")
    }

    pub async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.send(Method::POST, uri, Some(token), &[], Some(body)).await
    }

    pub async fn patch(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.send(Method::PATCH, uri, Some(token), &[], Some(body)).await
    }

    pub async fn put(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.send(Method::PUT, uri, Some(token), &[], Some(body)).await
    }

    pub async fn delete(&self, uri: &str, token: &str) -> Reply {
        self.send(Method::DELETE, uri, Some(token), &[], None).await
    }
}

/// `raw` percent-encoded for a query string (all but unreserved ASCII).
pub fn url_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn is_uuid_at(s: &[u8], i: usize) -> bool {
    if i + 36 > s.len() {
        return false;
    }
    s[i..i + 36].iter().enumerate().all(|(k, c)| match k {
        8 | 13 | 18 | 23 => *c == b'-',
        _ => c.is_ascii_hexdigit(),
    })
}

/// Replaces every UUID inside `s` with `[uuid]`.
fn redact_uuids(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if is_uuid_at(bytes, i) {
            out.push_str("[uuid]");
            i += 36;
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn looks_like_time(s: &str) -> bool {
    s.len() == 20 && s.ends_with('Z') && s.as_bytes().get(10) == Some(&b'T')
}

/// A body with its ids, times, tokens and passwords redacted, for snapshots.
pub fn redacted(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("password" | "continuationToken", Value::String(_)) => Value::String(format!("[{k}]")),
                        ("value", Value::String(_)) => Value::String("[token]".into()),
                        ("url", Value::String(u)) => {
                            Value::String(format!("{}/[token]", u.rsplit_once('/').map(|p| p.0).unwrap_or("")))
                        }
                        _ => redacted(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redacted).collect()),
        Value::String(s) if looks_like_time(s) => Value::String("[time]".into()),
        Value::String(s) => Value::String(redact_uuids(s)),
        other => other.clone(),
    }
}

impl Reply {
    /// Status and redacted body, for one snapshot.
    pub fn snap(&self) -> Value {
        redacted(&self.seen())
    }

    /// Asserts the whole answer is the API's error: this status, and partnerdesk's body
    /// with this code, `errorName` and description (ids redacted as in `snap`) and no data.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: u32, name: &str, description: &str) {
        self.assert_error_with(status, code, name, description, Value::Array(vec![]));
    }

    /// As [`Reply::assert_error`], for an error whose `data` says more.
    #[track_caller]
    pub fn assert_error_with(&self, status: StatusCode, code: u32, name: &str, description: &str, data: Value) {
        let body = serde_json::json!({
            "code": code,
            "data": data,
            "description": description,
            "errorName": name,
            "source": "partnerdesk",
        });
        let expected = serde_json::json!({"status": status.as_u16(), "body": body});
        assert_eq!(self.snap(), expected, "{}", self.backend);
    }

    /// A string property of the JSON body.
    pub fn str(&self, pointer: &str) -> String {
        self.json
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }
}
