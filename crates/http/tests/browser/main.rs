//! Browser tests: the dashboard in real Chromium, driven through chromedriver, each test
//! against a fresh server on port 0. Screenshots of the key screens go to
//! `target/screenshots/` so a person can look at them.
//!
//! Skipped (saying why) where Chromium is not installed, unless `CI=true`.

#[path = "../common/dashboard.rs"]
mod dashboard;
mod webdriver;
mod webhooks;

use dashboard::{customer_name, email_of, org_name};
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
        let partner_email = email_of(&t, &partner.admin).await;
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
            .add_customer(
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
    // The page's own content, without the navigation (whose GDAP link is no effect).
    let confirm = b.text("main").await;
    assert!(confirm.contains(customer), "the confirmation names the customer");
    // Close, leave the list, support contacts, the right to buy; no DAP or GDAP to end.
    assert_eq!(b.all(".effects li").await.len(), 4, "every effect of removal is stated");
    assert!(!confirm.contains("DAP"), "no delegated admin rights are held");
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

/// The partner's other customer screens in Chromium: Orders (one more subscription from the
/// catalog) → History → Offboarding: the preview lists every active subscription, a wrongly
/// typed name changes nothing, the right one suspends all and removes the relationship in one
/// step → the customer is gone from the list. Then a relationship request and its link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_offboards_a_customer_after_checking_the_preview() {
    if !browser_available() {
        return;
    }
    let site = Site::start().await;
    site.customer("Tailspin Toys", "tailspintoys.example", 2, 1).await;
    site.customer("Coho Winery", "cohowinery.example", 1, 0).await;
    let partner_name = org_name(&site.t, &site.partner.admin).await;
    let driver = Driver::start().await;
    let b = Browser::open(&driver, &site.base).await;
    sign_in(&b, &site.partner_email, PASSWORD).await;
    b.click_link("Customers").await;
    b.click_link("Tailspin Toys").await;

    // Orders: one more subscription, bought from the catalog.
    b.click_link("Orders").await;
    assert!(b.path().await.ends_with("/orders"), "{}", b.path().await);
    assert!(b.text("#quantity-hint").await.contains("at most 100"));
    b.fill("#quantity", "12").await;
    b.fill("#friendly-name", "Design team").await;
    b.screenshot("en-order-form").await;
    b.click("#place-order").await;
    let notice = b.text(".notice").await;
    assert!(
        notice.contains("Ordered 12 × Office Suite as “Design team”"),
        "{notice}"
    );
    assert!(b.text("#orders").await.contains("Design team"));

    // History: one relationship, active.
    b.click_link("History").await;
    assert_eq!(b.all("#history tbody tr").await.len(), 1);
    assert!(b.text("#history").await.contains("Active"));

    // Offboarding: the preview lists the three active subscriptions.
    b.click_link("Offboarding").await;
    assert!(b.path().await.ends_with("/offboarding"));
    let listed = b.texts("#offboard-suspend li").await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed.iter().any(|s| s.contains("Design team")), "{listed:?}");
    b.screenshot("en-offboarding-preview").await;
    b.fill("#confirm-name", "Tailspin").await;
    b.click("#confirm-offboard").await;
    let refused = b.text("#confirm-name-error").await;
    assert!(refused.contains("nothing was changed"), "{refused}");
    assert_eq!(b.all("#offboard-suspend li").await.len(), 3, "still all active");
    b.screenshot("en-offboarding-refused").await;
    b.fill("#confirm-name", "Tailspin Toys").await;
    b.fill("#reason", "The contract ended").await;
    b.click("#confirm-offboard").await;
    assert_eq!(b.path().await, "/customers");
    let notice = b.text(".notice").await;
    assert!(
        notice.contains("Tailspin Toys was offboarded: 3 subscriptions suspended"),
        "{notice}"
    );
    let rows = b.texts("tbody tr").await;
    assert!(rows.iter().all(|r| !r.contains("Tailspin Toys")), "gone: {rows:?}");
    assert!(rows.iter().any(|r| r.contains("Coho Winery")), "{rows:?}");

    // A new relationship request: the link and an e-mail ready to send.
    b.click("#request-relationship").await;
    assert_eq!(b.path().await, "/customers/request");
    b.click("#include-dap").await;
    b.click("#create-request").await;
    let link = b.value("#invitation-link").await;
    assert!(link.contains("/invitations/"), "{link}");
    let email = b.value("#invitation-email").await;
    assert!(email.contains(&link) && email.contains(&partner_name), "{email}");
    assert!(email.contains("delegated admin"), "{email}");
    assert_eq!(b.all("#pending-requests tbody tr").await.len(), 1);
    b.screenshot("en-request-link").await;
    b.close().await;
}

/// Waits (up to 10 s) until an element matches `css`: the answer to a form posted by a
/// click may still be loading when the click returns, so each step waits for something
/// only the next page has.
/// (Boxed: the futures of the WebDriver calls are large, and a test awaits many.)
fn wait_for<'a>(b: &'a Browser<'_>, css: &'a str) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>> {
    Box::pin(async move {
        for _ in 0..100 {
            if !b.all(css).await.is_empty() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        b.find(css).await;
    })
}

/// Rule 1 across two browser sessions: the partner makes a relationship request; the
/// customer's global admin opens the link in another browser, is sent to sign in, comes back
/// to the invitation and accepts; the partner's customer list then shows the customer. Then
/// the admin makes a personal API token on its profile, shown once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customers_admin_accepts_an_invitation_in_a_second_browser_session() {
    if !browser_available() {
        return;
    }
    let site = Site::start().await;
    let customer = site.t.customer_alone().await;
    let customer_name = customer_name(&site.t, &customer.admin, customer.id).await;
    let customer_email = email_of(&site.t, &customer.admin).await;
    let partner_name = org_name(&site.t, &site.partner.admin).await;
    let driver = Driver::start().await;
    let partner = Browser::open(&driver, &site.base).await;
    let admin = Browser::open(&driver, &site.base).await;
    // Each step is its own boxed future: one long test of WebDriver calls outgrows the
    // stack of a test thread in a debug build.
    let path = Box::pin(partner_requests_a_relationship(&partner, &site.partner_email)).await;
    let end_button = format!("#end-{}", site.partner.id);
    Box::pin(customer_admin_accepts(
        &admin,
        &path,
        &customer_email,
        &partner_name,
        &end_button,
    ))
    .await;
    // Browser 1: the customer is in the partner's list now.
    Box::pin(async {
        partner.click_link("Customers").await;
        wait_for(&partner, "#q").await;
        let rows = partner.texts("tbody tr").await;
        assert!(rows.iter().any(|r| r.contains(&customer_name)), "{rows:?}");
    })
    .await;
    Box::pin(token_is_shown_once(&admin)).await;
    partner.close().await;
    admin.close().await;
}

/// Browser 1: the partner asks for a relationship with delegated admin; the link's path.
async fn partner_requests_a_relationship(partner: &Browser<'_>, email: &str) -> String {
    sign_in(partner, email, PASSWORD).await;
    wait_for(partner, "nav a[href='/home'][aria-current=page]").await;
    partner.goto("/customers/request").await;
    wait_for(partner, "#include-dap").await;
    partner.click("#include-dap").await;
    partner.click("#create-request").await;
    wait_for(partner, "#invitation-link").await;
    let link = partner.value("#invitation-link").await;
    link[link.find("/invitations/").expect("an invitation link")..].to_string()
}

/// Browser 2 (its own cookies): the customer's admin opens the link signed out, is sent to
/// sign in, comes back to the invitation and accepts.
async fn customer_admin_accepts(admin: &Browser<'_>, path: &str, email: &str, partner_name: &str, end_button: &str) {
    admin.goto(path).await;
    assert!(admin.text("h1").await.contains(partner_name));
    assert!(admin.text("#invitation-dap").await.contains("administrator access"));
    assert!(
        admin.all("#accept-invitation").await.is_empty(),
        "signed out: no answer"
    );
    admin.click("#signin-to-answer").await;
    wait_for(admin, "#email").await;
    let signin = admin.path().await;
    assert!(signin.starts_with("/signin?next="), "{signin}");
    admin.fill("#email", email).await;
    admin.fill("#password", PASSWORD).await;
    admin.click("button[type=submit].primary").await;
    wait_for(admin, "#accept-invitation").await;
    assert_eq!(admin.path().await, path, "back to the invitation after signing in");
    admin.screenshot("en-invitation").await;
    admin.click("#accept-invitation").await;
    wait_for(admin, end_button).await;
    assert_eq!(admin.path().await, "/partners");
    let notice = admin.text(".notice").await;
    assert!(
        notice.contains("You accepted") && notice.contains(partner_name),
        "{notice}"
    );
    let partners = admin.text("main").await;
    assert!(partners.contains("Delegated admin (DAP)"), "{partners}");
    assert!(admin.is_enabled(end_button).await, "nothing blocks ending it");
    admin.screenshot("en-my-partners").await;
}

/// Browser 2: Profile → a personal API token, its secret shown this once, then only listed.
async fn token_is_shown_once(admin: &Browser<'_>) {
    admin.click_link("Profile").await;
    wait_for(admin, "#token-name").await;
    admin.fill("#token-name", "Billing export").await;
    admin.fill("#token-days", "30").await;
    admin.click("#create-token").await;
    wait_for(admin, "#token-secret").await;
    let secret = admin.value("#token-secret").await;
    assert!(secret.starts_with("pd_"), "{secret}");
    assert!(admin.text("#copy-now").await.contains("will not be shown again"));
    admin.screenshot("en-profile-token").await;
    admin.click("#token-done").await;
    wait_for(admin, "#tokens").await;
    assert_eq!(admin.path().await, "/profile");
    assert!(!admin.page_text().await.contains(&secret), "only listed now");
    assert_eq!(admin.texts("#tokens tbody tr").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_company_name_without_spaces_wraps_instead_of_widening_the_page() {
    if !browser_available() {
        return;
    }
    let site = Site::start().await;
    let long = "W".repeat(255);
    let id = site.customer(&long, "longname.example", 0, 0).await;
    site.customer("Coho Winery", "cohowinery.example", 0, 0).await;
    let driver = Driver::start().await;
    let b = Browser::open(&driver, &site.base).await;
    b.window_size(1024, 768).await;
    sign_in(&b, &site.partner_email, PASSWORD).await;
    for (path, shot) in [
        (format!("/customers/{id}/account"), "long-name-account"),
        ("/customers".to_string(), "long-name-customers"),
    ] {
        b.goto(&path).await;
        b.screenshot(shot).await;
        let widths = b
            .eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")
            .await;
        let (scroll, client) = (widths[0].as_i64().unwrap_or(0), widths[1].as_i64().unwrap_or(0));
        assert!(
            client > 0 && scroll <= client,
            "{path}: the page is {scroll}px wide in a {client}px window"
        );
    }
    // The customer list's last column stays inside the window.
    let right = b
        .eval("const cells = document.querySelectorAll('tbody tr:first-child td'); return [cells[cells.length - 1].getBoundingClientRect().right, document.documentElement.clientWidth];")
        .await;
    let (edge, client) = (right[0].as_f64().unwrap_or(f64::MAX), right[1].as_f64().unwrap_or(0.0));
    assert!(
        edge <= client,
        "the last column ends at {edge}px, the window at {client}px"
    );
    b.close().await;
}

/// Delegated admin across two browser sessions: the partner creates a GDAP relationship
/// (Helpdesk Administrator, 60 days, for its customer) and sends it for approval; the
/// customer's global admin opens the approval link in another browser, signs in, sees who
/// asks for which role for how long, and approves; the partner then sees it active.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customers_admin_approves_a_gdap_relationship_and_the_partner_sees_it_active() {
    if !browser_available() {
        return;
    }
    let site = Site::start().await;
    let customer = site.t.customer_of(&site.partner).await;
    let customer_email = email_of(&site.t, &customer.admin).await;
    let partner_name = org_name(&site.t, &site.partner.admin).await;
    let driver = Driver::start().await;
    let partner = Browser::open(&driver, &site.base).await;
    let admin = Browser::open(&driver, &site.base).await;
    let detail = Box::pin(partner_sends_a_gdap_relationship(
        &partner,
        &site.partner_email,
        customer.id,
    ))
    .await;
    let link = partner.value("#approval-link").await;
    let path = link[link.find("/partners/admin-relationships/").expect("an approval link")..].to_string();
    Box::pin(customer_admin_approves(&admin, &path, &customer_email, &partner_name)).await;
    // Browser 1: the relationship is active now.
    Box::pin(async {
        partner.goto(&detail).await;
        wait_for(&partner, "#gdap-status").await;
        assert_eq!(partner.text("#gdap-status").await, "Active");
        assert!(
            partner.all("#approval-link").await.is_empty(),
            "answered: no link any more"
        );
        partner.goto("/gdap?status=active").await;
        wait_for(&partner, "#gdap-relationships").await;
        let rows = partner.texts("#gdap-relationships tbody tr").await;
        assert!(rows.iter().any(|r| r.contains("Contoso helpdesk")), "{rows:?}");
        partner.screenshot("en-gdap-active").await;
    })
    .await;
    partner.close().await;
    admin.close().await;
}

/// Browser 1: New GDAP relationship → roles, duration → Create → Send for approval; the
/// relationship's path.
async fn partner_sends_a_gdap_relationship(partner: &Browser<'_>, email: &str, customer: CustomerId) -> String {
    sign_in(partner, email, PASSWORD).await;
    wait_for(partner, "nav a[href='/home'][aria-current=page]").await;
    partner.click_link("GDAP").await;
    wait_for(partner, "#new-gdap").await;
    // The customer is chosen from its account page's link.
    partner.goto(&format!("/gdap/new?customer={customer}")).await;
    wait_for(partner, "#create-gdap").await;
    partner.fill("#name", "Contoso helpdesk").await;
    partner
        .click("input[name=roles][value='729827e3-9c14-49f7-bb1b-9608f156bbb8']")
        .await;
    partner.fill("#days", "60").await;
    partner.screenshot("en-gdap-new").await;
    partner.click("#create-gdap").await;
    wait_for(partner, "#send-for-approval").await;
    let detail = partner.path().await;
    partner.click("#send-for-approval").await;
    wait_for(partner, "#approval-link").await;
    partner.screenshot("en-gdap-sent").await;
    detail
}

/// Browser 2: the approval link, signed out → sign in → back to it → Approve.
async fn customer_admin_approves(admin: &Browser<'_>, path: &str, email: &str, partner_name: &str) {
    admin.goto(path).await;
    wait_for(admin, "#email").await;
    admin.fill("#email", email).await;
    admin.fill("#password", PASSWORD).await;
    admin.click("button[type=submit].primary").await;
    wait_for(admin, "#approve").await;
    assert_eq!(admin.path().await, path, "back to the approval page after signing in");
    assert!(admin.text("#mygdap-ask").await.contains(partner_name));
    let roles = admin.text("#mygdap-roles").await;
    assert!(roles.contains("Helpdesk Administrator"), "{roles}");
    assert!(admin.page_text().await.contains("60 days"), "for how long");
    admin.screenshot("en-gdap-approval").await;
    admin.click("#approve").await;
    wait_for(admin, ".notice").await;
    assert_eq!(admin.text("#mygdap-status").await, "Active");
}
