//! The audit log and the event outbox.

use partnerdesk_store::StoreError;

use crate::support::*;

#[tokio::test]
async fn audit_records_read_back_in_id_order_a_page_at_a_time_and_by_customer() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let records = [
            audit(Some(p.id), Some(c.id), "create_partner_customer_relationship"),
            audit(Some(p.id), None, "update_partner_profile"),
            audit(None, Some(c.id), "remove_partner_customer_relationship"),
        ];
        let mut bare = audit(None, None, "sign_in");
        (bare.actor_user_id, bare.actor_org_id, bare.before, bare.after) = (None, None, None, None);

        let mut tx = db.store.begin().await.expect("begin");
        for r in records.iter().chain([&bare]) {
            tx.insert_audit(r).await.expect("insert audit");
        }
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let all = tx.list_audit(None, None, 10).await.expect("all");
        assert_eq!(all, [records.as_slice(), &[bare.clone()]].concat(), "{}", db.backend);
        let page = tx.list_audit(None, Some(records[0].id), 2).await.expect("page");
        assert_eq!(page, records[1..], "{}", db.backend);
        let customers = tx.list_audit(Some(c.id), None, 10).await.expect("customer's");
        assert_eq!(
            customers,
            vec![records[0].clone(), records[2].clone()],
            "{}",
            db.backend
        );
        let after_first = tx
            .list_audit(Some(c.id), Some(records[0].id), 10)
            .await
            .expect("customer's, later");
        assert_eq!(after_first, vec![records[2].clone()], "{}", db.backend);
    }
}

#[tokio::test]
async fn audit_records_written_together_read_back_as_written_in_id_order() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        // More than one SQLite statement's worth, with every optional column empty in some.
        let mut records: Vec<_> = (0..1203)
            .map(|i| match i % 3 {
                0 => audit(Some(p.id), Some(c.id), "update_subscription"),
                1 => audit(Some(p.id), None, "dap_admin_relationship_terminated"),
                _ => {
                    let mut bare = audit(None, None, "add_user");
                    (bare.actor_user_id, bare.actor_org_id, bare.before, bare.after) = (None, None, None, None);
                    bare
                }
            })
            .collect();
        records.sort_by_key(|r| r.id);

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_audits(&records).await.expect("insert audits");
        tx.insert_audits(&[]).await.expect("nothing to insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let all = tx.list_audit(None, None, 2000).await.expect("all");
        assert_eq!(all, records, "{}", db.backend);
        let customers = tx.list_audit(Some(c.id), None, 2000).await.expect("customer's");
        assert_eq!(customers.len(), 401, "{}", db.backend);
    }
}

#[tokio::test]
async fn audit_records_written_together_are_refused_together() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let first = audit(Some(p.id), Some(c.id), "add_customer");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_audit(&first).await.expect("insert audit");
        tx.commit().await.expect("commit");

        let fresh = audit(Some(p.id), Some(c.id), "create_order");
        let mut tx = db.store.begin().await.expect("begin");
        let err = tx
            .insert_audits(&[fresh.clone(), first.clone()])
            .await
            .expect_err("an id written before");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
        tx.rollback().await.expect("rollback");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.list_audit(None, None, 10).await.expect("all"),
            vec![first],
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn pending_events_read_back_oldest_first_up_to_the_limit() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let events = [
            event(Some(p.id), Some(c.id), "reseller-relationship-accepted"),
            event(None, Some(c.id), "customer-updated"),
            event(None, None, "catalog-updated"),
        ];
        let mut tx = db.store.begin().await.expect("begin");
        for e in events.iter().rev() {
            tx.insert_event(e).await.expect("insert event");
        }
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.list_pending_events(10).await.expect("pending"),
            events,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.list_pending_events(2).await.expect("pending"),
            events[..2],
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn events_queued_together_read_back_as_queued_and_are_refused_together() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let mut events: Vec<_> = (0..1001)
            .map(|i| match i % 2 {
                0 => event(Some(p.id), Some(c.id), "subscription-updated"),
                _ => event(None, None, "customer-created"),
            })
            .collect();
        events.sort_by_key(|e| e.id);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_events(&events).await.expect("insert events");
        tx.insert_events(&[]).await.expect("nothing to insert");
        tx.commit().await.expect("commit");

        let fresh = event(Some(p.id), Some(c.id), "order-created");
        let mut tx = db.store.begin().await.expect("begin");
        let err = tx
            .insert_events(&[fresh, events[0].clone()])
            .await
            .expect_err("an id queued before");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
        tx.rollback().await.expect("rollback");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.list_pending_events(2000).await.expect("pending"),
            events,
            "{}",
            db.backend
        );
    }
}
