//! The partner's home page counts, on every backend.

use chrono::Duration;
use partnerdesk_app::Clock;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::{GdapRelationship, GdapStatus};
use partnerdesk_domain::{CustomerId, GdapId};
use partnerdesk_testkit::{backends, PartnerActor, TestApp};

async fn gdap_ending(t: &TestApp, partner: &PartnerActor, customer: CustomerId, status: GdapStatus, in_days: i64) {
    let now = t.clock.now();
    let gdap = GdapRelationship {
        id: GdapId(uuid::Uuid::now_v7()),
        partner_id: partner.id,
        customer_id: customer,
        display_name: "Helpdesk access".into(),
        status,
        roles: vec!["729827e3-9c14-49f7-bb1b-9608f156bbb8".into()],
        duration_days: 730,
        created_at: now,
        ends_at: Some(now + Duration::days(in_days)),
        version: 1,
    };
    let mut tx = t.db.store.begin().await.expect("begin");
    tx.insert_gdap(&gdap).await.expect("insert gdap");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn the_overview_counts_what_the_partner_works_with_today() {
    for db in backends().await {
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let other = t.partner(PartnerType::Direct).await;

        let kept = t.customer_of(&partner).await;
        t.buy(&partner, kept.id, 1).await;
        t.buy(&partner, kept.id, 2).await;
        let paused = t.buy(&partner, kept.id, 3).await;
        t.app
            .suspend_subscription(&partner.admin, kept.id, paused.id)
            .await
            .expect("suspend");
        // Another partner's subscription of the same customer is not counted.
        let shared = t.customer_of(&other).await;
        t.buy(&other, shared.id, 1).await;

        // A removed customer leaves the counts, though its subscriptions stay suspended.
        let gone = t.customer_of(&partner).await;
        let s = t.buy(&partner, gone.id, 1).await;
        t.app
            .suspend_subscription(&partner.admin, gone.id, s.id)
            .await
            .expect("suspend");
        t.app
            .remove_relationship(&partner.admin, gone.id, None, None)
            .await
            .expect("remove");

        t.app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        gdap_ending(&t, &partner, kept.id, GdapStatus::Active, 10).await;
        gdap_ending(&t, &partner, kept.id, GdapStatus::Active, 45).await;
        gdap_ending(&t, &partner, kept.id, GdapStatus::Terminated, 5).await;
        gdap_ending(&t, &other, shared.id, GdapStatus::Active, 5).await;

        let overview = t.app.partner_overview(&partner.admin).await.expect("overview");
        assert_eq!(overview.customers, 1);
        assert_eq!(overview.active_subscriptions, 2);
        assert_eq!(overview.suspended_subscriptions, 1);
        assert_eq!(overview.pending_requests, 1);
        assert_eq!(overview.delegated_admin_expiring, 1);

        let customer_view = t.app.partner_overview(&kept.admin).await;
        assert!(customer_view.is_err(), "a customer has no partner overview");
    }
}
