//! The rules of a reseller relationship (DESIGN.md §2), one test or more per rule, each run
//! on every backend.

use chrono::Duration;
use partnerdesk_app::customers::CustomerSearch;
use partnerdesk_app::AppError;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::{GdapStatus, RelationshipState};
use partnerdesk_domain::request::RequestState;
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::DomainError;
use partnerdesk_testkit::{backends, TestApp};

fn code(e: &AppError) -> &'static str {
    e.code()
}

#[tokio::test]
async fn rule_1_a_request_accepted_by_the_customer_admin_opens_an_active_relationship() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_alone().await;

        let req = t
            .app
            .create_relationship_request(&partner.admin, true)
            .await
            .expect("request");
        assert!(req.url.ends_with(&req.token), "{b}: the link carries the token");
        let seen = t.app.view_invitation(&req.token).await.expect("view");
        assert_eq!(seen.partner.id, partner.id, "{b}: the customer sees who asks");
        assert!(seen.request.include_dap, "{b}: and that delegated admin comes with it");
        assert_eq!(seen.state, RequestState::Pending);

        let accepted = t
            .app
            .accept_relationship_request(&customer.admin, &req.token)
            .await
            .expect("accept");
        assert_eq!(accepted.relationship.state, RelationshipState::Active, "{b}");
        assert!(accepted.dap.is_some(), "{b}: DAP was asked for and granted");
        let list = t
            .app
            .list_customers(&partner.admin, None, None, 100)
            .await
            .expect("list");
        assert!(
            list.items.iter().any(|c| c.id == customer.id),
            "{b}: the partner now sees the customer"
        );
        assert_eq!(
            t.app.view_invitation(&req.token).await.expect("view").state,
            RequestState::Accepted,
            "{b}"
        );
        // Accepting the same link again: the relationship is already active.
        let err = t
            .app
            .accept_relationship_request(&customer.admin, &req.token)
            .await
            .expect_err("accepted already");
        assert_eq!(code(&err), "relationship_already_active", "{b}");
    }
}

#[tokio::test]
async fn rule_1_declining_opens_nothing_and_only_the_customer_global_admin_answers() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_alone().await;
        let req = t
            .app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");

        let plain_user = t.user_with_role(&customer.admin, "user").await;
        let err = t
            .app
            .accept_relationship_request(&plain_user, &req.token)
            .await
            .expect_err("a plain user cannot accept");
        assert_eq!(code(&err), "forbidden_role", "{b}");
        let err = t
            .app
            .accept_relationship_request(&partner.admin, &req.token)
            .await
            .expect_err("a partner cannot accept");
        assert_eq!(code(&err), "forbidden_role", "{b}");

        t.app
            .decline_relationship_request(&customer.admin, &req.token)
            .await
            .expect("decline");
        let list = t
            .app
            .list_customers(&partner.admin, None, None, 100)
            .await
            .expect("list");
        assert!(list.items.is_empty(), "{b}: nothing opened");
        let err = t
            .app
            .accept_relationship_request(&customer.admin, &req.token)
            .await
            .expect_err("answered already");
        assert_eq!(code(&err), "request_already_answered", "{b}");
    }
}

#[tokio::test]
async fn rule_1_an_expired_or_revoked_request_cannot_be_accepted() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_alone().await;

        let revoked = t
            .app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        t.app
            .revoke_relationship_request(&partner.admin, revoked.request.id)
            .await
            .expect("revoke");
        let err = t
            .app
            .accept_relationship_request(&customer.admin, &revoked.token)
            .await
            .expect_err("revoked");
        assert_eq!(code(&err), "request_expired", "{b}");

        let old = t
            .app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        t.clock.advance(Duration::days(91));
        assert_eq!(
            t.app.view_invitation(&old.token).await.expect("view").state,
            RequestState::Expired,
            "{b}"
        );
        let err = t
            .app
            .accept_relationship_request(&customer.admin, &old.token)
            .await
            .expect_err("expired");
        assert_eq!(code(&err), "request_expired", "{b}");
        let list = t
            .app
            .list_customers(&partner.admin, None, None, 100)
            .await
            .expect("list");
        assert!(list.items.is_empty(), "{b}: no relationship opened");
    }
}

#[tokio::test]
async fn rule_2_an_active_relationship_lets_the_partner_see_buy_support_and_suspend() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;

        let view = t.app.get_customer(&partner.admin, customer.id).await.expect("get");
        assert!(view.delegated_access, "{b}: holds delegated admin");
        let contacts = t
            .app
            .available_support_contacts(&customer.admin, customer.id)
            .await
            .expect("contacts");
        assert!(contacts.iter().any(|p| p.id == partner.id), "{b}: is a support contact");

        let sub = t.buy(&partner, customer.id, 5).await;
        assert_eq!(sub.status, SubscriptionStatus::Active, "{b}");
        let s = t
            .app
            .suspend_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("suspend");
        assert_eq!(s.status, SubscriptionStatus::Suspended, "{b}");
        let s = t
            .app
            .reactivate_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("reactivate");
        assert_eq!(s.status, SubscriptionStatus::Active, "{b}");
        assert_eq!(s.quantity, 5, "{b}: suspending and reactivating keeps the seats");
    }
}

#[tokio::test]
async fn rule_3_removal_is_refused_while_a_subscription_is_active_and_names_the_blockers() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let active = t.buy(&partner, customer.id, 3).await;
        let suspended = t.buy(&partner, customer.id, 2).await;
        t.app
            .suspend_subscription(&partner.admin, customer.id, suspended.id)
            .await
            .expect("suspend");

        let err = t
            .app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect_err("refused");
        match err {
            AppError::Domain(DomainError::ActiveSubscriptionsExist { ids }) => {
                assert_eq!(ids, vec![active.id], "{b}: names exactly the active subscription")
            }
            other => panic!("{b}: expected active_subscriptions_exist, got {other:?}"),
        }
        let view = t
            .app
            .get_customer(&partner.admin, customer.id)
            .await
            .expect("still visible");
        assert_eq!(
            view.relationship.map(|r| r.state),
            Some(RelationshipState::Active),
            "{b}"
        );
    }
}

#[tokio::test]
async fn rule_4_removal_closes_the_relationship_and_takes_away_every_right_in_one_step() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        let gdap = t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let sub = t.buy(&partner, customer.id, 4).await;
        t.app
            .update_subscription_support_contact(&partner.admin, customer.id, sub.id, partner.id)
            .await
            .expect("support");
        t.app
            .suspend_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("suspend");

        let removed = t
            .app
            .remove_relationship(&partner.admin, customer.id, Some("contract ended"), None)
            .await
            .expect("remove");
        assert_eq!(removed.relationship.state, RelationshipState::Closed, "{b}");
        assert_eq!(removed.relationship.closed_by, Some(partner.admin.user_id), "{b}");
        assert_eq!(
            removed.relationship.close_reason.as_deref(),
            Some("contract ended"),
            "{b}"
        );

        // Gone from the partner's customer list and from the customer's support contacts.
        let list = t
            .app
            .list_customers(&partner.admin, None, None, 100)
            .await
            .expect("list");
        assert!(
            list.items.iter().all(|c| c.id != customer.id),
            "{b}: customer left the list"
        );
        let contacts = t
            .app
            .available_support_contacts(&customer.admin, customer.id)
            .await
            .expect("contacts");
        assert!(
            contacts.iter().all(|p| p.id != partner.id),
            "{b}: no longer a support contact"
        );
        // Subscriptions: still there, still suspended, support assignment cleared.
        let subs = t
            .app
            .list_subscriptions(&customer.admin, customer.id)
            .await
            .expect("subs");
        let after = subs.iter().find(|s| s.id == sub.id).expect("nothing is deleted");
        assert_eq!(
            after.status,
            SubscriptionStatus::Suspended,
            "{b}: suspended stays suspended"
        );
        assert_eq!(after.support_partner_id, None, "{b}: support assignment removed");
        // Delegated admin revoked: DAP ended, GDAP terminated.
        let mut tx = t.db.store.read().await.expect("read");
        assert!(
            tx.list_dap(partner.id, customer.id)
                .await
                .expect("dap")
                .iter()
                .all(|d| d.ended_at.is_some()),
            "{b}: DAP ended"
        );
        let g = tx.list_gdap(partner.id, customer.id).await.expect("gdap");
        assert_eq!(
            g.iter().find(|g| g.id == gdap).map(|g| g.status),
            Some(GdapStatus::Terminated),
            "{b}: GDAP terminated"
        );
        // Audit record and event.
        let audit = tx.list_audit(Some(customer.id), None, 500).await.expect("audit");
        assert!(
            audit
                .iter()
                .any(|a| a.operation == "remove_partner_customer_relationship"),
            "{b}: audited"
        );
        let events = tx.list_pending_events(1000).await.expect("events");
        assert!(
            events
                .iter()
                .any(|e| e.event_type == "reseller-relationship-removed" && e.customer_id == Some(customer.id)),
            "{b}: event queued"
        );
        tx.rollback().await.expect("rollback");

        // No more buying or reactivating for this customer.
        let err = t
            .app
            .create_order(&partner.admin, customer.id, vec![line(&t, 1)], None)
            .await
            .expect_err("no orders");
        assert_eq!(code(&err), "no_active_relationship", "{b}");
        let err = t
            .app
            .reactivate_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect_err("no reactivation");
        assert_eq!(code(&err), "no_active_relationship", "{b}");
    }
}

fn line(t: &TestApp, quantity: i64) -> partnerdesk_app::orders::LineInput {
    partnerdesk_app::orders::LineInput {
        offer_id: t.offer.id,
        quantity,
        friendly_name: None,
    }
}

#[tokio::test]
async fn rule_4_a_refused_removal_leaves_nothing_behind() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        t.buy(&partner, customer.id, 1).await;
        let count = |t: &TestApp| {
            let store = t.db.store.clone();
            let id = customer.id;
            async move {
                let mut tx = store.read().await.expect("read");
                (
                    tx.list_audit(Some(id), None, 500).await.expect("audit").len(),
                    tx.list_pending_events(1000).await.expect("events").len(),
                )
            }
        };
        let before = count(&t).await;
        t.app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect_err("blocked");
        assert_eq!(
            count(&t).await,
            before,
            "{b}: no audit record or event for a refused removal"
        );
        let view = t
            .app
            .get_customer(&partner.admin, customer.id)
            .await
            .expect("still related");
        assert!(view.delegated_access, "{b}: DAP untouched");
    }
}

#[tokio::test]
async fn rule_5_closed_relationships_leave_the_partner_views_and_stay_in_the_customer_history() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        t.app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect("remove");

        let err = t
            .app
            .get_customer(&partner.admin, customer.id)
            .await
            .expect_err("former partner");
        assert_eq!(code(&err), "no_active_relationship", "{b}");
        let active_only = t.app.list_my_partners(&customer.admin, false).await.expect("partners");
        assert!(
            active_only.iter().all(|p| p.partner.id != partner.id),
            "{b}: not in the default view"
        );
        let with_closed = t.app.list_my_partners(&customer.admin, true).await.expect("partners");
        let closed = with_closed
            .iter()
            .find(|p| p.partner.id == partner.id)
            .expect("in the history");
        assert_eq!(closed.state, RelationshipState::Closed, "{b}");
        assert!(closed.closed_at.is_some(), "{b}");
        let history = t
            .app
            .relationship_history(&customer.admin, customer.id)
            .await
            .expect("history");
        assert!(
            history
                .iter()
                .any(|r| r.partner_id == partner.id && r.state == RelationshipState::Closed),
            "{b}"
        );
    }
}

#[tokio::test]
async fn rule_6_working_together_again_takes_a_new_request_and_a_new_relationship() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let first = t
            .app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect("remove")
            .relationship;

        let req = t
            .app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        let second = t
            .app
            .accept_relationship_request(&customer.admin, &req.token)
            .await
            .expect("accept")
            .relationship;
        assert_ne!(first.id, second.id, "{b}: a new relationship");
        let history = t
            .app
            .relationship_history(&customer.admin, customer.id)
            .await
            .expect("history");
        let mine: Vec<_> = history.iter().filter(|r| r.partner_id == partner.id).collect();
        assert_eq!(mine.len(), 2, "{b}: the old one stays, closed");
        assert!(
            mine.iter()
                .any(|r| r.id == first.id && r.state == RelationshipState::Closed),
            "{b}"
        );
        assert!(
            t.app.get_customer(&partner.admin, customer.id).await.is_ok(),
            "{b}: visible again"
        );
    }
}

#[tokio::test]
async fn rule_7_only_global_admin_admin_agent_and_sales_agent_remove() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        for role in ["helpdesk_agent", "billing_admin"] {
            let user = t.user_with_role(&partner.admin, role).await;
            let customer = t.customer_of(&partner).await;
            let err = t
                .app
                .remove_relationship(&user, customer.id, None, None)
                .await
                .expect_err(role);
            assert_eq!(code(&err), "forbidden_role", "{b}: {role}");
        }
        for role in ["admin_agent", "sales_agent"] {
            let user = t.user_with_role(&partner.admin, role).await;
            let customer = t.customer_of(&partner).await;
            t.app
                .remove_relationship(&user, customer.id, None, None)
                .await
                .unwrap_or_else(|e| panic!("{b}: {role} removes: {e:?}"));
        }
        let customer = t.customer_of(&partner).await;
        t.app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect("global admin removes");
    }
}

#[tokio::test]
async fn rule_7_an_indirect_reseller_is_told_its_removal_goes_through_its_provider() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let provider = t.partner(PartnerType::IndirectProvider).await;
        let reseller = t.partner_under(PartnerType::IndirectReseller, Some(provider.id)).await;
        let customer = t.customer_with(&provider, Some(reseller.id)).await;

        let err = t
            .app
            .remove_relationship(&reseller.admin, customer.id, None, None)
            .await
            .expect_err("reseller");
        assert_eq!(code(&err), "partner_type_not_allowed", "{b}");
        assert!(
            err.to_string().contains("provider"),
            "{b}: says to ask the provider: {err}"
        );

        t.app
            .remove_relationship(&provider.admin, customer.id, None, Some(reseller.id))
            .await
            .expect("provider removes for it");
        let list = t
            .app
            .list_customers(&reseller.admin, None, None, 100)
            .await
            .expect("list");
        assert!(list.items.is_empty(), "{b}: gone from the reseller's list");
        assert!(
            t.app.get_customer(&provider.admin, customer.id).await.is_ok(),
            "{b}: the provider's own stays"
        );
    }
}

#[tokio::test]
async fn rule_8_the_customer_admin_removes_a_partners_admin_roles_at_any_time() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        t.buy(&partner, customer.id, 2).await;

        let ended = t
            .app
            .remove_partner_admin_roles(&customer.admin, partner.id)
            .await
            .expect("remove roles");
        assert_eq!((ended.dap_ended, ended.gdap_terminated), (1, 1), "{b}");
        let view = t
            .app
            .get_customer(&partner.admin, customer.id)
            .await
            .expect("still a reseller");
        assert!(!view.delegated_access, "{b}: DAP gone");
        assert_eq!(
            view.relationship.map(|r| r.state),
            Some(RelationshipState::Active),
            "{b}: reseller relationship stays"
        );
        // The consent went with the roles: the partner cannot simply take DAP back.
        let err = t
            .app
            .approve_dap(&partner.admin, customer.id)
            .await
            .expect_err("consent withdrawn");
        assert_eq!(code(&err), "delegated_admin_not_consented", "{b}");

        // To get it back the partner asks again; a request without delegated admin has
        // nothing to offer a customer it already works with.
        let plain = t
            .app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        let err = t
            .app
            .accept_relationship_request(&customer.admin, &plain.token)
            .await
            .expect_err("already a reseller");
        assert_eq!(code(&err), "relationship_already_active", "{b}");
        let again = t
            .app
            .create_relationship_request(&partner.admin, true)
            .await
            .expect("request");
        let accepted = t
            .app
            .accept_relationship_request(&customer.admin, &again.token)
            .await
            .expect("the customer consents again");
        assert!(accepted.dap.is_some(), "{b}");
        let view = t.app.get_customer(&partner.admin, customer.id).await.expect("customer");
        assert!(view.delegated_access, "{b}: DAP is back, with the customer's consent");
        let history = t
            .app
            .relationship_history(&partner.admin, customer.id)
            .await
            .expect("history");
        assert_eq!(history.len(), 1, "{b}: the same relationship, not a new one");
    }
}

#[tokio::test]
async fn rule_8_the_customer_ends_the_relationship_under_the_same_precondition_and_effects() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        let sub = t.buy(&partner, customer.id, 2).await;

        let err = t
            .app
            .end_relationship_as_customer(&customer.admin, partner.id, None)
            .await
            .expect_err("blocked");
        assert_eq!(code(&err), "active_subscriptions_exist", "{b}");
        t.app
            .suspend_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("suspend");
        let removed = t
            .app
            .end_relationship_as_customer(&customer.admin, partner.id, Some("switching"))
            .await
            .expect("end");
        assert_eq!(removed.relationship.state, RelationshipState::Closed, "{b}");
        assert_eq!(removed.plan.dap_to_end.len(), 1, "{b}: DAP ends too");
        let err = t
            .app
            .get_customer(&partner.admin, customer.id)
            .await
            .expect_err("former");
        assert_eq!(code(&err), "no_active_relationship", "{b}");
    }
}

#[tokio::test]
async fn offboarding_previews_every_effect_then_suspends_and_removes_at_once() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let a = t.buy(&partner, customer.id, 1).await;
        let c = t.buy(&partner, customer.id, 2).await;
        t.app
            .update_subscription_support_contact(&partner.admin, customer.id, c.id, partner.id)
            .await
            .expect("support");

        let preview = t
            .app
            .offboarding_preview(&partner.admin, customer.id)
            .await
            .expect("preview");
        let mut expected = vec![a.id, c.id];
        expected.sort();
        assert_eq!(preview.plan.subscriptions_to_suspend, expected, "{b}");
        assert_eq!(preview.plan.support_assignments_to_clear, vec![c.id], "{b}");
        assert_eq!(
            (preview.dap_to_end.len(), preview.gdap_to_terminate.len()),
            (1, 1),
            "{b}"
        );
        let still = t
            .app
            .list_subscriptions(&partner.admin, customer.id)
            .await
            .expect("subs");
        assert!(
            still.iter().all(|s| s.status == SubscriptionStatus::Active),
            "{b}: the preview changes nothing"
        );

        let done = t
            .app
            .offboard_customer(&partner.admin, customer.id, Some("offboarded"))
            .await
            .expect("offboard");
        assert_eq!(done.plan, preview.plan, "{b}: does what the preview said");
        let subs = t
            .app
            .list_subscriptions(&customer.admin, customer.id)
            .await
            .expect("subs");
        assert!(
            subs.iter().all(|s| s.status == SubscriptionStatus::Suspended),
            "{b}: all suspended"
        );
        let list = t
            .app
            .list_customers(&partner.admin, None, None, 100)
            .await
            .expect("list");
        assert!(list.items.is_empty(), "{b}: removed");
    }
}

#[tokio::test]
async fn a_partner_that_never_worked_with_a_customer_cannot_tell_it_exists() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let stranger = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let sub = t.buy(&partner, customer.id, 1).await;

        let err = t
            .app
            .get_customer(&stranger.admin, customer.id)
            .await
            .expect_err("hidden");
        assert_eq!(err, AppError::NotFound("customer"), "{b}");
        let err = t
            .app
            .get_subscription(&stranger.admin, customer.id, sub.id)
            .await
            .expect_err("hidden");
        assert_eq!(
            err,
            AppError::NotFound("customer"),
            "{b}: same answer as for an unknown id"
        );
        let err = t
            .app
            .remove_relationship(&stranger.admin, customer.id, None, None)
            .await
            .expect_err("hidden");
        assert_eq!(err, AppError::NotFound("customer"), "{b}");
    }
}

#[tokio::test]
async fn a_quantity_outside_the_offer_bounds_is_refused_with_them_and_nothing_is_written() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let err = t
            .app
            .create_order(&partner.admin, customer.id, vec![line(&t, 1), line(&t, 101)], None)
            .await
            .expect_err("too many");
        assert_eq!(
            err,
            AppError::Domain(DomainError::QuantityOutOfRange {
                quantity: 101,
                minimum: 1,
                maximum: 100
            }),
            "{b}"
        );
        let subs = t
            .app
            .list_subscriptions(&partner.admin, customer.id)
            .await
            .expect("subs");
        assert!(subs.is_empty(), "{b}: the valid first line was not written either");
        let orders = t.app.list_orders(&partner.admin, customer.id).await.expect("orders");
        assert!(orders.is_empty(), "{b}");
    }
}

#[tokio::test]
async fn customers_are_found_by_cyrillic_name_and_by_domain_case_insensitively() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let input = partnerdesk_app::customers::NewCustomerInput {
            company_name: "ООО «Ромашка»".into(),
            domain: "romashka.example".into(),
            country: "RU".into(),
            culture: Some("ru-RU".into()),
            billing_contact: "Анна Петрова".into(),
            billing_email: "anna@romashka.example".into(),
            ..Default::default()
        };
        let created = t.app.add_customer(&partner.admin, input).await.expect("create");
        t.customer_of(&partner).await;
        for q in ["РОМАШ", "ромашка", "ROMASHKA.EX"] {
            let search = SearchText::parse("q", q)
                .expect("search text")
                .map(CustomerSearch::Contains);
            let page = t
                .app
                .list_customers(&partner.admin, search.as_ref(), None, 10)
                .await
                .expect("search");
            assert_eq!(
                page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
                vec![created.customer.id],
                "{b}: {q}"
            );
            assert_eq!(page.total_count, 1, "{b}: {q}");
        }
    }
}
