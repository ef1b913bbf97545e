//! Browser tests: the dashboard in real Chromium, driven through chromedriver, each test
//! against a fresh server on port 0. Screenshots of the key screens go to
//! `target/screenshots/` so a person can look at them.
//!
//! Skipped (saying why) where Chromium is not installed, unless `CI=true`.

mod webdriver;

use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::CustomerId;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{PartnerActor, TestApp, PASSWORD};
use tokio::net::TcpListener;
use webdriver::{browser_available, Browser, Driver};

/// A server on a free port over a fresh SQLite database, with a partner to sign in as.
struct Site {
    t: TestApp,
    base: String,
    partner: PartnerActor,
    partner_email: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Site {
    async fn start() -> Site {
        let t = TestApp::on(partnerdesk_testkit::sqlite().await).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let config = HttpConfig {
            public_url: base.clone(),
            ..HttpConfig::default()
        };
        let router = partnerdesk_http::router(t.app.clone(), config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(partnerdesk_http::serve(listener, router, async {
            let _ = stopped.await;
        }));
        let partner = t.partner(PartnerType::Direct).await;
        let partner_email = t.app.me(&partner.admin).await.expect("me").email.as_str().to_string();
        Site {
            t,
            base,
            partner,
            partner_email,
            _stop: stop,
        }
    }

    /// A customer of the partner with this name and `active` + `suspended` subscriptions.
    async fn customer(&self, name: &str, domain: &str, active: usize, suspended: usize) -> CustomerId {
        let created = self
            .t
            .app
            .create_customer(
                &self.partner.admin,
                NewCustomerInput {
                    company_name: name.into(),
                    domain: domain.into(),
                    country: "US".into(),
                    culture: None,
                    billing_contact: "Ann Buyer".into(),
                    billing_email: format!("billing@{domain}"),
                    billing_address: Some("1 Main Street".into()),
                    admin_email: None,
                    admin_password: Some(PASSWORD.into()),
                    indirect_reseller_id: None,
                },
            )
            .await
            .expect("create customer");
        let id = created.customer.id;
        for i in 0..active + suspended {
            let sub = self.t.buy(&self.partner, id, 5 + i as i64).await;
            if i >= active {
                self.t
                    .app
                    .suspend_subscription(&self.partner.admin, id, sub.id)
                    .await
                    .expect("suspend");
            }
        }
        id
    }
}

async fn sign_in(b: &Browser<'_>, email: &str, password: &str) {
    b.goto("/signin").await;
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.click("button[type=submit].primary").await;
}

/// The source material's path, literally: Customers → select a customer → Account → the
/// removal is inactive, with the reason → Subscriptions → select each → Suspended → Submit →
/// Account → Remove reseller relationship → confirm → the customer is gone from the list.
async fn removal_path(b: &Browser<'_>, lang: &str, customer: &str) {
    let shot = |name: &str| format!("{lang}-{name}");
    b.click_link(nav_customers(lang)).await;
    assert_eq!(b.path().await, "/customers");
    b.screenshot(&shot("customers")).await;
    b.click_link(customer).await;
    assert!(b.path().await.ends_with("/account"), "{}", b.path().await);
    assert!(!b.is_enabled("#remove-relationship").await, "removal must be inactive");
    let reason = b.text("#remove-reason").await;
    assert!(reason.contains('2'), "the reason names how many block it: {reason}");
    assert_eq!(b.all(".blockers a").await.len(), 2);
    b.screenshot(&shot("account-blocked")).await;

    // Subscriptions → select a subscription → Suspended → Submit, for each active one.
    for _ in 0..2 {
        b.click_link(tab_subscriptions(lang)).await;
        b.screenshot(&shot("subscriptions")).await;
        let active = b.all("tbody tr .badge.active").await;
        assert!(!active.is_empty(), "an active subscription is listed");
        b.click("tbody tr:has(.badge.active) td:nth-child(2) a").await;
        b.click("#status-suspended").await;
        b.screenshot(&shot("subscription-detail")).await;
        b.click("#submit-status").await;
        assert!(b.all(".notice").await.len() == 1, "a notice says it was suspended");
        assert_eq!(b.all(".badge.suspended").await.len(), 1);
    }
    b.click_link(tab_account(lang)).await;
    assert!(b.is_enabled("#remove-relationship").await, "removal is now possible");
    b.click("#remove-relationship").await;
    assert!(b.path().await.ends_with("/remove"));
    let confirm = b.page_text().await;
    assert!(confirm.contains(customer), "the confirmation names the customer");
    assert_eq!(b.all(".effects li").await.len(), 5, "every effect of removal is stated");
    b.screenshot(&shot("remove-confirm")).await;
    b.click("#confirm-remove").await;
    assert_eq!(b.path().await, "/customers");
    let list = b.page_text().await;
    assert!(b.all(".notice").await.len() == 1, "a notice says it was removed");
    let rows = b.texts("tbody tr").await;
    assert!(
        rows.iter().all(|row| !row.contains(customer)),
        "the customer is gone from the list: {list}"
    );
    b.screenshot(&shot("customers-after-removal")).await;
}

fn nav_customers(lang: &str) -> &'static str {
    if lang == "ru" {
        "Клиенты"
    } else {
        "Customers"
    }
}

fn tab_subscriptions(lang: &str) -> &'static str {
    if lang == "ru" {
        "Подписки"
    } else {
        "Subscriptions"
    }
}

fn tab_account(lang: &str) -> &'static str {
    if lang == "ru" {
        "Учётная запись"
    } else {
        "Account"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_removes_a_customer_the_way_the_source_describes() {
    if !browser_available() {
        return;
    }
    let site = Site::start().await;
    site.customer("Alpine Ski House", "alpineskihouse.example", 2, 1).await;
    site.customer("Coho Winery", "cohowinery.example", 1, 0).await;
    let driver = Driver::start().await;
    let b = Browser::open(&driver, &site.base).await;
    b.goto("/").await;
    assert!(b.path().await.starts_with("/signin"));
    b.screenshot("en-signin").await;
    sign_in(&b, &site.partner_email, PASSWORD).await;
    assert_eq!(b.path().await, "/home");
    b.screenshot("en-home").await;
    removal_path(&b, "en", "Alpine Ski House").await;
    // The other customer is still there.
    assert!(b.texts("tbody tr").await.iter().any(|r| r.contains("Coho Winery")));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_removal_in_russian() {
    if !browser_available() {
        return;
    }
    let site = Site::start().await;
    site.customer("ООО «Ромашка»", "romashka.example", 2, 0).await;
    let driver = Driver::start().await;
    let b = Browser::open(&driver, &site.base).await;
    b.goto("/signin").await;
    // The language switch is on every page, signed in or not.
    b.click("button[name=lang][value=ru]").await;
    assert_eq!(b.text("h1").await, "Вход");
    sign_in(&b, &site.partner_email, PASSWORD).await;
    assert_eq!(b.text("h1").await.split(',').next(), Some("Добро пожаловать"));
    removal_path(&b, "ru", "ООО «Ромашка»").await;
    assert!(b.page_text().await.contains("удалены"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_says_so_and_a_forged_form_is_refused() {
    if !browser_available() {
        return;
    }
    let site = Site::start().await;
    let customer = site.customer("Fourth Coffee", "fourthcoffee.example", 0, 1).await;
    let driver = Driver::start().await;
    let b = Browser::open(&driver, &site.base).await;
    sign_in(&b, &site.partner_email, "not-the-password").await;
    assert!(b.path().await.starts_with("/signin"));
    let error = b.text("#signin-error").await;
    assert!(error.contains("e-mail or password is wrong"), "{error}");
    b.screenshot("en-signin-failed").await;

    sign_in(&b, &site.partner_email, PASSWORD).await;
    assert_eq!(b.path().await, "/home");
    // A form posted without the page's token (as another site would post it) is refused,
    // and nothing changes.
    b.goto(&format!("/customers/{customer}/remove")).await;
    b.run(r#"document.querySelector('form[action$="/remove"] input[name=_csrf]').value = 'forged';"#)
        .await;
    b.click("#confirm-remove").await;
    let refused = b.page_text().await;
    assert!(
        refused.contains("form expired or came from somewhere else"),
        "{refused}"
    );
    b.screenshot("en-csrf-refused").await;
    b.goto("/customers").await;
    assert!(
        b.text("tbody").await.contains("Fourth Coffee"),
        "the customer is still there"
    );

    // On a phone-width screen the list still reads.
    b.window_size(390, 844).await;
    b.screenshot("en-customers-phone").await;
    b.close().await;
}
