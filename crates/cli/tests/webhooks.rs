//! The real `partnerdesk serve` killed (SIGKILL) after an event committed and before it was
//! delivered: once restarted on the same database, it delivers the event, signed so that the
//! public key fetched from its certificate URL and the registration's secret both verify.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use common::{access_token, partnerdesk, Server};
use hmac::{Hmac, Mac};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use sha2::Sha256;

const ADMIN_EMAIL: &str = "ops@hooks.example";
const ADMIN_PASSWORD: &str = "long enough 1";
/// How long the restarted server may take to deliver (it looks every 100 ms).
const ARRIVAL_DEADLINE: Duration = Duration::from_secs(60);

type Got = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A receiver on 127.0.0.1 that answers 200 and keeps what it got.
fn receiver(runtime: &tokio::runtime::Runtime) -> (String, Got) {
    let got: Got = Arc::default();
    let kept = got.clone();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock().expect("lock").push((headers, body));
                "ok"
            }
        }),
    );
    runtime.spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (url, got)
}

fn start(database_url: &str, log: &std::path::Path, webhook_interval_ms: u64) -> Server {
    let mut cmd = partnerdesk();
    cmd.args(["--database-url", database_url])
        .env("PARTNERDESK_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("PARTNERDESK_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("PARTNERDESK_PUBLIC_URL", "http://partnerdesk.test")
        .env("PARTNERDESK_WEBHOOK_ALLOW_PRIVATE", "true")
        .env("PARTNERDESK_WEBHOOK_INTERVAL", webhook_interval_ms.to_string());
    Server::start(cmd, log.to_path_buf())
}

fn sign_in(server: &Server) -> String {
    format!("Bearer {}", access_token(server, ADMIN_EMAIL, ADMIN_PASSWORD))
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn an_event_committed_before_a_kill_is_delivered_after_the_restart(backend: &str, database_url: &str) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (url, got) = receiver(&runtime);
    let logs = tempfile::tempdir().expect("a directory for the server's log");
    let log = logs.path().join("stderr.log");

    // The worker is off on this run, so nothing is delivered before the kill.
    let server = start(database_url, &log, 0);
    let bearer = sign_in(&server);
    let auth = [("Authorization", bearer.as_str()), ("Content-Type", "application/json")];
    let body = format!(r#"{{"WebhookUrl":"{url}","WebhookEvents":["test-created"]}}"#);
    let (status, created) = server.call("POST", "/webhooks/v1/registration", &auth, &body);
    assert_eq!(status, 201, "{backend}: {created}");
    let secret = created["Secret"].as_str().expect("the secret, once").to_string();
    let (status, test) = server.call("POST", "/webhooks/v1/registration/validationEvents", &auth, "");
    assert_eq!(status, 200, "{backend}: {test}");
    let correlation = test["CorrelationId"].as_str().expect("a correlation id").to_string();
    let (status, pending) = server.call(
        "GET",
        &format!("/webhooks/v1/registration/validationEvents/{correlation}"),
        &auth,
        "",
    );
    assert_eq!(
        (status, pending["Status"].as_str()),
        (200, Some("pending")),
        "{backend}: {pending}"
    );
    server.kill();
    assert!(
        got.lock().expect("lock").is_empty(),
        "{backend}: nothing sent before the kill"
    );

    let server = start(database_url, &log, 100);
    let deadline = Instant::now() + ARRIVAL_DEADLINE;
    while got.lock().expect("lock").is_empty() {
        assert!(
            Instant::now() < deadline,
            "{backend}: no delivery after the restart: {}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (headers, body) = got.lock().expect("lock")[0].clone();
    let payload: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(payload["EventName"], "test-created", "{backend}");
    assert_eq!(payload["EventId"], correlation.as_str(), "{backend}");

    // The certificate URL is this server's: fetch the key from it and check the signature.
    let cert_url = header(&headers, "X-MS-Certificate-Url");
    let path = cert_url
        .strip_prefix("http://partnerdesk.test")
        .expect("the certificate URL is under the public URL");
    let (status, pem) = server.get(path);
    assert_eq!(status, 200, "{backend}: {pem}");
    let key = VerifyingKey::<Sha256>::new(rsa::RsaPublicKey::from_public_key_pem(&pem).expect("a PEM public key"));
    let signature = header(&headers, "Authorization");
    let signature = signature.strip_prefix("Signature ").expect("Signature scheme");
    let signature = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, signature).expect("base64");
    key.verify(&body, &Signature::try_from(signature.as_slice()).expect("signature"))
        .expect("the RSA signature verifies with the key of the certificate URL");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(&body);
    let want: String = mac.finalize().into_bytes().iter().map(|x| format!("{x:02x}")).collect();
    assert_eq!(
        header(&headers, "X-Partnerdesk-Signature"),
        format!("sha256={want}"),
        "{backend}"
    );

    // The receiver answered before the worker recorded it: wait for the record.
    let bearer = sign_in(&server);
    loop {
        let (status, done) = server.call(
            "GET",
            &format!("/webhooks/v1/registration/validationEvents/{correlation}"),
            &[("Authorization", bearer.as_str())],
            "",
        );
        assert_eq!(status, 200, "{backend}: {done}");
        if done["Status"] == "delivered" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{backend}: never recorded as delivered: {done}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(got.lock().expect("lock").len(), 1, "{backend}: delivered once");
}

#[cfg(unix)]
#[test]
fn a_webhook_event_survives_a_kill_between_commit_and_delivery() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let databases = runtime.block_on(partnerdesk_testkit::backends());
    for db in &databases {
        an_event_committed_before_a_kill_is_delivered_after_the_restart(db.backend, &db.url);
    }
}
