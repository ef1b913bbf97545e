//! The customer's side of a relationship, beyond the rules themselves: what ending a
//! partner's relationship (or its admin roles) would do, read before it is done. Each test
//! runs on every backend.

use partnerdesk_app::AppError;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_testkit::{backends, TestApp};

#[tokio::test]
async fn the_customer_previews_every_effect_of_ending_a_relationship_and_what_blocks_it() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        let gdap = t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let active = t.buy(&partner, customer.id, 1).await;
        let supported = t.buy(&partner, customer.id, 2).await;
        t.app
            .update_subscription_support_contact(&partner.admin, customer.id, supported.id, partner.id)
            .await
            .expect("support");
        t.app
            .suspend_subscription(&partner.admin, customer.id, supported.id)
            .await
            .expect("suspend");
        // Another partner's active subscription does not block this partner.
        let other = t.partner(PartnerType::Direct).await;
        let req = t
            .app
            .create_relationship_request(&other.admin, false)
            .await
            .expect("request");
        t.app
            .accept_relationship_request(&customer.admin, &req.token)
            .await
            .expect("accept");
        t.buy(&other, customer.id, 3).await;

        let preview = t
            .app
            .end_relationship_as_customer_preview(&customer.admin, partner.id)
            .await
            .expect("preview");
        assert_eq!(preview.partner.id, partner.id, "{b}");
        let blocking: Vec<_> = preview.blocking_subscriptions.iter().map(|s| s.id).collect();
        assert_eq!(blocking, vec![active.id], "{b}: only this partner's active one blocks");
        let support: Vec<_> = preview.support_assignments_to_clear.iter().map(|s| s.id).collect();
        assert_eq!(support, vec![supported.id], "{b}");
        assert_eq!(preview.dap_to_end.len(), 1, "{b}");
        let gdaps: Vec<_> = preview.gdap_to_terminate.iter().map(|g| g.id).collect();
        assert_eq!(gdaps, vec![gdap], "{b}");

        // The preview changed nothing, and ending is refused exactly as it said.
        let err = t
            .app
            .end_relationship_as_customer(&customer.admin, partner.id, None)
            .await
            .expect_err("blocked");
        assert_eq!(err.code(), "active_subscriptions_exist", "{b}");

        // Once nothing blocks, ending does what the preview listed.
        t.app
            .suspend_subscription(&partner.admin, customer.id, active.id)
            .await
            .expect("suspend");
        let preview = t
            .app
            .end_relationship_as_customer_preview(&customer.admin, partner.id)
            .await
            .expect("preview");
        assert!(preview.blocking_subscriptions.is_empty(), "{b}");
        let removed = t
            .app
            .end_relationship_as_customer(&customer.admin, partner.id, Some("switching"))
            .await
            .expect("end");
        assert_eq!(removed.plan.support_assignments_to_clear, vec![supported.id], "{b}");
        assert_eq!(removed.plan.dap_to_end.len(), preview.dap_to_end.len(), "{b}");
        assert_eq!(removed.plan.gdap_to_terminate, vec![gdap], "{b}");

        // Closed now: there is nothing left to preview.
        let err = t
            .app
            .end_relationship_as_customer_preview(&customer.admin, partner.id)
            .await
            .expect_err("closed");
        assert_eq!(err, AppError::NotFound("partner"), "{b}");
    }
}

#[tokio::test]
async fn only_the_customer_previews_and_only_for_its_own_partners() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let mine = t.customer_of(&partner).await;
        let stranger = t.customer_alone().await;
        // A plain customer user may read it (the list of partners shows what blocks).
        let user = t.user_with_role(&mine.admin, "user").await;
        assert!(
            t.app
                .end_relationship_as_customer_preview(&user, partner.id)
                .await
                .is_ok(),
            "{b}"
        );
        let err = t
            .app
            .end_relationship_as_customer_preview(&stranger.admin, partner.id)
            .await
            .expect_err("not its partner");
        assert_eq!(err, AppError::NotFound("partner"), "{b}");
        let err = t
            .app
            .end_relationship_as_customer_preview(&partner.admin, partner.id)
            .await
            .expect_err("a partner");
        assert_eq!(err.code(), "forbidden_role", "{b}");
    }
}
