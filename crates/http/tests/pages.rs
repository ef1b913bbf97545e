//! Router-level tests of every dashboard page, on every backend. The pages come from the
//! dashboard's page table (`web_pages()`), so a new page is tried by itself: each kind of visitor gets what it
//! may see (or is sent to sign in, or refused), every form refuses a missing CSRF token, and
//! hostile text in a company name is shown as text.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::CustomerId;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::world::HELPDESK_ADMINISTRATOR;
use partnerdesk_testkit::{TestApp, TestDb, PASSWORD};
use tower::ServiceExt;

#[path = "common/registered_routes.rs"]
mod registered_routes;

#[path = "common/dashboard.rs"]
mod dashboard;
#[path = "common/english.rs"]
mod english;

use dashboard::{email_of, Page, Visitor};

/// A company name that would run script if it were written into a page unescaped.
const HOSTILE: &str = "<script>alert('pd')</script> Evil & Co";

/// The world the pages are tried against.
struct World {
    t: TestApp,
    router: Router,
    customer: CustomerId,
    subscription: String,
    partner_email: String,
    other_partner_email: String,
    customer_admin_email: String,
    /// The partner's id (the customer's pages about its partner).
    partner_id: String,
    /// A pending invitation from the other partner (the token of its link).
    invitation: String,
    /// A pending request of the partner (its id).
    request: String,
    /// A personal API token of the partner (its id).
    token_id: String,
    /// A former customer of the partner (its id).
    former: String,
    /// A GDAP relationship of the partner with the customer, approved (its id).
    gdap: String,
    /// A security group of the partner (its id).
    security_group: String,
    /// The group's access assignment in the relationship (its id).
    assignment: String,
    /// The audit record of the partner adding the customer (its id).
    audit: String,
    /// A webhook registration of the partner (its id).
    webhook: String,
}

impl World {
    async fn on(db: TestDb) -> World {
        let t = TestApp::on(db).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        let partner = t.partner(PartnerType::Direct).await;
        let other = t.partner(PartnerType::Direct).await;
        let created = t
            .app
            .add_customer(
                &partner.admin,
                NewCustomerInput {
                    company_name: HOSTILE.into(),
                    domain: "evil.example".into(),
                    country: "US".into(),
                    culture: None,
                    billing_contact: "Ann Buyer".into(),
                    billing_email: "billing@evil.example".into(),
                    billing_address: Some("<b>1 Main</b>".into()),
                    admin_email: None,
                    admin_password: Some(PASSWORD.into()),
                    indirect_reseller_id: None,
                },
            )
            .await
            .expect("create customer");
        let customer = created.customer.id;
        let former = t.customer_of(&partner).await.id;
        t.app
            .remove_relationship(&partner.admin, former, Some("Переехали"), None)
            .await
            .expect("remove");
        // Suspended: the removal confirmation page is reachable.
        let sub = t.buy(&partner, customer, 3).await;
        t.app
            .suspend_subscription(&partner.admin, customer, sub.id)
            .await
            .expect("suspend");
        let invitation = t
            .app
            .create_relationship_request(&other.admin, true)
            .await
            .expect("request")
            .token;
        let request = t
            .app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request")
            .request
            .id
            .to_string();
        let token_id = t
            .app
            .create_api_token(&partner.admin, "pages")
            .await
            .expect("API token")
            .token
            .id
            .to_string();
        let gdap = t
            .app
            .create_gdap_relationship(
                &partner.admin,
                partnerdesk_app::gdap::NewGdapRelationship {
                    display_name: "Helpdesk <b>access</b>".into(),
                    duration: "P30D".into(),
                    roles: vec![HELPDESK_ADMINISTRATOR.into()],
                    customer: Some(customer),
                    auto_extend: None,
                },
            )
            .await
            .expect("GDAP relationship")
            .id;
        t.app
            .request_gdap_action(&partner.admin, gdap, partnerdesk_app::gdap::GdapAction::LockForApproval)
            .await
            .expect("lock for approval");
        let customer_admin = t.app.caller(created.admin.id).await.expect("customer admin");
        t.app
            .request_gdap_action(&customer_admin, gdap, partnerdesk_app::gdap::GdapAction::Approve)
            .await
            .expect("approve");
        let security_group = t
            .app
            .create_security_group(&partner.admin, "Helpdesk <i>team</i>")
            .await
            .expect("security group")
            .id;
        let assignment = t
            .app
            .create_access_assignment(
                &partner.admin,
                gdap,
                security_group,
                vec![HELPDESK_ADMINISTRATOR.into()],
            )
            .await
            .expect("access assignment")
            .id
            .to_string();
        let audit = {
            let mut tx = t.db.store.read().await.expect("read");
            let records = tx.list_audit(Some(customer), None, 1000).await.expect("audit");
            tx.rollback().await.expect("rollback");
            records
                .into_iter()
                .find(|r| r.operation == "add_customer")
                .expect("the record of adding the customer")
                .id
                .to_string()
        };
        let webhook = t
            .app
            .create_webhook_registration(&partner.admin, "https://1.1.1.1/hook", &["customer-created".into()])
            .await
            .expect("webhook registration")
            .id
            .to_string();
        World {
            audit,
            webhook,
            gdap: gdap.to_string(),
            security_group: security_group.to_string(),
            assignment,
            partner_id: partner.id.to_string(),
            invitation,
            request,
            token_id,
            former: former.to_string(),
            partner_email: email_of(&t, &partner.admin).await,
            other_partner_email: email_of(&t, &other.admin).await,
            customer_admin_email: created.admin.email.as_str().to_string(),
            subscription: sub.id.to_string(),
            customer,
            router,
            t,
        }
    }

    fn uri(&self, path: &str) -> String {
        if is_operator_page(path) {
            return path
                .replace("{id}", &self.t.offer.id.to_string())
                .replace("{role}", HELPDESK_ADMINISTRATOR);
        }
        path.replace("{id}", &self.customer.to_string())
            .replace("{sid}", &self.subscription)
            .replace("{token}", &self.invitation)
            .replace("{pid}", &self.partner_id)
            .replace("{tid}", &self.token_id)
            .replace("{rid}", &self.request)
            .replace("{fid}", &self.former)
            .replace("{gid}", &self.gdap)
            .replace("{sgid}", &self.security_group)
            .replace("{aid}", &self.assignment)
            .replace("{record}", &self.audit)
            .replace("{hid}", &self.webhook)
    }

    async fn signed_in(&self, email: &str) -> Visitor {
        Visitor::signed_in(&self.router, email, PASSWORD).await
    }
}

fn pages() -> Vec<(String, String)> {
    let routes: Vec<_> = registered_routes::web_pages().into_iter().collect();
    assert!(routes.len() >= 10, "the page table is listed: {routes:?}");
    routes
}

/// Pages anyone may open, signed in or not.
fn is_open(path: &str) -> bool {
    matches!(
        path,
        "/" | "/signin" | "/static/app.css" | "/invitations/{token}" | "/forgot-password" | "/reset-password/{token}"
    )
}

/// The customer's pages (its partners): for customer users only.
fn is_customer_side(path: &str) -> bool {
    path == "/partners" || path.starts_with("/partners/")
}

/// Pages of every signed-in user, whatever its organisation (the audit log and webhooks:
/// of its organisation's admins, which every visitor here is).
fn is_for_everyone(path: &str) -> bool {
    path == "/profile"
        || path.starts_with("/profile/")
        || path == "/audit"
        || path.starts_with("/audit/")
        || path == "/webhooks"
        || path.starts_with("/webhooks/")
}

/// The operator's pages: for the operator only.
fn is_operator_page(path: &str) -> bool {
    path.starts_with("/operator/")
}

/// Pages of one customer of the partner.
fn is_customer_page(path: &str) -> bool {
    path.starts_with("/customers/{id}")
}

#[tokio::test]
async fn a_visitor_who_is_not_signed_in_is_sent_to_sign_in_and_back() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        for (method, path) in pages().iter().filter(|(m, _)| m == "get") {
            let mut v = Visitor::new(&world.router);
            let page = v.get(&world.uri(path)).await;
            if is_open(path) {
                // A reset link that was never issued says so (410).
                assert!(
                    page.status.is_success() || page.status == StatusCode::SEE_OTHER || page.status == StatusCode::GONE,
                    "{method} {path}"
                );
                continue;
            }
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
            assert!(
                page.location().starts_with("/signin?next=%2F"),
                "{path}: {}",
                page.location()
            );
        }
        // Signing in goes on to the page asked for.
        let mut v = Visitor::new(&world.router);
        let asked = format!("/customers/{}/account", world.customer);
        let first = v.get(&asked).await;
        let signin = v.get(first.location()).await;
        let next = signin
            .attribute_after("name=\"next\" value=\"")
            .expect("the form carries next");
        let csrf = v.cookie("pd_csrf").expect("csrf cookie").to_string();
        let done = v
            .post(
                "/signin",
                &[
                    ("_csrf", &csrf),
                    ("email", &world.partner_email),
                    ("password", PASSWORD),
                    ("next", &next),
                ],
            )
            .await;
        assert_eq!(done.location(), asked);
    }
}

#[tokio::test]
async fn every_page_renders_for_the_partner_and_escapes_what_users_typed() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let mut v = world.signed_in(&world.partner_email).await;
        for (_, path) in pages().iter().filter(|(m, _)| m == "get") {
            let page = v.get(&world.uri(path)).await;
            if is_operator_page(path) || is_customer_side(path) {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "a partner on {path}");
                continue;
            }
            match path.as_str() {
                "/" | "/customers/{id}" => {
                    assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
                    continue;
                }
                "/reset-password/{token}" => {
                    // The token in the path is an invitation's, no reset link: refused.
                    assert_eq!(page.status, StatusCode::GONE, "{path}");
                    continue;
                }
                "/signin" => {
                    // Without `next`, on to the start page (which leads a partner home).
                    assert_eq!(page.location(), "/", "signed in already");
                    continue;
                }
                "/customers/export.csv" | "/audit/export.csv" => {
                    assert_eq!(page.status, StatusCode::OK, "{path}");
                    assert!(page.body.starts_with('\u{feff}'), "{path} starts with a BOM");
                    assert!(page.body.contains("evil.example"), "{path}");
                    continue;
                }
                _ => assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body),
            }
            assert!(
                !page.body.contains("<script>alert"),
                "{path} writes a company name unescaped"
            );
            assert!(!page.body.contains("<b>1 Main"), "{path} writes an address unescaped");
            assert!(
                !page.body.contains("<b>access"),
                "{path} writes a relationship's name unescaped"
            );
            assert!(!page.body.contains("<i>team"), "{path} writes a group's name unescaped");
            if path == "/static/app.css" {
                continue;
            }
            let problems = accessibility_problems(&page.body);
            assert!(problems.is_empty(), "{path}: {problems:?}");
            if is_customer_page(path) {
                // askama writes `<` as `&#60;`.
                assert!(
                    page.body.contains("&#60;script&#62;"),
                    "{path} shows the customer's name: {}",
                    page.body
                );
            }
        }
    }
}

#[tokio::test]
async fn partner_pages_refuse_customers_and_other_partners() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let mut customer = world.signed_in(&world.customer_admin_email).await;
        let mut other = world.signed_in(&world.other_partner_email).await;
        for (_, path) in pages().iter().filter(|(m, _)| m == "get") {
            if is_open(path) || path == "/home" {
                continue;
            }
            let uri = world.uri(path);
            if is_customer_side(path) || is_for_everyone(path) {
                // The customer's own pages; the token or webhook in the path is the partner's.
                let expected = if path.contains("{tid}") || path.contains("{hid}") {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::OK
                };
                let page = customer.get(&uri).await;
                assert_eq!(page.status, expected, "customer on {path}");
                if page.status == StatusCode::OK && !path.ends_with(".csv") {
                    let problems = accessibility_problems(&page.body);
                    assert!(problems.is_empty(), "{path}: {problems:?}");
                }
                continue;
            }
            let as_customer = customer.get(&uri).await;
            if path != "/customers/{id}" {
                assert_eq!(as_customer.status, StatusCode::FORBIDDEN, "customer on {path}");
            }
            if is_customer_page(path) {
                let as_other = other.get(&uri).await;
                if path == "/customers/{id}" {
                    // Only a redirect to the account page, which is refused.
                    continue;
                }
                assert_eq!(as_other.status, StatusCode::NOT_FOUND, "another partner on {path}");
                assert!(!as_other.body.contains("Evil"), "{path} leaks the name");
            }
        }
        let home = customer.get("/home").await;
        assert_eq!(home.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn every_form_refuses_a_missing_or_wrong_csrf_token_and_changes_nothing() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let mut v = world.signed_in(&world.partner_email).await;
        for (_, path) in pages().iter().filter(|(m, _)| m == "post") {
            let uri = world.uri(path);
            for token in [None, Some("forged")] {
                let mut form = vec![("status", "active"), ("ids", world.subscription.as_str())];
                if let Some(t) = token {
                    form.push(("_csrf", t));
                }
                let page = v.post(&uri, &form).await;
                if path == "/signout" && token.is_none() {
                    // Signing out without a token is refused too (it would end the session).
                    assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
                    continue;
                }
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} with {token:?}");
                assert!(page.body.contains("form expired"), "{path}: {}", page.body);
            }
        }
        // Still signed in, the relationship still active, the subscription still suspended.
        let account = v.get(&format!("/customers/{}/account", world.customer)).await;
        assert_eq!(account.status, StatusCode::OK);
        let sub = world
            .t
            .app
            .list_subscriptions(&world.t.operator, world.customer)
            .await
            .expect("subscriptions");
        assert_eq!(sub[0].status.as_str(), "suspended");
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let mut v = Visitor::new(&world.router);
        let wrong_password = v.sign_in_to(&world.partner_email, "wrong-password-1", "/home").await;
        let unknown_email = v.sign_in_to("nobody@nowhere.example", PASSWORD, "/home").await;
        assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown_email.status, StatusCode::UNAUTHORIZED);
        let said = |p: &Page| {
            p.body
                .split("role=\"alert\"")
                .nth(1)
                .and_then(|rest| rest.split("</p>").next())
                .map(str::to_string)
        };
        assert_eq!(said(&wrong_password), said(&unknown_email));
        assert!(v.cookie("pd_session").is_none());
        // After five failures the e-mail is locked out for a while, even with the password.
        for _ in 0..4 {
            v.sign_in_to(&world.partner_email, "wrong-password-1", "/home").await;
        }
        let locked = v.sign_in_to(&world.partner_email, PASSWORD, "/home").await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.body.contains("Too many failed sign-ins"));
    }
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let mut v = world.signed_in(&world.partner_email).await;
        let secret = v.cookie("pd_session").expect("session cookie").to_string();
        let home = v.get("/home").await;
        let csrf = home.csrf();
        let out = v.post("/signout", &[("_csrf", &csrf)]).await;
        assert_eq!(out.location(), "/signin");
        // The old cookie, replayed, no longer signs anyone in.
        let mut replay = Visitor::new(&world.router);
        replay.cookies.push(("pd_session".into(), secret));
        let page = replay.get("/home").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn next_and_back_never_send_the_visitor_to_another_site() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        // What browsers read as `//evil.example`, and what is no path at all.
        let hostile = [
            "\t/evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "/%2F/evil.example/",
            "/%09/evil.example/",
            "https://evil.example/",
            "/\n",
        ];
        let mut v = Visitor::new(&world.router);
        for next in hostile {
            v.get("/signin").await;
            let csrf = v.cookie("pd_csrf").expect("csrf cookie").to_string();
            let back = v
                .post("/language", &[("_csrf", &csrf), ("lang", "en"), ("back", next)])
                .await;
            assert_eq!(back.status, StatusCode::SEE_OTHER, "back={next:?}: {}", back.body);
            assert_eq!(back.location(), "/", "back={next:?}");
            let form = v.get(&format!("/signin?next={}", query_value(next))).await;
            assert_eq!(form.status, StatusCode::OK, "next={next:?}: {}", form.body);
            assert_eq!(form.attribute_after("name=\"next\" value=\"").as_deref(), Some("/"));
        }
        for next in hostile {
            let mut v = Visitor::new(&world.router);
            let signed_in = v.sign_in_to(&world.partner_email, PASSWORD, next).await;
            assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "next={next:?}");
            assert_eq!(signed_in.location(), "/", "next={next:?}");
            // Signed in already, the form sends the visitor straight on.
            let again = v.get(&format!("/signin?next={}", query_value(next))).await;
            assert_eq!(again.status, StatusCode::SEE_OTHER, "next={next:?}: {}", again.body);
            assert_eq!(again.location(), "/", "next={next:?}");
            let csrf = v.get("/home").await.csrf();
            let back = v
                .post("/language", &[("_csrf", &csrf), ("lang", "en"), ("back", next)])
                .await;
            assert_eq!(back.location(), "/", "back={next:?}");
        }
        // A path of this site is kept.
        let mut v = Visitor::new(&world.router);
        let kept = v
            .sign_in_to(&world.partner_email, PASSWORD, "/customers?q=%D0%AF")
            .await;
        assert_eq!(kept.location(), "/customers?q=%D0%AF");
    }
}

/// `s` percent-encoded for a query string.
fn query_value(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn the_language_follows_the_user_then_accept_language_and_can_be_switched() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let router = &world.router;
        let russian = router
            .clone()
            .oneshot(
                Request::get("/signin")
                    .header(header::ACCEPT_LANGUAGE, "ru-RU,ru;q=0.9,en;q=0.5")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("answer");
        let body = axum::body::to_bytes(russian.into_body(), 1 << 20).await.expect("body");
        assert!(String::from_utf8_lossy(&body).contains("<h1>Вход</h1>"));

        let mut v = world.signed_in(&world.partner_email).await;
        let home = v.get("/home").await;
        assert!(home.body.contains("lang=\"en\""));
        let csrf = v.get("/home").await.csrf();
        let switched = v
            .post("/language", &[("_csrf", &csrf), ("lang", "ru"), ("back", "/customers")])
            .await;
        assert_eq!(switched.location(), "/customers");
        let customers = v.get("/customers").await;
        assert!(customers.body.contains("<h1>Клиенты</h1>"), "{}", customers.body);
        // It is the user's own setting now: a new session speaks Russian too.
        let mut again = world.signed_in(&world.partner_email).await;
        assert!(again.get("/customers").await.body.contains("<h1>Клиенты</h1>"));
    }
}

#[tokio::test]
async fn the_operators_pages_render_for_the_operator_only() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let operator_email = email_of(&world.t, &world.t.operator).await;
        let mut op = world.signed_in(&operator_email).await;
        let mut customer = world.signed_in(&world.customer_admin_email).await;
        for (_, path) in pages().iter().filter(|(m, p)| m == "get" && is_operator_page(p)) {
            let uri = world.uri(path);
            let page = op.get(&uri).await;
            assert_eq!(page.status, StatusCode::OK, "operator on {path}: {}", page.body);
            let problems = accessibility_problems(&page.body);
            assert!(problems.is_empty(), "{path}: {problems:?}");
            assert_eq!(
                customer.get(&uri).await.status,
                StatusCode::FORBIDDEN,
                "customer on {path}"
            );
        }
        // A new partner with its first admin, who can then sign in.
        let form = op.get("/operator/partners/new").await;
        let csrf = form.csrf();
        let short = op
            .post(
                "/operator/partners/new",
                &[
                    ("_csrf", &csrf),
                    ("name", "Граница Софт"),
                    ("partner_type", "direct"),
                    ("admin_email", "admin@granitsa.example"),
                    ("admin_password", "short"),
                ],
            )
            .await;
        assert_eq!(short.status, StatusCode::BAD_REQUEST);
        assert!(short.body.contains("Граница Софт"), "what was typed is kept");
        assert!(
            short.body.contains("password"),
            "the reason names the password: {}",
            short.body
        );
        let made = op
            .post(
                "/operator/partners/new",
                &[
                    ("_csrf", &csrf),
                    ("name", "Граница Софт"),
                    ("partner_type", "direct"),
                    ("admin_email", "admin@granitsa.example"),
                    ("admin_password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(made.location(), "/operator/partners");
        assert!(op.get("/operator/partners").await.body.contains("Граница Софт"));
        world.signed_in("admin@granitsa.example").await;

        // An offer edited with a price as people type it; a stale form is refused.
        let uri = world.uri("/operator/offers/{id}");
        let edit = op.get(&uri).await;
        let version = edit
            .attribute_after("name=\"version\" value=\"")
            .expect("the form carries the version");
        let fields = |price: &'static str, version: String| {
            vec![
                ("_csrf", csrf.clone()),
                ("version", version),
                ("name", "Office Suite".to_string()),
                ("unit_type", "Licenses".to_string()),
                ("term", "P1M".to_string()),
                ("price", price.to_string()),
                ("currency", "USD".to_string()),
                ("min", "1".to_string()),
                ("max", "50".to_string()),
                ("countries", "US, GB".to_string()),
                ("available", "1".to_string()),
            ]
        };
        let saved_fields = fields("12,50", version);
        let saved_form: Vec<(&str, &str)> = saved_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = op.post(&uri, &saved_form).await;
        assert_eq!(saved.location(), "/operator/offers", "{}", saved.body);
        let offer = world
            .t
            .app
            .get_offer(&world.t.operator, world.t.offer.id)
            .await
            .expect("offer");
        assert_eq!((offer.unit_price_minor, offer.max_quantity), (1250, 50));
        let stale = op.post(&uri, &saved_form).await;
        assert_eq!(
            stale.status,
            StatusCode::BAD_REQUEST,
            "the version read before the save is stale"
        );
    }
}

/// What a screen reader or keyboard user would miss on a page, found in its HTML: the
/// page's language, one `h1`, a name for every form control (a `<label for>`, an
/// `aria-label`, or being a button), and a skip link to the main content.
fn accessibility_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !html.contains("<html lang=\"") {
        problems.push("no lang on <html>".to_string());
    }
    let h1 = html.matches("<h1").count();
    if h1 != 1 {
        problems.push(format!("{h1} <h1> headings, not 1"));
    }
    if !html.contains("href=\"#main\"") || !html.contains("id=\"main\"") {
        problems.push("no skip link to #main".to_string());
    }
    for tag in ["<input", "<select", "<textarea"] {
        for (at, _) in html.match_indices(tag) {
            let end = html[at..].find('>').map_or(html.len(), |e| at + e);
            let element = &html[at..end];
            let attr = |name: &str| {
                element
                    .split(&format!(" {name}=\""))
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
            };
            if matches!(attr("type"), Some("hidden" | "submit" | "button")) || attr("aria-label").is_some() {
                continue;
            }
            let labelled = attr("id").is_some_and(|id| html.contains(&format!("for=\"{id}\"")));
            // A radio or checkbox wrapped in its <label> is named by it.
            let wrapped = matches!(attr("type"), Some("radio" | "checkbox"))
                && html[..at]
                    .rfind("<label")
                    .is_some_and(|l| html[..at].rfind("</label>").is_none_or(|c| c < l));
            if !labelled && !wrapped {
                problems.push(format!("a form control without a label: {element}>"));
            }
        }
    }
    problems
}

#[test]
fn the_accessibility_check_finds_what_is_missing() {
    let page = |body: &str| {
        format!("<html lang=\"en\"><a href=\"#main\">skip</a><main id=\"main\"><h1>T</h1>{body}</main></html>")
    };
    assert!(accessibility_problems(&page("<label for=\"q\">Q</label><input id=\"q\" name=\"q\">")).is_empty());
    assert!(accessibility_problems(&page("<label><input type=\"radio\" name=\"s\"> A</label>")).is_empty());
    assert_eq!(accessibility_problems(&page("<input id=\"q\" name=\"q\">")).len(), 1);
    assert_eq!(accessibility_problems(&page("<select name=\"p\"></select>")).len(), 1);
    assert_eq!(accessibility_problems(&page("<h1>Second</h1>")).len(), 1);
}

/// Latin words a Russian page of the test world may show besides product names: what its
/// users typed (company, people, offer names). Anything else Latin is English that
/// slipped through.
const LATIN_ALLOWED: &[&str] = &[
    // what the test world's users typed
    "script",
    "alert",
    "pd",
    "Evil",
    "Co",
    "Ann",
    "Buyer",
    "Main",
    "Office",
    "Suite",
    "Licenses",
    "Mail",
    "and",
    "documents",
    // the test world names its partners "Partner 0", ... and customers "Customer 0", ...
    "Partner",
    "Customer",
    // the name of its API token
    "pages",
    // its GDAP relationship and security group
    "Helpdesk",
    "access",
    "team",
    // the operator's own display name
    "Operator",
    "admin",
];

/// The text a reader of `html` meets (text between tags, and the labels screen readers
/// read; not what is marked `translate="no"`), with each Latin word that is not allowed,
/// not an address, a domain, an id or a code such as `US`.
fn english_words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let Some(end) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + end];
        for attr in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            if let Some(v) = tag.split(attr).nth(1).and_then(|v| v.split('"').next()) {
                text.push_str(v);
                text.push(' ');
            }
        }
        rest = &rest[start + end + 1..];
        if tag.contains("translate=\"no\"") {
            // Data shown as it is stored (the role catalogue's names), not the dashboard's words.
            let name: String = tag[1..].chars().take_while(char::is_ascii_alphanumeric).collect();
            rest = rest.split_once(&format!("</{name}>")).map_or("", |(_, r)| r);
            continue;
        }
        if tag.starts_with("<style") || tag.starts_with("<script") {
            let close = if tag.starts_with("<style") {
                "</style>"
            } else {
                "</script>"
            };
            rest = rest.split_once(close).map_or("", |(_, r)| r);
        }
    }
    text.push_str(rest);
    let text = text
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    english::latin_words(&text, LATIN_ALLOWED)
}

/// Switches a signed-in visitor's language to Russian.
async fn to_russian(v: &mut Visitor) {
    let csrf = v.get("/profile").await.csrf();
    let switched = v
        .post("/language", &[("_csrf", &csrf), ("lang", "ru"), ("back", "/profile")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
}

#[test]
fn the_english_check_finds_english_and_lets_names_and_addresses_through() {
    assert_eq!(
        english_words("<p>Конфликт: a user with e-mail ann@contoso.example already exists</p>"),
        ["user", "with", "e-mail", "already", "exists"]
    );
    assert!(english_words("<p title=\"Клиенты\">Клиент Evil &amp; Co, домен evil.example, US</p>").is_empty());
    assert_eq!(english_words("<button aria-label=\"Revoke\">×</button>"), ["Revoke"]);
    assert!(english::latin_words("Клиент contoso.example, язык ru-RU, токены API", &[]).is_empty());
    assert_eq!(
        english::latin_words("Название: must not be empty", &[]),
        ["must", "not", "be", "empty"]
    );
    assert_eq!(
        english_words("<li translate=\"no\">Global Administrator</li><li>Active</li>"),
        ["Active"]
    );
}

#[tokio::test]
async fn russian_pages_and_their_refusals_show_no_english() {
    for db in partnerdesk_testkit::backends().await {
        let world = World::on(db).await;
        let operator_email = email_of(&world.t, &world.t.operator).await;
        for email in [&world.partner_email, &world.customer_admin_email, &operator_email] {
            let mut v = world.signed_in(email).await;
            to_russian(&mut v).await;
            for (_, path) in pages().iter().filter(|(m, p)| m == "get" && p != "/static/app.css") {
                let page = v.get(&world.uri(path)).await;
                if page.status == StatusCode::SEE_OTHER || path.ends_with(".csv") {
                    continue;
                }
                assert!(page.body.contains("lang=\"ru\""), "{email} on {path}");
                let english = english_words(&page.body);
                assert!(english.is_empty(), "{email} on {path} ({}): {english:?}", page.status);
            }
        }
        // A form refused in Russian: the reason stands next to its field, in Russian.
        let mut op = world.signed_in(&operator_email).await;
        to_russian(&mut op).await;
        let csrf = op.get("/operator/partners/new").await.csrf();
        let taken = op
            .post(
                "/operator/partners/new",
                &[
                    ("_csrf", &csrf),
                    ("name", "Граница Софт"),
                    ("partner_type", "direct"),
                    ("admin_email", &world.partner_email),
                    ("admin_password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(taken.status, StatusCode::BAD_REQUEST);
        assert!(
            taken.body.contains(&format!(
                "id=\"admin_email-error\">Электронная почта «{}» уже кем-то используется",
                world.partner_email
            )),
            "{}",
            taken.body
        );
        let blank = op
            .post(
                "/operator/partners/new",
                &[
                    ("_csrf", &csrf),
                    ("name", " "),
                    ("partner_type", "direct"),
                    ("admin_email", "new@granitsa.example"),
                    ("admin_password", PASSWORD),
                ],
            )
            .await;
        assert!(
            blank
                .body
                .contains("id=\"name-error\">Название: заполните это поле</p>"),
            "{}",
            blank.body
        );
        // The offer form: a price that is not an amount, said next to the price.
        let uri = world.uri("/operator/offers/{id}");
        let edit = op.get(&uri).await;
        let version = edit
            .attribute_after("name=\"version\" value=\"")
            .expect("the form carries the version");
        let bad_price = op
            .post(
                &uri,
                &[
                    ("_csrf", &csrf),
                    ("version", &version),
                    ("name", "Office Suite"),
                    ("unit_type", "Licenses"),
                    ("term", "P1M"),
                    ("price", "двенадцать"),
                    ("currency", "USD"),
                    ("min", "1"),
                    ("max", "50"),
                    ("countries", "US"),
                    ("available", "1"),
                ],
            )
            .await;
        assert_eq!(bad_price.status, StatusCode::BAD_REQUEST);
        assert!(
            bad_price
                .body
                .contains("id=\"price-error\">Цена: укажите сумму, например 12,50</p>"),
            "{}",
            bad_price.body
        );
        // The profile's forms: each refusal beside its field, what was typed kept.
        let csrf = op.get("/profile").await.csrf();
        let bad_name = op
            .post("/profile/name", &[("_csrf", &csrf), ("name", "Анна\u{7}Админ")])
            .await;
        assert_eq!(bad_name.status, StatusCode::BAD_REQUEST);
        assert!(
            bad_name
                .body
                .contains("id=\"name-error\">Имя: уберите переводы строк и другие невидимые символы</p>"),
            "{}",
            bad_name.body
        );
        assert!(
            bad_name.body.contains("value=\"Анна\u{7}Админ\""),
            "the name typed is kept"
        );
        let bad_days = op
            .post(
                "/profile/tokens",
                &[("_csrf", &csrf), ("name", "Выгрузка"), ("days", "0")],
            )
            .await;
        assert_eq!(bad_days.status, StatusCode::BAD_REQUEST);
        assert!(bad_days.body.contains("id=\"token-days-error\">"), "{}", bad_days.body);
        assert!(
            bad_days.body.contains("value=\"Выгрузка\""),
            "the token name typed is kept"
        );
        for refused in [&taken, &blank, &bad_price, &bad_name, &bad_days] {
            let english = english_words(&refused.body);
            assert!(english.is_empty(), "{english:?}");
        }
    }
}

/// Who a page of `path` is for, among the world's users.
async fn its_user(world: &World, path: &str) -> Visitor {
    if is_operator_page(path) {
        let operator_email = email_of(&world.t, &world.t.operator).await;
        return world.signed_in(&operator_email).await;
    }
    if is_customer_side(path) {
        return world.signed_in(&world.customer_admin_email).await;
    }
    world.signed_in(&world.partner_email).await
}

/// `body` without the values of its one-time form tokens (new with every page).
fn without_form_tokens(body: &str) -> String {
    let marker = "name=\"_form\" value=\"";
    let mut parts = body.split(marker);
    let mut kept = parts.next().unwrap_or_default().to_string();
    for part in parts {
        kept.push_str(marker);
        kept.push_str(part.split_once('"').map_or(part, |(_, rest)| rest));
    }
    kept
}

/// `path` with each id in it replaced by `id`.
fn with_every_id(path: &str, id: &str) -> String {
    [
        "{id}", "{sid}", "{pid}", "{tid}", "{rid}", "{fid}", "{gid}", "{sgid}", "{aid}", "{role}", "{hid}",
    ]
    .iter()
    .fold(path.to_string(), |path, placeholder| path.replace(placeholder, id))
}

#[tokio::test]
async fn a_malformed_id_in_a_page_address_is_answered_as_an_unknown_one() {
    let unknown = uuid::Uuid::now_v7().to_string();
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let world = World::on(db).await;
        let with_ids = pages()
            .into_iter()
            .filter(|(m, p)| m == "get" && p.contains('{') && !p.contains("{token}") && p != "/customers/{id}");
        let mut tried = 0;
        for (_, path) in with_ids {
            let mut v = its_user(&world, &path).await;
            let answer = v.get(&with_every_id(&path, &unknown)).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{b}: unknown id in {path}");
            for malformed in ["not-an-id", "12345", &format!("{unknown}x")] {
                let uri = with_every_id(&path, malformed);
                let page = v.get(&uri).await;
                assert_eq!(page.status, answer.status, "{b}: {uri}");
                let where_unknown = with_every_id(&path, &unknown);
                assert_eq!(
                    without_form_tokens(&page.body.replace(&uri, "")),
                    without_form_tokens(&answer.body.replace(&where_unknown, "")),
                    "{b}: {uri} answers as {where_unknown}"
                );
            }
            tried += 1;
        }
        assert!(tried >= 10, "{b}: pages with an id: {tried}");
    }
}

#[tokio::test]
async fn a_refusal_a_handler_meets_is_the_error_page_in_the_users_language_inside_the_signed_in_frame() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let world = World::on(db).await;
        let mut v = world.signed_in(&world.partner_email).await;
        let switched = v.submit("/profile", "/profile/language", &[("lang", "ru")]).await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER, "{b}: {}", switched.body);
        let unknown = uuid::Uuid::now_v7();
        for uri in [
            format!("/customers/{unknown}/account"),
            format!("/customers/{}/subscriptions/{unknown}", world.customer),
            format!("/customers/former/{unknown}"),
            format!("/customers/request/{unknown}/revoke"),
        ] {
            let page = v.get(&uri).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}: {uri}");
            assert!(page.body.contains("Здесь ничего нет"), "{b}: {uri}: {}", page.body);
            assert!(!page.body.contains("There is nothing here"), "{b}: {uri}");
            assert!(page.body.contains("href=\"/customers\""), "{b}: {uri}: navigation");
            assert!(page.body.contains("action=\"/signout\""), "{b}: {uri}: sign out");
        }
        // Refused by the app for its role, not its address: said in Russian all the same.
        let page = v.get("/operator/offers").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{b}");
        assert!(!page.body.contains("Forbidden"), "{b}: {}", page.body);
        assert!(page.body.contains("action=\"/signout\""), "{b}: sign out");
    }
}
