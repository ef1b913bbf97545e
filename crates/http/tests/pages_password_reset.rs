//! Router-level tests of the forgotten password, on every backend, with mail sent to the
//! testkit's SMTP server: the same page for a known and an unknown address, the mailed link
//! setting a password once, and the page without mail.

use axum::http::StatusCode;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{SmtpServer, TestApp, PASSWORD};

#[path = "common/dashboard.rs"]
mod dashboard;

use dashboard::Visitor;

/// Asks for a link for `email` through the form; the answer page.
async fn ask(v: &mut Visitor, email: &str) -> dashboard::Page {
    v.submit("/forgot-password", "/forgot-password", &[("email", email)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_and_an_unknown_address_get_the_same_page_and_the_link_works_once() {
    for db in partnerdesk_testkit::backends().await {
        let server = SmtpServer::start().await;
        let t = TestApp::with_mail(db, &server.url()).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        let partner = t.partner(PartnerType::Direct).await;
        let email = partner.admin.upn.clone();

        let mut v = Visitor::new(&router);
        let signin = v.get("/signin").await;
        assert!(signin.body.contains("href=\"/forgot-password\""));
        let known = ask(&mut v, &email).await;
        let unknown = ask(&mut v, "nobody@nowhere.example").await;
        assert_eq!(known.status, StatusCode::OK, "{}", t.db.backend);
        assert_eq!(unknown.status, StatusCode::OK);
        let said = |p: &dashboard::Page| p.between("id=\"forgot-sent\">", "</p>").expect("the answer");
        assert_eq!(said(&known), said(&unknown));
        assert!(said(&known).starts_with("If that address has an account"));

        t.app.send_mail().await.expect("send");
        assert_eq!(
            server.received().len(),
            1,
            "{}: the unknown address got nothing",
            t.db.backend
        );
        let text = server.received_by(&email)[0].text();
        let link = text
            .split_whitespace()
            .find(|w| w.contains("/reset-password/"))
            .expect("a link")
            .to_string();
        let path = &link[link.find("/reset-password/").expect("path")..];

        let form = v.get(path).await;
        assert_eq!(form.status, StatusCode::OK);
        let mismatch = v
            .submit(
                path,
                path,
                &[
                    ("new_password", "fresh-password-1"),
                    ("new_password_again", "other-password-1"),
                ],
            )
            .await;
        assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
        let set = v
            .submit(
                path,
                path,
                &[
                    ("new_password", "fresh-password-1"),
                    ("new_password_again", "fresh-password-1"),
                ],
            )
            .await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        assert_eq!(set.location(), "/signin");
        Visitor::signed_in(&router, &email, "fresh-password-1").await;
        let mut old = Visitor::new(&router);
        let refused = old.sign_in_to(&email, PASSWORD, "/home").await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

        let used = v.get(path).await;
        assert_eq!(used.status, StatusCode::GONE, "{}", t.db.backend);
        assert!(used.body.contains("already used"), "{}", used.body);
    }
}

#[tokio::test]
async fn without_mail_the_page_says_to_ask_an_admin() {
    for db in partnerdesk_testkit::backends().await {
        let t = TestApp::on(db).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        let mut v = Visitor::new(&router);
        let page = v.get("/forgot-password").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("id=\"forgot-no-mail\""), "{}", page.body);
        assert!(!page.body.contains("action=\"/forgot-password\""));
    }
}
