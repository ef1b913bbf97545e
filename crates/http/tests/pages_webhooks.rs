//! Router-level tests of the webhook pages, on every backend, through the forms as a
//! browser without JavaScript would: a partner's admin adds a registration (refusals beside
//! their field in English and Russian, what was typed kept), sees its secret once, edits it,
//! sends a test event and sees its delivery, redelivers a parked delivery, and deletes it
//! after a confirmation; a customer's admin manages its own; the operator sees everyone's;
//! another organisation's registration is not found; the pages say when the worker is off.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use chrono::Duration as Span;
use partnerdesk_app::webhooks::WebhookConfig;
use partnerdesk_app::{App, AppConfig, Caller, PasswordCost, V7Ids};
use partnerdesk_domain::delivery::MAX_ATTEMPTS;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::webhook::DeliveryStatus;
use partnerdesk_domain::WebhookRegistrationId;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{TestApp, TestDb, PASSWORD};

#[path = "common/dashboard.rs"]
mod dashboard;

use dashboard::{email_of, Page, Visitor};

/// A receiver on 127.0.0.1 answering `status` to every POST.
async fn receiver(status: Arc<AtomicU16>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    let app = Router::new().route(
        "/hook",
        post(move || {
            let status = status.clone();
            async move { StatusCode::from_u16(status.load(Ordering::SeqCst)).expect("status") }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    url
}

struct World {
    t: TestApp,
    /// The app the pages run on: it may reach 127.0.0.1, as the operator may allow.
    app: App,
    router: Router,
}

impl World {
    async fn on(db: TestDb, allow_private: bool, worker: bool) -> World {
        let t = TestApp::on(db).await;
        let config = AppConfig {
            password_cost: PasswordCost::Fast,
            webhooks: WebhookConfig {
                allow_private,
                timeout: Duration::from_secs(5),
            },
            ..AppConfig::default()
        };
        let app = App::with_clock(t.db.store.clone(), config, t.clock.clone(), Arc::new(V7Ids));
        let http = HttpConfig {
            webhook_worker: worker,
            ..HttpConfig::default()
        };
        let router = partnerdesk_http::router(app.clone(), http);
        World { t, app, router }
    }

    async fn as_user(&self, caller: &Caller) -> Visitor {
        Visitor::signed_in(&self.router, &email_of(&self.t, caller).await, PASSWORD).await
    }
}

/// The id of the registration a creation page leads on to.
fn created_id(page: &Page) -> WebhookRegistrationId {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.attribute_after("href=\"/webhooks/")
        .expect("a link on to the registration")
        .parse()
        .expect("an id")
}

/// Switches a signed-in visitor's language to Russian.
async fn to_russian(v: &mut Visitor) {
    let csrf = v.get("/profile").await.csrf();
    let switched = v
        .post("/language", &[("_csrf", &csrf), ("lang", "ru"), ("back", "/profile")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_partner_adds_a_webhook_sees_its_secret_once_edits_tests_and_deletes_it() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db, false, true).await;
        let partner = w.t.partner(PartnerType::Direct).await;
        let mut v = w.as_user(&partner.admin).await;
        let list = v.get("/webhooks").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        assert!(list.body.contains("id=\"nav-webhooks\""), "{b}: a navigation link");
        assert!(list.body.contains("id=\"webhooks-none\""), "{b}");
        assert!(
            list.body.contains("id=\"event-customer-created\""),
            "{b}: events to pick"
        );
        assert!(
            list.body.contains("A new customer was added."),
            "{b}: what an event means"
        );
        assert!(!list.body.contains("id=\"worker-off\""), "{b}: the worker runs");

        // Refusals beside their field, what was typed kept.
        let bad_url = v
            .submit(
                "/webhooks",
                "/webhooks",
                &[("url", "ftp://hooks.example/in"), ("events", "customer-created")],
            )
            .await;
        assert_eq!(bad_url.status, StatusCode::BAD_REQUEST, "{b}");
        let said = bad_url.between("id=\"url-error\">", "</p>").expect("beside the URL");
        assert!(said.contains("http:// or https://"), "{b}: {said}");
        assert!(
            bad_url.body.contains("value=\"ftp://hooks.example/in\""),
            "{b}: URL kept"
        );
        assert!(
            bad_url.body.contains("value=\"customer-created\" id=\"event-customer-created\" aria-describedby=\"event-customer-created-hint\" checked"),
            "{b}: events kept"
        );
        let internal = v
            .submit(
                "/webhooks",
                "/webhooks",
                &[("url", "http://127.0.0.1:9/in"), ("events", "customer-created")],
            )
            .await;
        assert_eq!(internal.status, StatusCode::BAD_REQUEST, "{b}");
        let said = internal.between("id=\"url-error\">", "</p>").expect("beside the URL");
        assert!(said.contains("private or internal network"), "{b}: {said}");
        let no_events = v
            .submit("/webhooks", "/webhooks", &[("url", "https://1.1.1.1/in")])
            .await;
        assert_eq!(no_events.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            no_events.body.contains("id=\"events-error\""),
            "{b}: {}",
            no_events.body
        );
        assert!(no_events.body.contains("value=\"https://1.1.1.1/in\""), "{b}: URL kept");
        assert!(
            w.app
                .webhook_registrations(&partner.admin)
                .await
                .expect("list")
                .is_empty(),
            "{b}: nothing registered"
        );

        // Added: the secret shown on this page alone.
        let created = v
            .submit(
                "/webhooks",
                "/webhooks",
                &[
                    ("url", "https://1.1.1.1/in"),
                    ("events", "customer-created"),
                    ("events", "subscription-updated"),
                ],
            )
            .await;
        let id = created_id(&created);
        let secret = created
            .attribute_after("id=\"webhook-secret\" type=\"text\" class=\"secret\" readonly value=\"")
            .expect("the secret");
        assert!(secret.starts_with("whsec_"), "{b}: {secret}");
        assert!(created.body.contains("will not be shown again"), "{b}");
        let stored = w.app.webhook_registration(&partner.admin, id).await.expect("stored");
        assert_eq!(stored.secret, secret, "{b}: the secret it signs with");
        assert_eq!(stored.events, ["customer-created", "subscription-updated"], "{b}");
        let detail = v.get(&format!("/webhooks/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK, "{b}");
        assert!(!detail.body.contains(&secret), "{b}: never shown again");
        assert!(detail.body.contains("id=\"deliveries-none\""), "{b}");
        let list = v.get("/webhooks").await;
        assert!(!list.body.contains(&secret), "{b}");
        assert!(list.body.contains("https://1.1.1.1/in"), "{b}: listed");
        assert!(list.body.contains("None yet"), "{b}: no delivery yet");

        // Edited: a refusal keeps what was typed; then saved.
        let uri = format!("/webhooks/{id}");
        let refused = v.submit(&uri, &uri, &[("url", "https://1.1.1.1/new")]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(refused.body.contains("id=\"events-error\""), "{b}");
        assert!(refused.body.contains("value=\"https://1.1.1.1/new\""), "{b}: URL kept");
        let saved = v
            .submit(
                &uri,
                &uri,
                &[("url", "https://1.1.1.1/new"), ("events", "customer-created")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{b}: {}", saved.body);
        assert_eq!(saved.location(), uri, "{b}");
        let after = v.get(&uri).await;
        assert_eq!(after.notice().as_deref(), Some("The webhook was saved."), "{b}");
        let stored = w.app.webhook_registration(&partner.admin, id).await.expect("stored");
        assert_eq!(stored.url.as_str(), "https://1.1.1.1/new", "{b}");
        assert_eq!(stored.events, ["customer-created"], "{b}");
        assert_eq!(stored.secret, secret, "{b}: the secret stays");

        // A test event: its delivery shows, waiting.
        let sent = v.submit(&uri, &format!("{uri}/test"), &[]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{b}: {}", sent.body);
        let after = v.get(&uri).await;
        assert!(after.body.contains("id=\"delivery-list\""), "{b}");
        assert!(after.body.contains(">test-created</code>"), "{b}");
        assert!(after.body.contains(">Waiting</span>"), "{b}: {}", after.body);

        // Deleted after a confirmation that says what stops.
        let confirm = v.get(&format!("{uri}/delete")).await;
        assert_eq!(confirm.status, StatusCode::OK, "{b}");
        assert!(confirm.body.contains("Deleting stops every event to"), "{b}");
        assert!(
            confirm.body.contains(">customer-created</code>"),
            "{b}: the events that stop"
        );
        assert!(confirm.body.contains("id=\"confirm-delete-webhook\""), "{b}");
        let deleted = v.submit(&format!("{uri}/delete"), &format!("{uri}/delete"), &[]).await;
        assert_eq!(deleted.location(), "/webhooks", "{b}");
        let list = v.get("/webhooks").await;
        assert!(list.body.contains("id=\"webhooks-none\""), "{b}");
        assert_eq!(v.get(&uri).await.status, StatusCode::NOT_FOUND, "{b}");
    }
}

#[tokio::test]
async fn a_parked_delivery_is_shown_with_its_error_and_redelivered_from_the_page() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db, true, true).await;
        let status = Arc::new(AtomicU16::new(500));
        let url = receiver(status.clone()).await;
        let partner = w.t.partner(PartnerType::Direct).await;
        let mut v = w.as_user(&partner.admin).await;
        let created = v
            .submit(
                "/webhooks",
                "/webhooks",
                &[("url", &url), ("events", "customer-created")],
            )
            .await;
        let id = created_id(&created);
        w.t.customer_of(&partner).await;
        w.app.run_webhook_deliveries().await.expect("run");
        let uri = format!("/webhooks/{id}");
        let failing = v.get(&uri).await;
        assert!(
            failing.body.contains(">Failed, will retry</span>"),
            "{b}: {}",
            failing.body
        );
        assert!(failing.body.contains("<td>500</td>"), "{b}: the HTTP status");
        assert!(failing.body.contains("HTTP 500"), "{b}: the last error");
        assert!(
            !failing.body.contains("id=\"redeliver-all\""),
            "{b}: nothing parked yet"
        );
        for _ in 1..MAX_ATTEMPTS {
            w.t.clock.advance(Span::hours(8));
            w.app.run_webhook_deliveries().await.expect("run");
        }
        let list = w.app.webhook_deliveries(&partner.admin, id, 10).await.expect("list");
        assert_eq!(list[0].status(), DeliveryStatus::Parked, "{b}");
        // Days have passed on the app's clock: the session has ended; sign in again.
        let mut v = w.as_user(&partner.admin).await;
        let parked = v.get(&uri).await;
        assert!(parked.body.contains(">Parked</span>"), "{b}");
        assert!(
            parked.body.contains(&format!("<td>{MAX_ATTEMPTS}</td>")),
            "{b}: the attempts"
        );
        let list = v.get("/webhooks").await;
        assert!(list.body.contains(">Parked</span>"), "{b}: the last delivery's state");

        status.store(200, Ordering::SeqCst);
        let again = v.submit(&uri, &format!("{uri}/redeliver"), &[]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{b}: {}", again.body);
        let page = v.get(&uri).await;
        assert_eq!(
            page.notice().as_deref(),
            Some("1 delivery will be sent again."),
            "{b}: {}",
            page.body
        );
        assert!(page.body.contains(">Waiting</span>"), "{b}");
        w.app.run_webhook_deliveries().await.expect("run");
        let done = w.app.webhook_deliveries(&partner.admin, id, 10).await.expect("list");
        assert_eq!(done[0].status(), DeliveryStatus::Delivered, "{b}");
        let page = v.get(&uri).await;
        assert!(page.body.contains(">Delivered</span>"), "{b}");
        // Nothing parked any more: said so, as a refusal.
        let none = v.post(&format!("{uri}/redeliver"), &[("_csrf", &page.csrf())]).await;
        assert_eq!(none.status, StatusCode::SEE_OTHER, "{b}");
        let page = v.get(&uri).await;
        assert!(
            page.refusal().is_some_and(|r| r.contains("nothing to redeliver")),
            "{b}"
        );
    }
}

#[tokio::test]
async fn refusals_are_in_russian_beside_their_field() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db, false, true).await;
        let partner = w.t.partner(PartnerType::Direct).await;
        let mut v = w.as_user(&partner.admin).await;
        to_russian(&mut v).await;
        let list = v.get("/webhooks").await;
        assert!(
            list.body.contains("Добавлен новый клиент."),
            "{b}: events explained in Russian"
        );
        let internal = v
            .submit(
                "/webhooks",
                "/webhooks",
                &[("url", "http://10.0.0.8/in"), ("events", "customer-created")],
            )
            .await;
        assert_eq!(internal.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            internal.body.contains(
                "id=\"url-error\">Адрес веб-перехватчика: этот адрес во внутренней или частной сети, куда веб-перехватчики не отправляются</p>"
            ),
            "{b}: {}",
            internal.body
        );
        assert!(internal.body.contains("value=\"http://10.0.0.8/in\""), "{b}: URL kept");
        let no_events = v
            .submit("/webhooks", "/webhooks", &[("url", "https://1.1.1.1/in")])
            .await;
        assert!(
            no_events.body.contains("id=\"events-error\">События: "),
            "{b}: {}",
            no_events.body
        );
        let created = v
            .submit(
                "/webhooks",
                "/webhooks",
                &[("url", "https://1.1.1.1/in"), ("events", "customer-created")],
            )
            .await;
        let id = created_id(&created);
        assert!(created.body.contains("Больше он показан не будет."), "{b}");
        let confirm = v.get(&format!("/webhooks/{id}/delete")).await;
        assert!(confirm.body.contains("Удаление прекратит отправку"), "{b}");
    }
}

#[tokio::test]
async fn each_organisation_sees_its_own_webhooks_and_the_operator_sees_all() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db, false, false).await;
        let partner = w.t.partner(PartnerType::Direct).await;
        let other = w.t.partner(PartnerType::Direct).await;
        let customer = w.t.customer_of(&partner).await;
        let theirs = w
            .app
            .create_webhook_registration(&partner.admin, "https://1.1.1.1/partner", &["customer-created".into()])
            .await
            .expect("register")
            .id;
        // The customer's admin manages the customer's own.
        let mut c = w.as_user(&customer.admin).await;
        let list = c.get("/webhooks").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        assert!(list.body.contains("id=\"webhooks-none\""), "{b}: not the partner's");
        let created = c
            .submit(
                "/webhooks",
                "/webhooks",
                &[("url", "https://1.1.1.1/customer"), ("events", "subscription-updated")],
            )
            .await;
        let own = created_id(&created);
        assert_eq!(c.get(&format!("/webhooks/{own}")).await.status, StatusCode::OK, "{b}");
        assert_eq!(
            c.get(&format!("/webhooks/{theirs}")).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        // Another partner cannot see, change or delete the partner's.
        let mut o = w.as_user(&other.admin).await;
        assert_eq!(
            o.get(&format!("/webhooks/{theirs}")).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        let csrf = o.get("/webhooks").await.csrf();
        let delete = o.post(&format!("/webhooks/{theirs}/delete"), &[("_csrf", &csrf)]).await;
        assert_eq!(delete.status, StatusCode::NOT_FOUND, "{b}");
        assert!(
            w.app.webhook_registration(&partner.admin, theirs).await.is_ok(),
            "{b}: still there"
        );
        // The operator sees both, with their organisations.
        let mut op = w.as_user(&w.t.operator).await;
        let all = op.get("/webhooks").await;
        assert_eq!(all.status, StatusCode::OK, "{b}");
        assert!(all.body.contains("https://1.1.1.1/partner"), "{b}");
        assert!(all.body.contains("https://1.1.1.1/customer"), "{b}");
        assert!(all.body.contains(&partner.id.to_string()), "{b}: whose it is");
        // This server's worker is off: the pages say so.
        assert!(all.body.contains("id=\"worker-off\""), "{b}");
        let page = op.get(&format!("/webhooks/{theirs}")).await;
        assert!(page.body.contains("id=\"worker-off\""), "{b}");
    }
}
