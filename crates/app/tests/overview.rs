//! The partner's home page counts, on every backend.

use chrono::Duration;
use partnerdesk_app::Clock;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_testkit::{backends, TestApp};

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
        t.gdap(
            partner.id,
            kept.id,
            GdapStatus::Active,
            Some(t.clock.now() + Duration::days(10)),
        )
        .await;
        t.gdap(
            partner.id,
            kept.id,
            GdapStatus::Active,
            Some(t.clock.now() + Duration::days(45)),
        )
        .await;
        t.gdap(
            partner.id,
            kept.id,
            GdapStatus::Terminated,
            Some(t.clock.now() + Duration::days(5)),
        )
        .await;
        t.gdap(
            other.id,
            shared.id,
            GdapStatus::Active,
            Some(t.clock.now() + Duration::days(5)),
        )
        .await;

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
