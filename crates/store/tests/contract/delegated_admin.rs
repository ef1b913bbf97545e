//! DAP grants and GDAP relationships.

use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_store::StoreError;

use crate::support::*;

#[tokio::test]
async fn dap_grants_read_back_oldest_first_and_an_ended_one_keeps_when_and_by_whom() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let mut first = dap(p.id, c.id);
        first.granted_at = now() - chrono::Duration::days(30);
        let second = dap(p.id, c.id);
        let (ended_at, ended_by) = (now(), new_id());

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_dap(&second).await.expect("second");
        tx.insert_dap(&first).await.expect("first");
        tx.end_dap(first.id, ended_at, Some(ended_by)).await.expect("end");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let mut ended = first.clone();
        ended.ended_at = Some(ended_at);
        ended.ended_by = Some(ended_by);
        assert_eq!(
            tx.list_dap(p.id, c.id).await.expect("list"),
            vec![ended, second],
            "{}",
            db.backend
        );
        assert!(
            tx.list_dap(p.id, new_id()).await.expect("list").is_empty(),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn ending_a_dap_grant_that_does_not_exist_is_not_found() {
    for db in partnerdesk_testkit::backends().await {
        let mut tx = db.store.begin().await.expect("begin");
        let err = tx.end_dap(new_id(), now(), None).await.expect_err("no such grant");
        assert!(matches!(err, StoreError::NotFound(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn a_gdap_relationship_reads_back_with_its_roles_and_its_updates_are_version_checked() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let g = gdap(p.id, c.id);
        let mut no_roles = gdap(p.id, c.id);
        no_roles.roles.clear();
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_gdap(&g).await.expect("insert");
        tx.insert_gdap(&no_roles).await.expect("insert without roles");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.list_gdap(p.id, c.id).await.expect("list"),
            vec![g.clone(), no_roles.clone()],
            "{}",
            db.backend
        );
        drop(tx);

        let mut tx = db.store.begin().await.expect("begin");
        let mut active = g.clone();
        active.status = GdapStatus::Active;
        active.ends_at = Some(now() + chrono::Duration::days(730));
        tx.update_gdap(&active).await.expect("activate");
        let mut terminated = g.clone();
        terminated.terminate_for_removal(now());
        let err = tx.update_gdap(&terminated).await.expect_err("stale");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        active.version = 2;
        assert_eq!(
            tx.list_gdap(p.id, c.id).await.expect("list"),
            vec![active, no_roles],
            "{}",
            db.backend
        );
    }
}
