//! `partnerdesk audit verify`, the real binary over a database the application wrote: it
//! exits 0 while every chain holds, and 1 naming the first broken record and its
//! organisation once a record is edited, deleted or moved behind the application's back.

mod common;

use std::process::Output;

use common::partnerdesk;
use partnerdesk_domain::audit::AuditRecord;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::OrgId;
use partnerdesk_testkit::{TestApp, TestDb};

fn verify(url: &str) -> Output {
    partnerdesk()
        .args(["--database-url", url, "audit", "verify"])
        .output()
        .expect("run partnerdesk audit verify")
}

/// A partner with a customer and two purchases, and the partner's chain (at least four records).
async fn world(db: TestDb) -> (TestApp, OrgId, Vec<AuditRecord>) {
    let t = TestApp::on(db).await;
    let partner = t.partner(PartnerType::Direct).await;
    let customer = t.customer_of(&partner).await;
    t.buy(&partner, customer.id, 2).await;
    t.buy(&partner, customer.id, 3).await;
    let chain = OrgId(partner.id.0);
    let mut tx = t.db.store.read().await.expect("read");
    let records: Vec<AuditRecord> = tx
        .list_chained_audit(Some((chain, 0)), 1000)
        .await
        .expect("the partner's chain")
        .into_iter()
        .filter(|r| r.link.as_ref().is_some_and(|l| l.chain_id == chain))
        .collect();
    tx.rollback().await.expect("rollback");
    assert!(records.len() >= 4, "{} records in the partner's chain", records.len());
    (t, chain, records)
}

fn holds(output: &Output, backend: &str) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{backend}: {}; stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("audit log holds"), "{backend}: {stdout}");
}

/// Exit 1, one error line naming `record` and `chain`.
fn broken_at(output: &Output, record: &AuditRecord, chain: OrgId, backend: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{backend}: stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{backend}: {stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("partnerdesk: "))
        .unwrap_or_else(|| panic!("{backend}: no error line in {stderr}"));
    assert!(
        line.contains(&record.id.to_string()),
        "{backend}: {line} should name {}",
        record.id
    );
    assert!(
        line.contains(&chain.to_string()),
        "{backend}: {line} should name {chain}"
    );
}

#[test]
fn an_edited_field_breaks_the_chain_at_that_record() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for db in runtime.block_on(partnerdesk_testkit::backends()) {
        let (backend, url) = (db.backend, db.url.clone());
        let (t, chain, records) = runtime.block_on(world(db));
        holds(&verify(&url), backend);
        let edited = &records[1];
        runtime.block_on(t.db.execute_sql(&format!(
            "UPDATE audit_records SET actor_upn = 'someone-else@example.com' WHERE id = '{}'",
            edited.id
        )));
        broken_at(&verify(&url), edited, chain, backend);
    }
}

#[test]
fn a_deleted_record_breaks_the_chain_at_the_record_after_it_and_at_the_end() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for db in runtime.block_on(partnerdesk_testkit::backends()) {
        let (backend, url) = (db.backend, db.url.clone());
        let (t, chain, records) = runtime.block_on(world(db));
        runtime.block_on(t.db.execute_sql(&format!("DELETE FROM audit_records WHERE id = '{}'", records[1].id)));
        broken_at(&verify(&url), &records[2], chain, backend);
        // The last record gone as well as the gap mended? The head still counts it.
        runtime.block_on(t.db.execute_sql(&format!(
            "DELETE FROM audit_records WHERE id = '{}'",
            records[records.len() - 1].id
        )));
        broken_at(&verify(&url), &records[2], chain, backend);
    }
}

#[test]
fn a_record_deleted_from_the_end_of_a_chain_is_noticed_by_its_head() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for db in runtime.block_on(partnerdesk_testkit::backends()) {
        let (backend, url) = (db.backend, db.url.clone());
        let (t, chain, records) = runtime.block_on(world(db));
        let n = records.len();
        runtime.block_on(t.db.execute_sql(&format!("DELETE FROM audit_records WHERE id = '{}'", records[n - 1].id)));
        broken_at(&verify(&url), &records[n - 2], chain, backend);
    }
}

#[test]
fn two_records_that_swap_places_break_the_chain() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for db in runtime.block_on(partnerdesk_testkit::backends()) {
        let (backend, url) = (db.backend, db.url.clone());
        let (t, chain, records) = runtime.block_on(world(db));
        let (a, b) = (&records[1], &records[2]);
        let (sa, sb) = (
            a.link.as_ref().expect("linked").seq,
            b.link.as_ref().expect("linked").seq,
        );
        runtime.block_on(t.db.execute_sql(&format!(
            "UPDATE audit_records SET seq = -1 WHERE id = '{a}';
             UPDATE audit_records SET seq = {sa} WHERE id = '{b}';
             UPDATE audit_records SET seq = {sb} WHERE id = '{a}';",
            a = a.id,
            b = b.id
        )));
        // `b` now stands where `a` stood, and does not follow the record before it.
        broken_at(&verify(&url), b, chain, backend);
    }
}
