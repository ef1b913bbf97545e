//! Offers, orders with their line items, and subscriptions.

use partnerdesk_domain::offer::Offer;
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_store::StoreError;
use partnerdesk_testkit::TestDb;

use crate::support::*;

async fn commit_offers(db: &TestDb, offers: &[&Offer]) {
    let mut tx = db.store.begin().await.expect("begin");
    for o in offers {
        tx.insert_offer(o).await.expect("insert offer");
    }
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn an_offer_reads_back_as_written_and_lists_by_country() {
    for db in partnerdesk_testkit::backends().await {
        let everywhere = offer("Microsoft 365 Business Basic", &["US", "RU", "DE"]);
        let us_only = offer("Dynamics 365 Sales", &["US"]);
        let nowhere = offer("Retired Plan", &[]);
        commit_offers(&db, &[&us_only, &everywhere, &nowhere]).await;

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_offer(everywhere.id).await.expect("find"),
            Some(everywhere.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_offer(nowhere.id).await.expect("find"),
            Some(nowhere.clone()),
            "{}",
            db.backend
        );
        assert_eq!(tx.find_offer(new_id()).await.expect("find"), None, "{}", db.backend);
        let all = tx.list_offers(None).await.expect("all");
        assert_eq!(
            all,
            vec![everywhere.clone(), us_only.clone(), nowhere],
            "{}: id order",
            db.backend
        );
        let ids = |offers: Vec<Offer>| offers.into_iter().map(|o| o.id).collect::<Vec<_>>();
        assert_eq!(
            ids(tx.list_offers(Some(&country("RU"))).await.expect("RU")),
            vec![everywhere.id],
            "{}",
            db.backend
        );
        assert_eq!(
            ids(tx.list_offers(Some(&country("US"))).await.expect("US")),
            vec![everywhere.id, us_only.id],
            "{}",
            db.backend
        );
        assert!(
            tx.list_offers(Some(&country("FR"))).await.expect("FR").is_empty(),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_offer_update_is_kept_and_a_stale_one_is_a_version_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let o = offer("Microsoft 365 E3", &["US"]);
        commit_offers(&db, &[&o]).await;
        let mut off_sale = o.clone();
        off_sale.is_available = false;
        off_sale.countries = vec![country("US"), country("RU")];
        let mut tx = db.store.begin().await.expect("begin");
        tx.update_offer(&off_sale).await.expect("update");
        let err = tx.update_offer(&o).await.expect_err("stale");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        off_sale.version = 2;
        assert_eq!(
            tx.find_offer(o.id).await.expect("find"),
            Some(off_sale),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_order_reads_back_with_its_line_items_in_line_order() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let (a, b, d) = (
            offer("Plan A", &["RU"]),
            offer("Plan B", &["RU"]),
            offer("Plan C", &["RU"]),
        );
        commit_offers(&db, &[&a, &b, &d]).await;
        let placed = order(c.id, p.id, &[&a, &b, &d]);
        // Written last line first: reads must still come back by line number.
        let mut scrambled = placed.clone();
        scrambled.line_items.reverse();

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_order(&scrambled).await.expect("insert order");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_order(c.id, placed.id).await.expect("find"),
            Some(placed.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.list_orders(c.id, None).await.expect("list"),
            vec![placed.clone()],
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_order(new_id(), placed.id).await.expect("find"),
            None,
            "{}: another customer's",
            db.backend
        );
        assert_eq!(
            tx.find_order(c.id, new_id()).await.expect("find"),
            None,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_customers_orders_are_listed_oldest_first_and_by_partner_of_record() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let other = partner("Northwind Distribution");
        let reseller = partner("Adatum Reseller");
        let o = offer("Plan", &["RU"]);
        commit_offers(&db, &[&o]).await;
        let first = order(c.id, p.id, &[&o]);
        let mut second = order(c.id, other.id, &[&o, &o]);
        second.reseller_id = Some(reseller.id);
        let third = order(c.id, p.id, &[]);

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&other).await.expect("other partner");
        tx.insert_partner(&reseller).await.expect("reseller");
        for ord in [&first, &second, &third] {
            tx.insert_order(ord).await.expect("insert order");
        }
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let all = tx.list_orders(c.id, None).await.expect("all");
        assert_eq!(
            all,
            vec![first.clone(), second.clone(), third.clone()],
            "{}",
            db.backend
        );
        let mine = tx.list_orders(c.id, Some(p.id)).await.expect("partner's");
        assert_eq!(mine, vec![first, third], "{}", db.backend);
        let theirs = tx.list_orders(c.id, Some(other.id)).await.expect("other's");
        assert_eq!(theirs, vec![second], "{}", db.backend);
        let resellers = tx.list_orders(c.id, Some(reseller.id)).await.expect("reseller's");
        assert!(
            resellers.is_empty(),
            "{}: an order belongs to its partner of record",
            db.backend
        );
        assert!(
            tx.list_orders(new_id(), None).await.expect("nobody's").is_empty(),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_subscription_reads_back_as_written_and_its_updates_are_version_checked() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let o = offer("Plan", &["RU"]);
        commit_offers(&db, &[&o]).await;
        let placed = order(c.id, p.id, &[&o, &o]);
        let subs: Vec<_> = placed
            .line_items
            .iter()
            .map(|line| subscription(&placed, line))
            .collect();
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_order(&placed).await.expect("order");
        for s in subs.iter().rev() {
            tx.insert_subscription(s).await.expect("subscription");
        }
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let locked = tx.lock_subscription(subs[0].id).await.expect("lock").expect("exists");
        assert_eq!(locked, subs[0], "{}", db.backend);
        let mut suspended = locked.clone();
        suspended.suspend(now()).expect("suspend");
        suspended.support_partner_id = Some(p.id);
        tx.update_subscription(&suspended).await.expect("update");
        let err = tx.update_subscription(&locked).await.expect_err("stale");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let stored = tx.find_subscription(subs[0].id).await.expect("find").expect("exists");
        suspended.version = 2;
        assert_eq!(stored, suspended, "{}", db.backend);
        assert_eq!(stored.status, SubscriptionStatus::Suspended);
        let listed = tx.list_customer_subscriptions(c.id).await.expect("list");
        let mut want = vec![suspended, subs[1].clone()];
        want.sort_by_key(|s| s.id);
        assert_eq!(listed, want, "{}: id order", db.backend);
        assert_eq!(
            tx.find_subscription(new_id()).await.expect("find"),
            None,
            "{}",
            db.backend
        );
    }
}
