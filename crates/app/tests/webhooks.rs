//! Webhooks end to end on every backend: a real HTTP receiver on 127.0.0.1 started by the
//! test gets what the worker sends, signed; failures are retried on the app's clock (which
//! the test moves), parked after ten attempts and redelivered; replays come in order; and
//! internal addresses are refused.

use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use chrono::Duration as Span;
use hmac::{Hmac, Mac};
use partnerdesk_app::audit_log::AuditSearch;
use partnerdesk_app::webhooks::{ReplayFrom, WebhookConfig, CERTIFICATE_PATH};
use partnerdesk_app::{App, AppConfig, PasswordCost, V7Ids};
use partnerdesk_domain::delivery::MAX_ATTEMPTS;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::webhook::{DeliveryStatus, WebhookRegistration};
use partnerdesk_testkit::{backends, postgres, PartnerActor, SmtpServer, TestApp};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::Value;
use sha2::Sha256;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
    fn event(&self) -> String {
        self.json()["EventName"].as_str().expect("EventName").to_string()
    }
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// A receiver: answers `status` (after `delay_ms`, when set) and keeps what it got.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    delay_ms: Arc<AtomicU64>,
    url: String,
}

impl Receiver {
    async fn start() -> Receiver {
        let mut r = Receiver::default();
        r.status.store(200, Ordering::SeqCst);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        r.url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let state = r.clone();
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    let delay = state.delay_ms.load(Ordering::SeqCst);
                    if delay > 0 {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                    }
                    let status = state.status.load(Ordering::SeqCst);
                    if status == 200 {
                        state.got.lock().expect("lock").push(Received { headers, body });
                    }
                    StatusCode::from_u16(status).expect("status")
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        r
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    fn events(&self) -> Vec<String> {
        self.got().iter().map(Received::event).collect()
    }
}

/// An app over the test's database and clock that may reach 127.0.0.1, with a short
/// request time limit.
fn allowing(t: &TestApp, timeout: Duration) -> App {
    let config = AppConfig {
        password_cost: PasswordCost::Fast,
        webhooks: WebhookConfig {
            allow_private: true,
            timeout,
        },
        ..AppConfig::default()
    };
    App::with_clock(t.db.store.clone(), config, t.clock.clone(), Arc::new(V7Ids))
}

/// A partner registered for `customer-created` at a receiver set up by `receiver`, and a
/// customer of it made (so one delivery is queued).
async fn customer_created_hook(
    t: &TestApp,
    timeout: Duration,
    receiver: impl FnOnce(&Receiver),
) -> (App, Receiver, PartnerActor, WebhookRegistration) {
    let app = allowing(t, timeout);
    let rx = Receiver::start().await;
    receiver(&rx);
    let partner = t.partner(PartnerType::Direct).await;
    let reg = app
        .create_webhook_registration(&partner.admin, &rx.url, &names(&["customer-created"]))
        .await
        .expect("register");
    t.customer_of(&partner).await;
    (app, rx, partner, reg)
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn a_suspension_arrives_as_subscription_updated_signed_both_ways() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let app = allowing(&t, Duration::from_secs(10));
        let rx = Receiver::start().await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let sub = t.buy(&partner, customer.id, 1).await;
        let reg = app
            .create_webhook_registration(&partner.admin, &rx.url, &names(&["subscription-updated"]))
            .await
            .expect("register");
        assert!(reg.secret.starts_with("whsec_"), "{b}");

        t.app
            .suspend_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("suspend");
        let report = app.run_webhook_deliveries().await.expect("run");
        assert_eq!(report.delivered, 1, "{b}: {report:?}");

        let got = rx.got();
        assert_eq!(rx.events(), ["subscription-updated"], "{b}: only what it subscribed to");
        let hook = &got[0];
        let body = hook.json();
        let base = app.config().public_url.clone();
        assert_eq!(
            body["ResourceUri"],
            format!("{base}/v1/customers/{}/subscriptions/{}", customer.id, sub.id),
            "{b}"
        );
        assert_eq!(body["ResourceName"], "Subscription", "{b}");
        assert!(
            body["AuditUri"]
                .as_str()
                .is_some_and(|u| u.starts_with(&format!("{base}/auditactivity/v1/auditrecords/"))),
            "{b}: {body}"
        );
        assert!(
            body["ResourceChangeUtcDate"].as_str().is_some_and(|d| d.ends_with('Z')),
            "{b}"
        );
        assert!(body["EventId"].as_str().is_some(), "{b}");

        // RSA-SHA256 over the body, with the key the certificate URL names.
        assert_eq!(hook.header("X-MS-Signature-Algorithm"), "rsa-sha256", "{b}");
        assert_eq!(
            hook.header("X-MS-Certificate-Url"),
            format!("{base}{CERTIFICATE_PATH}"),
            "{b}"
        );
        let pem = app.webhook_public_key_pem().await.expect("public key");
        let key = VerifyingKey::<Sha256>::new(rsa::RsaPublicKey::from_public_key_pem(&pem).expect("pem"));
        let auth = hook.header("Authorization");
        let sig = auth.strip_prefix("Signature ").expect("Signature scheme");
        let sig = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, sig).expect("base64");
        let sig = Signature::try_from(sig.as_slice()).expect("signature");
        key.verify(&hook.body, &sig).expect("the RSA signature verifies");
        let mut tampered = hook.body.to_vec();
        tampered.push(b' ');
        assert!(
            key.verify(&tampered, &sig).is_err(),
            "{b}: a changed body does not verify"
        );

        // HMAC-SHA256 with the registration's secret.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(reg.secret.as_bytes()).expect("key");
        mac.update(&hook.body);
        let want: String = mac.finalize().into_bytes().iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(hook.header("X-Partnerdesk-Signature"), format!("sha256={want}"), "{b}");

        // Every node signs alike: another app over the same database has the same key.
        let other = allowing(&t, Duration::from_secs(10));
        assert_eq!(other.webhook_public_key_pem().await.expect("key"), pem, "{b}");
        // Nothing is sent twice.
        assert_eq!(app.run_webhook_deliveries().await.expect("run").delivered, 0, "{b}");
        assert_eq!(rx.got().len(), 1, "{b}");
    }
}

#[tokio::test]
async fn removal_sends_one_reseller_relationship_removed_to_partner_and_customer() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let app = allowing(&t, Duration::from_secs(10));
        let (to_partner, to_customer) = (Receiver::start().await, Receiver::start().await);
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        let sub = t.buy(&partner, customer.id, 1).await;
        // What happened before the registrations is not theirs.
        t.clock.advance(Span::seconds(1));
        let events = names(&["reseller-relationship-removed", "dap-admin-relationship-terminated"]);
        app.create_webhook_registration(&partner.admin, &to_partner.url, &events)
            .await
            .expect("partner registers");
        app.create_webhook_registration(&customer.admin, &to_customer.url, &events)
            .await
            .expect("customer registers");
        t.app
            .suspend_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("suspend");
        t.app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect("remove");
        app.run_webhook_deliveries().await.expect("run");
        for rx in [&to_partner, &to_customer] {
            let mut got = rx.events();
            got.sort();

            assert_eq!(
                got,
                ["dap-admin-relationship-terminated", "reseller-relationship-removed"],
                "{b}: one removal event each"
            );
        }
    }
}

#[tokio::test]
async fn a_failing_receiver_is_retried_parked_after_ten_attempts_and_redelivered() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let (app, rx, partner, reg) =
            customer_created_hook(&t, Duration::from_secs(10), |rx| rx.status.store(500, Ordering::SeqCst)).await;

        let first = app.run_webhook_deliveries().await.expect("run");
        assert_eq!((first.delivered, first.failed), (0, 1), "{b}");
        let list = app.webhook_deliveries(&partner.admin, reg.id, 10).await.expect("list");
        assert_eq!(list[0].attempts, 1, "{b}");
        assert_eq!(list[0].last_error.as_deref(), Some("HTTP 500"), "{b}");
        assert_eq!(list[0].http_status, Some(500), "{b}");
        assert!(
            list[0].next_attempt_at <= t.app.now() + Span::seconds(30),
            "{b}: first retry within 30 s"
        );
        // Not yet due: nothing is tried.
        assert_eq!(app.run_webhook_deliveries().await.expect("run").failed, 0, "{b}");

        for _ in 1..MAX_ATTEMPTS {
            t.clock.advance(Span::hours(8));
            app.run_webhook_deliveries().await.expect("run");
        }
        let list = app.webhook_deliveries(&partner.admin, reg.id, 10).await.expect("list");
        assert_eq!(list[0].status(), DeliveryStatus::Parked, "{b}");
        assert_eq!(list[0].attempts, MAX_ATTEMPTS, "{b}");
        assert_eq!(list[0].last_error.as_deref(), Some("HTTP 500"), "{b}");
        t.clock.advance(Span::days(2));
        assert_eq!(
            app.run_webhook_deliveries().await.expect("run").failed,
            0,
            "{b}: parked stays parked"
        );

        rx.status.store(200, Ordering::SeqCst);
        let n = app
            .redeliver_webhooks(&partner.admin, reg.id, None)
            .await
            .expect("redeliver");
        assert_eq!(n, 1, "{b}");
        assert_eq!(app.run_webhook_deliveries().await.expect("run").delivered, 1, "{b}");
        assert_eq!(rx.events(), ["customer-created"], "{b}");
        let list = app.webhook_deliveries(&partner.admin, reg.id, 10).await.expect("list");
        assert_eq!(list[0].status(), DeliveryStatus::Delivered, "{b}");
    }
}

#[tokio::test]
async fn a_receiver_that_does_not_answer_in_time_is_tried_again() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let (app, rx, partner, reg) = customer_created_hook(&t, Duration::from_millis(300), |rx| {
            rx.delay_ms.store(5_000, Ordering::SeqCst)
        })
        .await;
        let first = app.run_webhook_deliveries().await.expect("run");
        assert_eq!(first.failed, 1, "{b}");
        let list = app.webhook_deliveries(&partner.admin, reg.id, 10).await.expect("list");
        assert!(
            list[0]
                .last_error
                .as_deref()
                .is_some_and(|e| e.starts_with("timed out")),
            "{b}: {:?}",
            list[0].last_error
        );
        rx.delay_ms.store(0, Ordering::SeqCst);
        t.clock.advance(Span::seconds(30));
        assert_eq!(app.run_webhook_deliveries().await.expect("run").delivered, 1, "{b}");
    }
}

#[tokio::test]
async fn a_resources_events_arrive_in_order_and_a_replay_sends_them_again_in_order() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let app = allowing(&t, Duration::from_secs(10));
        let rx = Receiver::start().await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let sub = t.buy(&partner, customer.id, 1).await;
        let since = t.app.now();
        app.create_webhook_registration(&partner.admin, &rx.url, &names(&["subscription-updated"]))
            .await
            .expect("register");
        // The receiver fails at first, so the three changes queue up behind the first.
        rx.status.store(503, Ordering::SeqCst);
        for _ in 0..2 {
            t.clock.advance(Span::seconds(1));
            t.app
                .suspend_subscription(&partner.admin, customer.id, sub.id)
                .await
                .expect("suspend");
            t.clock.advance(Span::seconds(1));
            t.app
                .reactivate_subscription(&partner.admin, customer.id, sub.id)
                .await
                .expect("reactivate");
        }
        let first = app.run_webhook_deliveries().await.expect("run");
        assert_eq!(first.failed, 1, "{b}: only the first of the resource is tried");
        rx.status.store(200, Ordering::SeqCst);
        t.clock.advance(Span::minutes(1));
        app.run_webhook_deliveries().await.expect("run");
        let statuses = |got: &[Received]| -> Vec<String> {
            got.iter()
                .map(|r| r.json()["EventId"].as_str().expect("id").to_string())
                .collect()
        };
        let delivered = rx.got();
        assert_eq!(delivered.len(), 4, "{b}");
        let order = statuses(&delivered);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "{b}: in the order of the changes");

        let queued = app
            .replay_webhooks(&partner.admin, ReplayFrom::Since(since), None)
            .await
            .expect("replay");
        assert_eq!(queued, 4, "{b}");
        app.run_webhook_deliveries().await.expect("run");
        let again = rx.got();
        assert_eq!(statuses(&again[4..]), order, "{b}: replayed in order");

        let from_third = app
            .replay_webhooks(
                &partner.admin,
                ReplayFrom::Event(order[2].parse().expect("event id")),
                None,
            )
            .await
            .expect("replay from an event");
        assert_eq!(from_third, 2, "{b}");
        app.run_webhook_deliveries().await.expect("run");
        assert_eq!(statuses(&rx.got()[8..]), order[2..].to_vec(), "{b}");
    }
}

#[tokio::test]
async fn a_test_event_reaches_the_registration_and_reports_its_status() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let app = allowing(&t, Duration::from_secs(10));
        let rx = Receiver::start().await;
        let partner = t.partner(PartnerType::Direct).await;
        let reg = app
            .create_webhook_registration(&partner.admin, &rx.url, &names(&["subscription-updated"]))
            .await
            .expect("register");
        let event = app.send_webhook_test(&partner.admin, None).await.expect("test");
        let pending = app
            .webhook_event_deliveries(&partner.admin, event)
            .await
            .expect("status");
        assert_eq!(pending[0].status(), DeliveryStatus::Pending, "{b}");
        app.run_webhook_deliveries().await.expect("run");
        assert_eq!(rx.events(), ["test-created"], "{b}");
        let done = app
            .webhook_event_deliveries(&partner.admin, event)
            .await
            .expect("status");
        assert_eq!(done[0].status(), DeliveryStatus::Delivered, "{b}");
        assert_eq!(done[0].registration_id, reg.id, "{b}");

        // Another partner sees neither the registration nor the event.
        let other = t.partner(PartnerType::Direct).await;
        let err = app
            .webhook_registration(&other.admin, reg.id)
            .await
            .expect_err("hidden");
        assert_eq!(err.code(), "not_found", "{b}");
        let err = app
            .webhook_event_deliveries(&other.admin, event)
            .await
            .expect_err("hidden");
        assert_eq!(err.code(), "not_found", "{b}");
        let err = app
            .delete_webhook_registration(&other.admin, reg.id)
            .await
            .expect_err("hidden");
        assert_eq!(err.code(), "not_found", "{b}");
        // The operator sees everyone's.
        let all = app.webhook_registrations(&t.operator).await.expect("operator");
        assert!(all.iter().any(|r| r.id == reg.id), "{b}");
    }
}

#[tokio::test]
async fn internal_addresses_are_refused_at_registration_and_at_delivery() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let events = names(&["customer-created"]);
        for url in [
            "http://127.0.0.1:9/hook",
            "http://localhost/hook",
            "http://[::1]/hook",
            "http://10.0.0.7/hook",
            "http://192.168.1.1/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[fe80::1]/hook",
            "http://[fd00::1]/hook",
            "http://0.0.0.0/hook",
            "ftp://example.com/hook",
            "file:///etc/passwd",
        ] {
            let err = t
                .app
                .create_webhook_registration(&partner.admin, url, &events)
                .await
                .expect_err(url);
            assert_eq!(err.code(), "invalid_property", "{b}: {url}");
        }
        let err = t
            .app
            .create_webhook_registration(&partner.admin, "https://example.com/hook", &names(&["no-such-event"]))
            .await
            .expect_err("unknown event");
        assert_eq!(err.code(), "invalid_property", "{b}");
        assert!(
            t.app
                .webhook_registrations(&partner.admin)
                .await
                .expect("list")
                .is_empty(),
            "{b}"
        );

        // Registered where private targets were allowed, refused by a node that does not.
        let rx = Receiver::start().await;
        let allowed = allowing(&t, Duration::from_secs(10));
        let reg = allowed
            .create_webhook_registration(&partner.admin, &rx.url, &events)
            .await
            .expect("register");
        t.customer_of(&partner).await;
        let run = t.app.run_webhook_deliveries().await.expect("run");
        assert_eq!(run.failed, 1, "{b}");
        let list = t
            .app
            .webhook_deliveries(&partner.admin, reg.id, 10)
            .await
            .expect("list");
        assert_eq!(
            list[0].last_error.as_deref(),
            Some("refused: 127.0.0.1 is a loopback address"),
            "{b}"
        );
        assert!(rx.got().is_empty(), "{b}");
    }
}

#[tokio::test]
async fn two_workers_on_postgres_never_deliver_one_item_twice() {
    let Some(db) = postgres().await else { return };
    let t = TestApp::on(db).await;
    let rx = Receiver::start().await;
    let partner = t.partner(PartnerType::Direct).await;
    let (a, b) = (
        allowing(&t, Duration::from_secs(10)),
        allowing(&t, Duration::from_secs(10)),
    );
    a.create_webhook_registration(&partner.admin, &rx.url, &names(&["customer-created"]))
        .await
        .expect("register");
    const CUSTOMERS: usize = 40;
    for _ in 0..CUSTOMERS {
        t.customer_of(&partner).await;
    }
    let (ra, rb) = tokio::join!(a.run_webhook_deliveries(), b.run_webhook_deliveries());
    let (ra, rb) = (ra.expect("a"), rb.expect("b"));
    let mut ids: Vec<String> = rx
        .got()
        .iter()
        .map(|r| r.json()["EventId"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids.len(), CUSTOMERS, "every event once: {ra:?} {rb:?}");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), CUSTOMERS, "no event twice");
    assert_eq!(ra.queued + rb.queued, CUSTOMERS as u64, "fanned out once");
}

/// The trail of the core scenario, end to end: a partner suspends each of a customer's
/// subscriptions and removes the customer. The partner's registered receiver gets one
/// `subscription-updated` per suspension and one `reseller-relationship-removed`; the audit
/// log shows the removal with the relationship before and after; the customer's admin gets
/// the removal mail. One node sends the mail, another delivers the hooks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_core_scenario_leaves_its_events_its_audit_record_and_its_mail() {
    for db in backends().await {
        let b = db.backend;
        let smtp = SmtpServer::start().await;
        let t = TestApp::with_mail(db, &smtp.url()).await;
        let hooks = allowing(&t, Duration::from_secs(10));
        let rx = Receiver::start().await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let mut subs = Vec::new();
        for seats in [1, 2, 3] {
            subs.push(t.buy(&partner, customer.id, seats).await.id);
        }
        let events = names(&["subscription-updated", "reseller-relationship-removed"]);
        hooks
            .create_webhook_registration(&partner.admin, &rx.url, &events)
            .await
            .expect("register");

        for sub in &subs {
            t.app
                .suspend_subscription(&partner.admin, customer.id, *sub)
                .await
                .expect("suspend");
        }
        t.app
            .remove_relationship(&partner.admin, customer.id, Some("contract ended"), None)
            .await
            .expect("remove");
        while hooks.run_webhook_deliveries().await.expect("run").delivered > 0 {}

        let got = rx.got();
        let mut named = rx.events();
        named.sort();
        assert_eq!(
            named,
            [
                "reseller-relationship-removed",
                "subscription-updated",
                "subscription-updated",
                "subscription-updated"
            ],
            "{b}"
        );
        let mut updated: Vec<String> = got
            .iter()
            .filter(|r| r.event() == "subscription-updated")
            .map(|r| r.json()["ResourceUri"].as_str().expect("ResourceUri").to_string())
            .collect();
        updated.sort();
        let base = hooks.config().public_url.clone();
        let mut want: Vec<String> = subs
            .iter()
            .map(|s| format!("{base}/v1/customers/{}/subscriptions/{s}", customer.id))
            .collect();
        want.sort();
        assert_eq!(updated, want, "{b}: one event per suspended subscription");

        // The removal's audit record, which the event's AuditUri names, holds the
        // relationship before and after.
        let removed = got
            .iter()
            .find(|r| r.event() == "reseller-relationship-removed")
            .expect("the removal event")
            .json();
        let now = t.app.now();
        let search = AuditSearch {
            from: now - Span::days(1),
            to: now + Span::days(1),
            customer: Some(customer.id),
            resource_type: Some("partner_customer_relationship".to_string()),
            company_contains: None,
        };
        let page = t
            .app
            .audit_records(&partner.admin, &search, None, 50)
            .await
            .expect("audit records");
        let record = page
            .items
            .iter()
            .find(|r| r.operation == "remove_partner_customer_relationship")
            .expect("the removal is in the audit log");
        assert_eq!(
            removed["AuditUri"],
            format!("{base}/auditactivity/v1/auditrecords/{}", record.id),
            "{b}"
        );
        let (before, after) = (
            record.before.as_deref().expect("before"),
            record.after.as_deref().expect("after"),
        );
        assert!(before.contains("\"active\""), "{b}: {before}");
        assert!(
            after.contains("\"closed\"") && after.contains("contract ended"),
            "{b}: {after}"
        );
        assert!(record.customer_name.is_some(), "{b}: {record:?}");

        // The customer's admin is told, once.
        t.app.send_mail().await.expect("send");
        let mails = smtp.received_by(&customer.admin.upn);
        assert_eq!(mails.len(), 1, "{b}");
        assert!(
            mails[0].subject().starts_with("Your reseller relationship with "),
            "{b}: {}",
            mails[0].subject()
        );
    }
}
