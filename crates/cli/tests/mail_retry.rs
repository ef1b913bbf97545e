//! `partnerdesk mail retry`, the real binary over a database the application wrote, on
//! every backend: a message parked while the SMTP server was down is made due again from a
//! fresh count of attempts (one by its id, or every parked one) and then sent; an unknown
//! id, a sent message's id and a malformed id are refused, changing nothing.

mod common;

use std::process::Output;

use chrono::Duration;
use common::partnerdesk;
use partnerdesk_domain::delivery::MAX_ATTEMPTS;
use partnerdesk_domain::mail::Mail;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::{SmtpServer, TestApp};

fn mail(url: &str, args: &[&str]) -> Output {
    partnerdesk()
        .args(["--database-url", url, "mail"])
        .args(args)
        .output()
        .expect("run partnerdesk mail")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn outbox(t: &TestApp) -> Vec<Mail> {
    let mut tx = t.db.store.read().await.expect("read");
    let all = tx.list_mail(100).await.expect("mail");
    tx.rollback().await.expect("rollback");
    all
}

/// Runs the sender until every message is parked (the SMTP server is down).
async fn park_all(t: &TestApp) {
    for _ in 0..MAX_ATTEMPTS {
        t.app.send_mail().await.expect("a failed delivery is no error");
        t.clock.advance(Duration::hours(8));
    }
    assert!(outbox(t).await.iter().all(|m| m.parked_at.is_some()), "parked");
}

#[test]
fn parked_mail_is_retried_by_id_or_all_at_once_and_then_sent() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for db in runtime.block_on(partnerdesk_testkit::backends()) {
        let (b, url) = (db.backend, db.url.clone());
        let port = runtime.block_on(SmtpServer::free_port());
        let t = runtime.block_on(TestApp::with_mail(db, &format!("smtp://127.0.0.1:{port}")));
        let (first, second) = runtime.block_on(async {
            let one = t.partner(PartnerType::Direct).await;
            let two = t.partner(PartnerType::Direct).await;
            for (n, p) in [(1u8, &one), (2, &two)] {
                let client = partnerdesk_app::SignInClient::from_ip(std::net::IpAddr::from([198, 51, 100, n]));
                t.app
                    .request_password_reset(&client, &p.admin.upn)
                    .await
                    .expect("reset asked for");
            }
            park_all(&t).await;
            (one.admin.upn.clone(), two.admin.upn.clone())
        });
        let parked = runtime.block_on(outbox(&t));
        assert_eq!(parked.len(), 2, "{b}");
        let listed = mail(&url, &["list"]);
        assert!(stdout(&listed).contains("parked"), "{b}: {}", stdout(&listed));

        // Refused, changing nothing: an unknown id, a malformed one.
        let unknown = "0190a5b2-0000-7000-8000-000000000001";
        let refused = mail(&url, &["retry", unknown]);
        assert_eq!(refused.status.code(), Some(1), "{b}: {}", stderr(&refused));
        assert!(
            stderr(&refused).contains(&format!("no unsent message has the id {unknown}")),
            "{b}"
        );
        let malformed = mail(&url, &["retry", "twelve"]);
        assert_eq!(malformed.status.code(), Some(1), "{b}");
        assert!(
            stderr(&malformed).contains("twelve is not a message id"),
            "{b}: {}",
            stderr(&malformed)
        );
        assert!(!stderr(&malformed).contains("panicked"), "{b}");
        let neither = mail(&url, &["retry"]);
        assert!(!neither.status.success(), "{b}: an id or --all-parked is needed");
        assert!(
            runtime
                .block_on(outbox(&t))
                .iter()
                .all(|m| m.parked_at.is_some() && m.attempts == MAX_ATTEMPTS),
            "{b}: nothing changed"
        );

        // One by its id: due again, from a fresh count; the other stays parked.
        let id = parked[0].id.to_string();
        let one = mail(&url, &["retry", &id]);
        assert!(one.status.success(), "{b}: {}", stderr(&one));
        assert!(
            stdout(&one).contains(&format!("message {id} will be sent again")),
            "{b}"
        );
        let now = runtime.block_on(outbox(&t));
        let (retried, still) = (&now[0], &now[1]);
        assert_eq!((retried.attempts, retried.parked_at), (0, None), "{b}");
        assert!(still.parked_at.is_some(), "{b}: only the one named");

        // The rest at once; then the sender, its server back, sends both.
        let all = mail(&url, &["retry", "--all-parked"]);
        assert!(all.status.success(), "{b}: {}", stderr(&all));
        assert!(
            stdout(&all).contains("1 parked message(s) will be sent again"),
            "{b}: {}",
            stdout(&all)
        );
        let again = mail(&url, &["retry", "--all-parked"]);
        assert!(stdout(&again).contains("no parked mail"), "{b}: {}", stdout(&again));
        let server = runtime
            .block_on(SmtpServer::start_on(port))
            .expect("the SMTP server is back on its port");
        // The binary made them due by the real clock; the test's clock moves past it.
        t.clock.advance(Duration::days(3650));
        let report = runtime.block_on(t.app.send_mail()).expect("send");
        assert_eq!(report.sent, 2, "{b}");
        assert_eq!(server.received_by(&first).len(), 1, "{b}");
        assert_eq!(server.received_by(&second).len(), 1, "{b}");

        // A sent message is no longer retried.
        let sent = mail(&url, &["retry", &id]);
        assert_eq!(sent.status.code(), Some(1), "{b}");
        assert!(
            stderr(&sent).contains("unknown or was sent already"),
            "{b}: {}",
            stderr(&sent)
        );
    }
}
