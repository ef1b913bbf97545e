//! E-mail through a real SMTP server on 127.0.0.1 (the testkit's): the forgotten-password
//! link, mail in the recipient's language, the removal notice, retries while the server is
//! down, and two senders sharing one PostgreSQL database. Every test runs on both backends
//! unless it says otherwise; the sender is driven directly, with the test's clock.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::Duration;
use partnerdesk_app::mail::{MailConfig, SmtpUrl};
use partnerdesk_app::password_reset::ResetOutcome;
use partnerdesk_app::{App, AppConfig, AppError, PasswordCost, SignInClient, V7Ids};
use partnerdesk_domain::mail::{Mail, MailKind, ResetRefusal};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::{PartnerActor, Received, SmtpServer, TestApp, TestDb, PASSWORD};

fn client() -> SignInClient {
    SignInClient::from_ip("198.51.100.7".parse::<IpAddr>().expect("ip"))
}

/// The one-time token in a reset mail's plain-text part.
fn reset_token(mail: &Received) -> String {
    let text = mail.text();
    let at = text.find("/reset-password/").expect("a reset link in the mail");
    text[at + "/reset-password/".len()..]
        .split_whitespace()
        .next()
        .expect("a token")
        .to_string()
}

/// A test SMTP server, an app sending to it, and a direct partner.
async fn mail_world(db: TestDb) -> (SmtpServer, TestApp, PartnerActor) {
    let server = SmtpServer::start().await;
    let t = TestApp::with_mail(db, &server.url()).await;
    let partner = t.partner(PartnerType::Direct).await;
    (server, t, partner)
}

async fn all_mail(db: &TestDb) -> Vec<Mail> {
    let mut tx = db.store.read().await.expect("read");
    tx.list_mail(1000).await.expect("list mail")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_mail_arrives_and_its_link_sets_a_password_once() {
    for db in partnerdesk_testkit::backends().await {
        let (server, t, partner) = mail_world(db).await;
        let email = partner.admin.upn.clone();

        t.app.request_password_reset(&client(), &email).await.expect("request");
        let report = t.app.send_mail().await.expect("send");
        assert_eq!(report.sent, 1, "{}", t.db.backend);
        let mails = server.received_by(&email);
        assert_eq!(mails.len(), 1, "{}", t.db.backend);
        assert_eq!(mails[0].mail_from, "partnerdesk@vendor.example");
        assert!(
            mails[0].subject().contains("new partnerdesk password"),
            "{}",
            mails[0].subject()
        );
        assert!(mails[0].html().contains("/reset-password/"));
        let token = reset_token(&mails[0]);

        assert_eq!(t.app.check_password_reset(&token).await.expect("check"), Ok(()));
        let done = t
            .app
            .reset_forgotten_password(&token, "brand-new-password")
            .await
            .expect("reset");
        assert_eq!(done, ResetOutcome::Done, "{}", t.db.backend);
        t.app
            .sign_in(&client(), &email, "brand-new-password")
            .await
            .expect("the new password signs in");
        assert!(matches!(
            t.app.sign_in(&client(), &email, PASSWORD).await,
            Err(AppError::Unauthenticated(_))
        ));

        let again = t
            .app
            .reset_forgotten_password(&token, "another-password-2")
            .await
            .expect("reset");
        assert_eq!(again, ResetOutcome::Refused(ResetRefusal::Used), "{}", t.db.backend);
        assert_eq!(
            t.app.check_password_reset(&token).await.expect("check"),
            Err(ResetRefusal::Used)
        );
        t.app
            .sign_in(&client(), &email, "brand-new-password")
            .await
            .expect("a used link changed nothing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_reset_link_is_refused_and_changes_nothing() {
    for db in partnerdesk_testkit::backends().await {
        let (server, t, partner) = mail_world(db).await;
        let email = partner.admin.upn.clone();
        t.app.request_password_reset(&client(), &email).await.expect("request");
        t.app.send_mail().await.expect("send");
        let token = reset_token(&server.received_by(&email)[0]);

        t.clock.advance(Duration::minutes(61));
        let outcome = t
            .app
            .reset_forgotten_password(&token, "too-late-password")
            .await
            .expect("reset");
        assert_eq!(
            outcome,
            ResetOutcome::Refused(ResetRefusal::Expired),
            "{}",
            t.db.backend
        );
        t.app
            .sign_in(&client(), &email, PASSWORD)
            .await
            .expect("the old password still works");
        let unknown = t.app.reset_forgotten_password("not-a-token", "whatever-password").await;
        assert_eq!(unknown.expect("reset"), ResetOutcome::Refused(ResetRefusal::Unknown));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    for db in partnerdesk_testkit::backends().await {
        let server = SmtpServer::start().await;
        let t = TestApp::with_mail(db, &server.url()).await;
        t.app
            .request_password_reset(&client(), "nobody@nowhere.example")
            .await
            .expect("the same answer as for a known address");
        t.app
            .request_password_reset(&client(), "not an address")
            .await
            .expect("the same answer for what is no address");
        assert_eq!(t.app.send_mail().await.expect("send").sent, 0);
        assert!(server.received().is_empty(), "{}", t.db.backend);
        assert!(all_mail(&t.db).await.is_empty(), "{}", t.db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_too_often_is_held_back_like_signing_in() {
    for db in partnerdesk_testkit::backends().await {
        let (_server, t, partner) = mail_world(db).await;
        let mut held_back = false;
        for _ in 0..6 {
            match t.app.request_password_reset(&client(), &partner.admin.upn).await {
                Ok(()) => {}
                Err(AppError::TooManyFailedSignIns { .. }) => held_back = true,
                Err(e) => panic!("{}: {e:?}", t.db.backend),
            }
        }
        assert!(
            held_back,
            "{}: the sixth request in 15 minutes is held back",
            t.db.backend
        );
        assert_eq!(all_mail(&t.db).await.len(), 5, "{}", t.db.backend);
        // Asking did not lock the account out of signing in.
        t.app
            .sign_in(&client(), &partner.admin.upn, PASSWORD)
            .await
            .expect("sign-in is limited apart");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_russian_user_gets_the_mail_in_russian_in_both_parts() {
    for db in partnerdesk_testkit::backends().await {
        let (server, t, partner) = mail_world(db).await;
        t.app.set_my_locale(&partner.admin, "ru-RU").await.expect("russian");
        t.app
            .request_password_reset(&client(), &partner.admin.upn)
            .await
            .expect("request");
        t.app.send_mail().await.expect("send");
        let mail = &server.received_by(&partner.admin.upn)[0];
        assert_eq!(mail.subject(), "Новый пароль partnerdesk", "{}", t.db.backend);
        let (text, html) = (mail.text(), mail.html());
        assert!(
            text.contains("Здравствуйте") && text.contains("в течение часа"),
            "{text}"
        );
        assert!(
            html.contains("Задать новый пароль") && html.contains("lang=\"ru\""),
            "{html}"
        );
        for english in ["Hello", "password for", "Set a new"] {
            assert!(!text.contains(english) && !html.contains(english), "{english}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_removal_notice_reaches_the_customers_global_admins() {
    for db in partnerdesk_testkit::backends().await {
        let (server, t, partner) = mail_world(db).await;
        let customer = t.customer_of(&partner).await;
        t.app
            .remove_relationship(&partner.admin, customer.id, Some("contract ended"), None)
            .await
            .expect("remove");
        t.app.send_mail().await.expect("send");
        let mails = server.received_by(&customer.admin.upn);
        assert_eq!(mails.len(), 1, "{}", t.db.backend);
        assert!(
            mails[0].subject().starts_with("Your reseller relationship with "),
            "{}",
            mails[0].subject()
        );
        assert!(
            mails[0].text().contains("was removed on 2026-03-01"),
            "{}",
            mails[0].text()
        );
        assert!(server.received_by(&partner.admin.upn).is_empty());
        let kinds: Vec<MailKind> = all_mail(&t.db).await.iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [MailKind::RelationshipRemoved]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_waits_while_the_server_is_down_and_goes_when_it_is_back() {
    for db in partnerdesk_testkit::backends().await {
        let port = SmtpServer::free_port().await;
        let t = TestApp::with_mail(db, &format!("smtp://127.0.0.1:{port}")).await;
        let partner = t.partner(PartnerType::Direct).await;
        t.app
            .request_password_reset(&client(), &partner.admin.upn)
            .await
            .expect("request");

        let down = t.app.send_mail().await.expect("a failed delivery is no error");
        assert_eq!((down.sent, down.failed), (0, 1), "{}", t.db.backend);
        let queued = all_mail(&t.db).await;
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].attempts, 1);
        assert!(queued[0].sent_at.is_none() && queued[0].parked_at.is_none());
        assert!(queued[0].last_error.is_some());
        let counts = t.app.mail_queue(&t.operator).await.expect("counts");
        assert_eq!((counts.queued, counts.parked), (1, 0));

        let server = SmtpServer::start_on(port)
            .await
            .expect("the server is back on its port");
        // Not due yet: the retry waits by the delivery schedule.
        assert_eq!(t.app.send_mail().await.expect("send").sent, 0);
        assert!(server.received().is_empty());
        t.clock.advance(Duration::seconds(31));
        assert_eq!(t.app.send_mail().await.expect("send").sent, 1, "{}", t.db.backend);
        assert_eq!(server.received_by(&partner.admin.upn).len(), 1);
        // Sent once: another run sends nothing more.
        t.clock.advance(Duration::hours(1));
        assert_eq!(t.app.send_mail().await.expect("send").sent, 0);
        assert_eq!(server.received().len(), 1);
        let counts = t.app.mail_queue(&t.operator).await.expect("counts");
        assert_eq!((counts.queued, counts.parked), (0, 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_senders_on_postgres_send_each_message_once() {
    let Some(db) = partnerdesk_testkit::postgres().await else {
        return;
    };
    let server = SmtpServer::start().await;
    let t = TestApp::with_mail(db, &server.url()).await;
    let partner = t.partner(PartnerType::Direct).await;
    // 40 messages: one reset request from each of 40 clients.
    for n in 0..40u8 {
        let from = SignInClient::from_ip(IpAddr::from([203, 0, 113, n]));
        t.app
            .request_password_reset(&from, &partner.admin.upn)
            .await
            .expect("request");
    }
    let mail = MailConfig::new(
        SmtpUrl::parse(&server.url()).expect("url"),
        "partnerdesk@vendor.example",
    )
    .expect("mail config");
    let config = AppConfig {
        password_cost: PasswordCost::Fast,
        mail: Some(mail),
        ..AppConfig::default()
    };
    let other_node = App::with_clock(t.db.store.clone(), config, t.clock.clone(), Arc::new(V7Ids));
    let (a, b) = tokio::join!(t.app.send_mail(), other_node.send_mail());
    let (a, b) = (a.expect("first sender"), b.expect("second sender"));
    assert_eq!(a.sent + b.sent, 40);
    let mut ids: Vec<String> = server.received().iter().map(Received::message_id).collect();
    assert_eq!(ids.len(), 40, "each message arrived once");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "no message arrived twice");
    assert!(all_mail(&t.db).await.iter().all(|m| m.sent_at.is_some()));
}

#[tokio::test]
async fn without_an_smtp_url_nothing_is_queued() {
    for db in partnerdesk_testkit::backends().await {
        let t = TestApp::on(db).await;
        assert!(!t.app.mail_enabled());
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        t.app
            .request_password_reset(&client(), &partner.admin.upn)
            .await
            .expect("the same answer");
        t.app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect("remove");
        assert!(all_mail(&t.db).await.is_empty(), "{}", t.db.backend);
        assert_eq!(t.app.send_mail().await.expect("send").sent, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relationship_request_is_mailed_to_the_customers_admin_beside_its_link() {
    for db in partnerdesk_testkit::backends().await {
        let (server, t, partner) = mail_world(db).await;
        let created = t
            .app
            .send_relationship_request(&partner.admin, false, "it@newcustomer.example", None)
            .await
            .expect("send");
        // The same open link as the page shows.
        let link = t
            .app
            .relationship_request_link(&partner.admin, false)
            .await
            .expect("link");
        assert_eq!(link.url, created.url);
        t.app.send_mail().await.expect("send");
        let mails = server.received_by("it@newcustomer.example");
        assert_eq!(mails.len(), 1, "{}", t.db.backend);
        assert!(
            mails[0].subject().ends_with("asks to become your reseller"),
            "{}",
            mails[0].subject()
        );
        assert!(mails[0].text().contains(&created.url) && mails[0].html().contains(&created.url));
        let refused = t
            .app
            .send_relationship_request(&partner.admin, false, "not an address", None)
            .await;
        assert!(matches!(refused, Err(AppError::Domain(_))), "{refused:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegated_admin_mail_goes_to_the_customer_for_approval_and_to_the_partner_before_the_end() {
    for db in partnerdesk_testkit::backends().await {
        let (server, t, partner) = mail_world(db).await;
        let customer = t.customer_of(&partner).await;
        let pending = t
            .gdap(
                partner.id,
                customer.id,
                partnerdesk_domain::relationship::GdapStatus::ApprovalPending,
                None,
            )
            .await;
        t.app.send_mail().await.expect("send");
        let approval = server.received_by(&customer.admin.upn);
        assert_eq!(approval.len(), 1, "{}", t.db.backend);
        assert!(approval[0]
            .text()
            .contains(&format!("/partners/admin-relationships/{pending}")));

        let ends = partnerdesk_app::Clock::now(t.clock.as_ref()) + Duration::days(40);
        let active = t
            .gdap(
                partner.id,
                customer.id,
                partnerdesk_domain::relationship::GdapStatus::Active,
                Some(ends),
            )
            .await;
        t.clock.advance(Duration::days(11));
        let report = t.app.run_delegated_admin_job().await.expect("job");
        assert_eq!(report.warned, 1, "{}", t.db.backend);
        t.app.send_mail().await.expect("send");
        let warning = server.received_by(&partner.admin.upn);
        assert_eq!(warning.len(), 1, "{}", t.db.backend);
        assert!(warning[0].subject().contains("ends on"), "{}", warning[0].subject());
        assert!(warning[0].text().contains(&format!("/gdap/{active}")));
    }
}
