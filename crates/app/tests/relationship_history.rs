//! The relationship history with who closed each relationship (`relationship_history_entries`):
//! a partner sees only its own relationships, and a closer's name only when the closer is one
//! of its own users. Run on every backend.

use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::{ClosedBySide, RelationshipState};
use partnerdesk_testkit::{backends, CustomerActor, PartnerActor, TestApp};

/// The partner asks again and the customer accepts: a new active relationship.
async fn work_together_again(t: &TestApp, partner: &PartnerActor, customer: &CustomerActor) {
    let req = t
        .app
        .create_relationship_request(&partner.admin, false)
        .await
        .expect("request");
    t.app
        .accept_relationship_request(&customer.admin, &req.token)
        .await
        .expect("accept");
}

#[tokio::test]
async fn the_history_says_who_closed_each_relationship_naming_only_the_callers_own_users() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let other = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        t.customer_of(&other).await;
        let admin_name = t.app.me(&partner.admin).await.expect("me").display_name;

        // Closed by the partner, then by the customer; the third one is active.
        t.app
            .remove_relationship(&partner.admin, customer.id, Some("moving on"), None)
            .await
            .expect("remove");
        work_together_again(&t, &partner, &customer).await;
        t.app
            .end_relationship_as_customer(&customer.admin, partner.id, Some("new supplier"))
            .await
            .expect("end as customer");
        work_together_again(&t, &partner, &customer).await;

        let mine = t
            .app
            .relationship_history_entries(&partner.admin, customer.id)
            .await
            .expect("history");
        assert_eq!(mine.len(), 3, "{b}");
        assert!(mine.iter().all(|e| e.relationship.partner_id == partner.id), "{b}");
        let by_partner = mine
            .iter()
            .find(|e| e.relationship.close_reason.as_deref() == Some("moving on"))
            .expect("closed by the partner");
        let closer = by_partner.closed_by.as_ref().expect("a closer");
        assert_eq!(closer.side, ClosedBySide::Partner, "{b}");
        assert!(closer.own, "{b}");
        assert_eq!(closer.name.as_deref(), Some(admin_name.as_str()), "{b}");
        let by_customer = mine
            .iter()
            .find(|e| e.relationship.close_reason.as_deref() == Some("new supplier"))
            .expect("closed by the customer");
        let closer = by_customer.closed_by.as_ref().expect("a closer");
        assert_eq!(closer.side, ClosedBySide::Customer, "{b}");
        assert!(!closer.own, "{b}");
        assert_eq!(closer.name, None, "{b}: a customer's user is not named to the partner");
        let active: Vec<_> = mine
            .iter()
            .filter(|e| e.relationship.state == RelationshipState::Active)
            .collect();
        assert_eq!(active.len(), 1, "{b}");
        assert!(active[0].closed_by.is_none(), "{b}");

        // The customer sees every partner's relationships; its own user is named.
        let theirs = t
            .app
            .relationship_history_entries(&customer.admin, customer.id)
            .await
            .expect("customer history");
        assert_eq!(theirs.len(), 3, "{b}");
        let by_customer = theirs
            .iter()
            .find(|e| e.relationship.close_reason.as_deref() == Some("new supplier"))
            .and_then(|e| e.closed_by.clone())
            .expect("closed by the customer");
        assert!(by_customer.own && by_customer.name.is_some(), "{b}");
        let by_partner = theirs
            .iter()
            .find(|e| e.relationship.close_reason.as_deref() == Some("moving on"))
            .and_then(|e| e.closed_by.clone())
            .expect("closed by the partner");
        assert_eq!(
            by_partner.name, None,
            "{b}: the partner's user is not named to the customer"
        );

        // Another partner sees nothing of it, exactly as for an unknown customer.
        let err = t
            .app
            .relationship_history_entries(&other.admin, customer.id)
            .await
            .expect_err("another partner");
        assert_eq!(err.code(), "not_found", "{b}");
    }
}

#[tokio::test]
async fn a_partner_without_an_active_relationship_or_the_right_role_reads_no_history() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let billing = t.user_with_role(&partner.admin, "billing_admin").await;
        assert!(
            t.app.relationship_history_entries(&billing, customer.id).await.is_ok(),
            "{b}: every partner role views customers"
        );
        t.app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect("remove");
        let err = t
            .app
            .relationship_history_entries(&partner.admin, customer.id)
            .await
            .expect_err("closed");
        assert_eq!(err.code(), "no_active_relationship", "{b}");
    }
}
