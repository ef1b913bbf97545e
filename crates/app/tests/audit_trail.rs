//! The trail every use case leaves: one audit record per change, named by its typed
//! operation, and the operation's event when it publishes one. Each runs on every backend.

use std::collections::HashSet;

use partnerdesk_app::operator::OfferInput;
use partnerdesk_app::users::{OwnPasswordChange, UserPatch};
use partnerdesk_app::SignInClient;
use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_testkit::{backends, TestApp};

/// What the trail held when the step began.
struct Mark {
    audits: HashSet<String>,
    events: HashSet<String>,
}

async fn mark(t: &TestApp) -> Mark {
    let mut tx = t.db.store.read().await.expect("read");
    let audits = tx.list_audit(None, None, 10_000).await.expect("audit");
    let events = tx.list_pending_events(10_000).await.expect("events");
    tx.rollback().await.expect("rollback");
    Mark {
        audits: audits.into_iter().map(|a| a.id.to_string()).collect(),
        events: events.into_iter().map(|e| e.id.to_string()).collect(),
    }
}

/// The audit records (operation, resource type) and events written since `since`, in the
/// order they were written, must be those of `expected`.
async fn assert_trail(t: &TestApp, since: Mark, expected: &[Operation], step: &str) {
    let mut tx = t.db.store.read().await.expect("read");
    let mut audits: Vec<_> = tx
        .list_audit(None, None, 10_000)
        .await
        .expect("audit")
        .into_iter()
        .filter(|a| !since.audits.contains(&a.id.to_string()))
        .collect();
    audits.sort_by_key(|a| a.id.to_string());
    let mut events: Vec<_> = tx
        .list_pending_events(10_000)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| !since.events.contains(&e.id.to_string()))
        .collect();
    events.sort_by_key(|e| e.id.to_string());
    tx.rollback().await.expect("rollback");
    let written: Vec<_> = audits
        .iter()
        .map(|a| (a.operation.as_str(), a.resource_type.as_str()))
        .collect();
    let wanted: Vec<_> = expected
        .iter()
        .map(|op| (op.audit_name(), op.resource_type()))
        .collect();
    assert_eq!(written, wanted, "{step}: audit records");
    let published: Vec<_> = events.iter().map(|e| e.event_type.as_str()).collect();
    let wanted: Vec<_> = expected.iter().filter_map(|op| op.event_name()).collect();
    assert_eq!(published, wanted, "{step}: events");
}

fn offer_input() -> OfferInput {
    OfferInput {
        name: "Backup".into(),
        description: String::new(),
        unit_type: "Licenses".into(),
        term_duration: "P1Y".into(),
        unit_price_minor: 100,
        currency: "usd".into(),
        min_quantity: 1,
        max_quantity: 10,
        countries: vec!["us".into()],
        is_available: true,
    }
}

#[tokio::test]
async fn each_use_case_writes_one_audit_record_under_its_typed_operation_with_its_event() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let app = &t.app;

        // The operator's.
        let m = mark(&t).await;
        let offer = app
            .create_offer(&t.operator, offer_input())
            .await
            .expect("create offer");
        assert_trail(&t, m, &[Operation::CreateOffer], &format!("{b} create_offer")).await;
        let m = mark(&t).await;
        let mut input = offer_input();
        input.max_quantity = 20;
        app.update_offer(&t.operator, offer.id, input, None)
            .await
            .expect("update offer");
        assert_trail(&t, m, &[Operation::UpdateOffer], &format!("{b} update_offer")).await;
        let m = mark(&t).await;
        let partner = t.partner(PartnerType::Direct).await;
        assert_trail(&t, m, &[Operation::AddPartner], &format!("{b} add_partner")).await;

        // Users.
        let m = mark(&t).await;
        let user = t.user_with_role(&partner.admin, "admin_agent").await;
        assert_trail(&t, m, &[Operation::AddUser], &format!("{b} add_user")).await;
        let m = mark(&t).await;
        let patch = UserPatch {
            display_name: Some("Renamed".into()),
            ..Default::default()
        };
        app.update_user(&partner.admin, partner.admin.org_id, user.user_id, patch, None)
            .await
            .expect("update user");
        assert_trail(&t, m, &[Operation::UpdateUser], &format!("{b} update_user")).await;
        let m = mark(&t).await;
        let patch = UserPatch {
            password: Some("another-password-2".into()),
            ..Default::default()
        };
        app.update_user(&partner.admin, partner.admin.org_id, user.user_id, patch, None)
            .await
            .expect("reset password");
        assert_trail(
            &t,
            m,
            &[Operation::ResetUserPassword, Operation::RevokeCredentials],
            &format!("{b} update_user with a password"),
        )
        .await;
        let m = mark(&t).await;
        app.set_my_locale(&user, "ru-RU").await.expect("locale");
        assert_trail(&t, m, &[Operation::SetMyLocale], &format!("{b} set_my_locale")).await;
        let m = mark(&t).await;
        app.set_my_display_name(&user, "Me").await.expect("display name");
        assert_trail(
            &t,
            m,
            &[Operation::SetMyDisplayName],
            &format!("{b} set_my_display_name"),
        )
        .await;
        let m = mark(&t).await;
        let change = OwnPasswordChange {
            current_password: "another-password-2".into(),
            new_password: "third-password-3".into(),
            revoke_api_tokens: true,
        };
        app.change_my_password(&user, &SignInClient::unknown(), change, false)
            .await
            .expect("change password");
        assert_trail(
            &t,
            m,
            &[Operation::ChangeMyPassword],
            &format!("{b} change_my_password"),
        )
        .await;
        let m = mark(&t).await;
        app.delete_user(&partner.admin, partner.admin.org_id, user.user_id)
            .await
            .expect("delete user");
        assert_trail(&t, m, &[Operation::DeleteUser], &format!("{b} delete_user")).await;

        // API tokens.
        let m = mark(&t).await;
        let token = app.create_api_token(&partner.admin, "deploy").await.expect("token");
        assert_trail(&t, m, &[Operation::CreateApiToken], &format!("{b} create_api_token")).await;
        let m = mark(&t).await;
        app.revoke_api_token(&partner.admin, token.token.id)
            .await
            .expect("revoke token");
        assert_trail(&t, m, &[Operation::RevokeApiToken], &format!("{b} revoke_api_token")).await;

        // Customers, orders, subscriptions.
        let m = mark(&t).await;
        let customer = t.customer_of(&partner).await;
        assert_trail(&t, m, &[Operation::AddCustomer], &format!("{b} add_customer")).await;
        let m = mark(&t).await;
        let sub = t.buy(&partner, customer.id, 3).await;
        assert_trail(&t, m, &[Operation::CreateOrder], &format!("{b} create_order")).await;
        let m = mark(&t).await;
        app.update_subscription_support_contact(&partner.admin, customer.id, sub.id, partner.id)
            .await
            .expect("support contact");
        assert_trail(
            &t,
            m,
            &[Operation::UpdateSubscriptionSupportContact],
            &format!("{b} update_subscription_support_contact"),
        )
        .await;
        let m = mark(&t).await;
        app.suspend_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("suspend");
        assert_trail(
            &t,
            m,
            &[Operation::UpdateSubscription],
            &format!("{b} suspend_subscription"),
        )
        .await;

        // Relationship requests.
        let m = mark(&t).await;
        let request = app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        assert_trail(
            &t,
            m,
            &[Operation::CreateRelationshipRequest],
            &format!("{b} create_relationship_request"),
        )
        .await;
        let m = mark(&t).await;
        app.revoke_relationship_request(&partner.admin, request.request.id)
            .await
            .expect("revoke request");
        assert_trail(
            &t,
            m,
            &[Operation::RevokeRelationshipRequest],
            &format!("{b} revoke_relationship_request"),
        )
        .await;
        let lone = t.customer_alone().await;
        let declined = app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        let m = mark(&t).await;
        app.decline_relationship_request(&lone.admin, &declined.token)
            .await
            .expect("decline");
        assert_trail(
            &t,
            m,
            &[Operation::DeclineRelationshipRequest],
            &format!("{b} decline_relationship_request"),
        )
        .await;
        let accepted = app
            .create_relationship_request(&partner.admin, false)
            .await
            .expect("request");
        let m = mark(&t).await;
        app.accept_relationship_request(&lone.admin, &accepted.token)
            .await
            .expect("accept");
        assert_trail(
            &t,
            m,
            &[Operation::AcceptRelationshipRequest],
            &format!("{b} accept_relationship_request"),
        )
        .await;
        let with_dap = app
            .create_relationship_request(&partner.admin, true)
            .await
            .expect("request with DAP");
        let m = mark(&t).await;
        app.accept_relationship_request(&lone.admin, &with_dap.token)
            .await
            .expect("consent to DAP");
        assert_trail(
            &t,
            m,
            &[Operation::ApproveDap, Operation::AcceptDelegatedAdminRequest],
            &format!("{b} accept_relationship_request on an active relationship"),
        )
        .await;

        // Delegated admin.
        let dap_customer = t.customer_alone().await;
        let request = app
            .create_relationship_request(&partner.admin, true)
            .await
            .expect("request with DAP");
        let m = mark(&t).await;
        app.accept_relationship_request(&dap_customer.admin, &request.token)
            .await
            .expect("accept with DAP");
        assert_trail(
            &t,
            m,
            &[Operation::AcceptRelationshipRequest, Operation::ApproveDap],
            &format!("{b} accept_relationship_request with DAP"),
        )
        .await;
        let m = mark(&t).await;
        app.terminate_dap(&partner.admin, dap_customer.id)
            .await
            .expect("revoke DAP");
        assert_trail(&t, m, &[Operation::TerminateDap], &format!("{b} terminate_dap")).await;
        let m = mark(&t).await;
        app.approve_dap(&partner.admin, dap_customer.id)
            .await
            .expect("grant DAP");
        assert_trail(&t, m, &[Operation::ApproveDap], &format!("{b} approve_dap")).await;
        t.gdap(partner.id, dap_customer.id, GdapStatus::Active, None).await;
        let m = mark(&t).await;
        app.remove_partner_admin_roles(&dap_customer.admin, partner.id)
            .await
            .expect("remove admin roles");
        assert_trail(
            &t,
            m,
            &[Operation::TerminateDap, Operation::TerminateGdap],
            &format!("{b} remove_partner_admin_roles"),
        )
        .await;

        // Removal, three ways.
        let m = mark(&t).await;
        app.remove_relationship(&partner.admin, dap_customer.id, Some("done"), None)
            .await
            .expect("remove");
        assert_trail(
            &t,
            m,
            &[Operation::RemoveRelationship],
            &format!("{b} remove_relationship"),
        )
        .await;
        let m = mark(&t).await;
        app.end_relationship_as_customer(&lone.admin, partner.id, Some("done"))
            .await
            .expect("end as customer");
        assert_trail(
            &t,
            m,
            // The DAP it consented to ends with the relationship.
            &[Operation::TerminateDap, Operation::EndRelationshipAsCustomer],
            &format!("{b} end_relationship_as_customer"),
        )
        .await;

        // Indirect resellers.
        let provider = t.partner(PartnerType::IndirectProvider).await;
        let reseller = t.partner(PartnerType::IndirectReseller).await;
        let m = mark(&t).await;
        app.link_indirect_reseller(&provider.admin, reseller.id)
            .await
            .expect("link");
        assert_trail(
            &t,
            m,
            &[Operation::LinkIndirectReseller],
            &format!("{b} link_indirect_reseller"),
        )
        .await;
        let m = mark(&t).await;
        app.unlink_indirect_reseller(&provider.admin, reseller.id)
            .await
            .expect("unlink");
        assert_trail(
            &t,
            m,
            &[Operation::UnlinkIndirectReseller],
            &format!("{b} unlink_indirect_reseller"),
        )
        .await;
    }
}

#[tokio::test]
async fn offboarding_records_every_change_it_makes_with_the_relationships_removal() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        t.app.approve_dap(&partner.admin, customer.id).await.expect("DAP");
        let gdap = t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let suspended = t.buy(&partner, customer.id, 2).await;
        let supported = t.buy(&partner, customer.id, 1).await;
        t.app
            .update_subscription_support_contact(&partner.admin, customer.id, supported.id, partner.id)
            .await
            .expect("support contact");
        t.app
            .suspend_subscription(&partner.admin, customer.id, supported.id)
            .await
            .expect("suspend");
        let m = mark(&t).await;
        t.app
            .offboard_customer(&partner.admin, customer.id, Some("leaving"))
            .await
            .expect("offboard");
        // One suspension (the active subscription) and one support assignment cleared (the
        // suspended one), in the order of the customer's subscriptions.
        let mut subscriptions = [
            (suspended.id, Operation::UpdateSubscription),
            (supported.id, Operation::UpdateSubscriptionSupportContact),
        ];
        subscriptions.sort_by_key(|(id, _)| *id);
        let mut expected: Vec<_> = subscriptions.iter().map(|(_, op)| *op).collect();
        expected.extend([
            Operation::TerminateDap,
            Operation::TerminateGdap,
            Operation::OffboardCustomer,
        ]);
        assert_trail(&t, m, &expected, &format!("{b} offboard_customer")).await;

        // The DAP and GDAP records name what ended, for this partner and customer.
        let mut tx = t.db.store.read().await.expect("read");
        let audits = tx.list_audit(Some(customer.id), None, 1000).await.expect("audit");
        tx.rollback().await.expect("rollback");
        let gdap_record = audits
            .iter()
            .rev()
            .find(|a| a.operation == Operation::TerminateGdap.audit_name())
            .expect("GDAP audited");
        assert_eq!(gdap_record.resource_id, gdap.to_string(), "{b}");
        assert_eq!(gdap_record.partner_id, Some(partner.id), "{b}");
        assert_eq!(gdap_record.actor_user_id, Some(partner.admin.user_id), "{b}");
        let dap_record = audits
            .iter()
            .rev()
            .find(|a| a.operation == Operation::TerminateDap.audit_name())
            .expect("DAP audited");
        assert_eq!(dap_record.customer_id, Some(customer.id), "{b}");
        assert!(dap_record.before.is_some(), "{b}: the grant that ended");
    }
}

#[tokio::test]
async fn a_refused_removal_leaves_no_trail() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        t.app.approve_dap(&partner.admin, customer.id).await.expect("DAP");
        t.buy(&partner, customer.id, 1).await;
        let m = mark(&t).await;
        let err = t
            .app
            .remove_relationship(&partner.admin, customer.id, None, None)
            .await
            .expect_err("an active subscription");
        assert_eq!(err.code(), "active_subscriptions_exist", "{b}: {err:?}");
        assert_trail(&t, m, &[], &format!("{b} refused removal")).await;
    }
}

/// Audit records and events are written in one place; a use case names its operation.
#[test]
fn no_use_case_writes_the_trail_by_hand() {
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 10, "found the sources");
    for file in files {
        if file.ends_with("audit.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read");
        for forbidden in [
            "AuditRecord {",
            "OutboxEvent {",
            "insert_audit",
            "insert_event",
            "Change::new(Some(caller), \"",
        ] {
            assert!(!text.contains(forbidden), "{}: {forbidden}", file.display());
        }
    }
}

#[tokio::test]
async fn an_expired_subscription_is_audited_with_no_actor_and_published_and_a_deleted_one_cannot_expire() {
    use partnerdesk_app::subscriptions::SubscriptionPatch;
    use partnerdesk_app::AppError;
    use partnerdesk_domain::subscription::SubscriptionStatus;
    use partnerdesk_domain::DomainError;

    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let sub = t.buy(&partner, customer.id, 3).await;

        let m = mark(&t).await;
        let expired = t.app.expire_subscription(sub.id).await.expect("expire");
        assert_eq!(expired.status, SubscriptionStatus::Expired, "{b}");
        let seen = t
            .app
            .get_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("the partner reads it");
        assert_eq!(seen.status, SubscriptionStatus::Expired, "{b}: stored");
        assert_eq!(seen.version, expired.version, "{b}: the version it returned");
        assert_trail(
            &t,
            m,
            &[Operation::ExpireSubscription],
            &format!("{b} expire_subscription"),
        )
        .await;
        let mut tx = t.db.store.read().await.expect("read");
        let record = tx
            .list_audit(Some(customer.id), None, 10_000)
            .await
            .expect("audit")
            .into_iter()
            .find(|a| a.operation == "expire_subscription")
            .expect("the record");
        tx.rollback().await.expect("rollback");
        assert_eq!(record.actor_user_id, None, "{b}: a system change has no actor");
        assert_eq!(record.resource_id, sub.id.to_string(), "{b}");
        assert_eq!(record.partner_id, Some(partner.id), "{b}");

        // Expiring it again changes nothing and leaves no trail.
        let m = mark(&t).await;
        let again = t.app.expire_subscription(sub.id).await.expect("expire again");
        assert_eq!(again.version, expired.version, "{b}: unchanged");
        assert_trail(&t, m, &[], &format!("{b} expire twice")).await;

        // A deleted subscription is refused by the state machine, and nothing changes.
        let other = t.buy(&partner, customer.id, 2).await;
        let patch = SubscriptionPatch {
            status: Some(SubscriptionStatus::Deleted),
            ..Default::default()
        };
        t.app
            .update_subscription(&partner.admin, customer.id, other.id, patch, None)
            .await
            .expect("delete");
        let m = mark(&t).await;
        let refused = t.app.expire_subscription(other.id).await.expect_err("refused");
        assert!(
            matches!(refused, AppError::Domain(DomainError::SubscriptionDeleted)),
            "{b}: {refused:?}"
        );
        let seen = t
            .app
            .list_subscriptions(&partner.admin, customer.id)
            .await
            .expect("list")
            .into_iter()
            .find(|s| s.id == other.id)
            .expect("still listed");
        assert_eq!(seen.status, SubscriptionStatus::Deleted, "{b}: still deleted");
        assert_trail(&t, m, &[], &format!("{b} expire a deleted one")).await;
    }
}
