//! The audit log and the event outbox.

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
