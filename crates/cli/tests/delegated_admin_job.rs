//! `partnerdesk serve` runs the delegated admin job by itself: GDAP relationships that came
//! due while nothing ran (made here on a clock months behind the server's) are expired by
//! the server soon after it starts, with no request asking for it.

mod common;

use std::time::{Duration, Instant};

use common::{partnerdesk, Server};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_testkit::TestApp;

#[test]
fn serve_expires_due_gdap_relationships_on_its_own() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for db in runtime.block_on(partnerdesk_testkit::backends()) {
        let (backend, url) = (db.backend, db.url.clone());
        let t = runtime.block_on(TestApp::on(db));
        // The test app's clock stands at 2026-03-01: a relationship of 30 days and a request
        // locked then are both long due by the server's clock.
        let (partner, ended, pending) = runtime.block_on(async {
            let partner = t.partner(PartnerType::Direct).await;
            let customer = t.customer_of(&partner).await;
            let ends = t.app.now() + chrono::Duration::days(30);
            let ended = t.gdap(partner.id, customer.id, GdapStatus::Active, Some(ends)).await;
            let pending = t.gdap(partner.id, customer.id, GdapStatus::ApprovalPending, None).await;
            (partner, ended, pending)
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cmd = partnerdesk();
        cmd.arg("--database-url").arg(&url);
        let server = Server::start(cmd, dir.path().join("stderr.log"));

        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let statuses = runtime.block_on(async {
                let a = t.app.gdap_relationship(&partner.admin, ended).await.map(|g| g.status);
                let b = t.app.gdap_relationship(&partner.admin, pending).await.map(|g| g.status);
                (a, b)
            });
            if statuses == (Ok(GdapStatus::Expired), Ok(GdapStatus::Expired)) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{backend}: still {statuses:?} a minute after start; stderr:\n{}",
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            server.stderr().contains("delegated admin job"),
            "{backend}: the run is logged"
        );
    }
}
