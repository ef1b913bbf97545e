//! The webhook pages in Chromium: a partner's admin adds a webhook pointing at a real
//! listener on 127.0.0.1 started here, copies its secret from the one page that shows it,
//! sends a test event and sees it delivered; the listener got it, signed with that secret.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use partnerdesk_app::webhooks::{hmac_signature, WebhookConfig};
use partnerdesk_app::{App, AppConfig, PasswordCost, V7Ids};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{TestApp, PASSWORD};
use tokio::net::TcpListener;

use super::dashboard::email_of;
use super::webdriver::{browser_available, Browser, Driver};
use super::{sign_in, wait_for};

type Got = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A listener on 127.0.0.1 that answers 200 and keeps what it got.
async fn listener() -> (String, Got) {
    let got: Got = Arc::default();
    let kept = got.clone();
    let socket = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/partnerdesk-events", socket.local_addr().expect("address"));
    let app = Router::new().route(
        "/partnerdesk-events",
        post(move |headers: HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock().expect("lock").push((headers, body));
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(socket, app).await.expect("serve") });
    (url, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_adds_a_webhook_sends_a_test_event_and_sees_it_delivered() {
    if !browser_available() {
        return;
    }
    let t = TestApp::on(partnerdesk_testkit::sqlite().await).await;
    // The server may reach 127.0.0.1, as its operator may allow, and runs the worker.
    let config = AppConfig {
        password_cost: PasswordCost::Fast,
        webhooks: WebhookConfig {
            allow_private: true,
            timeout: Duration::from_secs(5),
        },
        ..AppConfig::default()
    };
    let app = App::with_clock(t.db.store.clone(), config, t.clock.clone(), Arc::new(V7Ids));
    let socket = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", socket.local_addr().expect("address"));
    let router = partnerdesk_http::router(
        app.clone(),
        HttpConfig {
            public_url: base.clone(),
            ..HttpConfig::default()
        },
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(partnerdesk_http::serve(socket, router, async {
        let _ = stopped.await;
    }));
    let worker = tokio::spawn({
        let app = app.clone();
        async move {
            loop {
                app.run_webhook_deliveries().await.expect("the worker runs");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    });
    let partner = t.partner(PartnerType::Direct).await;
    let email = email_of(&t, &partner.admin).await;
    let (url, got) = listener().await;

    let driver = Driver::start().await;
    let b = Browser::open(&driver, &base).await;
    sign_in(&b, &email, PASSWORD).await;
    wait_for(&b, "#nav-webhooks").await;
    b.click("#nav-webhooks").await;
    wait_for(&b, "#webhooks-none").await;
    b.fill("#url", &url).await;
    b.click("#event-customer-created").await;
    b.screenshot("en-webhooks").await;
    b.click("#create-webhook").await;

    // The secret, this once.
    wait_for(&b, "#webhook-secret").await;
    let secret = b.value("#webhook-secret").await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(b.text("#copy-now").await.contains("will not be shown again"));
    b.screenshot("en-webhook-secret").await;
    b.click("#secret-done").await;
    wait_for(&b, "#send-test").await;
    assert!(!b.page_text().await.contains(&secret), "not shown again");
    assert_eq!(b.text("#webhook-url").await, url);

    // A test event, delivered to the listener; the page says so.
    b.click("#send-test").await;
    wait_for(&b, "#delivery-list").await;
    let mut delivered = false;
    for _ in 0..100 {
        if b.texts("#delivery-list .badge").await.iter().any(|s| s == "Delivered") {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let path = b.path().await;
        b.goto(path.split('#').next().unwrap_or_default()).await;
    }
    assert!(delivered, "the page shows the delivery: {}", b.page_text().await);
    let row = b.texts("#delivery-list tbody tr").await;
    assert!(row[0].contains("test-created") && row[0].contains("200"), "{row:?}");
    b.screenshot("en-webhook-delivered").await;
    let received = got.lock().expect("lock").clone();
    assert_eq!(received.len(), 1, "one test event");
    let (headers, body) = &received[0];
    let event: serde_json::Value = serde_json::from_slice(body).expect("JSON");
    assert_eq!(event["EventName"], "test-created");
    let signature = headers
        .get("X-Partnerdesk-Signature")
        .and_then(|v| v.to_str().ok())
        .expect("the HMAC header");
    // Signed with the secret the page showed (the app's tests check the HMAC itself).
    assert_eq!(signature, hmac_signature(&secret, body), "signed with the secret shown");
    b.close().await;
    worker.abort();
    let _ = stop.send(());
}
