//! GDAP through the use cases: the life of a relationship, who may see and touch it, each
//! refusal with its code, access assignments and security groups, the role catalogue, bulk
//! changes, and the delegated admin job with a controlled clock and two racing workers.
//! Each test runs on every backend.

use std::sync::Arc;

use chrono::Duration;
use partnerdesk_app::gdap::{GdapAction, GdapFilter, GdapPatch, GdapStatus, NewGdapRelationship};
use partnerdesk_app::roles::{NewRole, RolePatch};
use partnerdesk_app::{App, AppConfig, AppError, Clock, DelegatedAdminJobReport, V7Ids};
use partnerdesk_domain::gdap::GLOBAL_ADMINISTRATOR_ROLE;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::GdapId;
use partnerdesk_testkit::{backends, TestApp};

const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";

fn new(name: &str, customer: Option<partnerdesk_domain::CustomerId>) -> NewGdapRelationship {
    NewGdapRelationship {
        display_name: name.into(),
        duration: "P730D".into(),
        roles: vec![HELPDESK.into(), USER_ADMIN.into()],
        customer,
        auto_extend: None,
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    r.expect_err("refused").code()
}

/// The event types in the outbox, in order.
async fn events(t: &TestApp) -> Vec<String> {
    let mut tx = t.db.store.read().await.expect("read");
    tx.list_pending_events(100_000)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.event_type)
        .collect()
}

fn count(events: &[String], name: &str) -> usize {
    events.iter().filter(|e| *e == name).count()
}

#[tokio::test]
async fn a_relationship_is_created_locked_approved_by_the_customer_and_terminated() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;

        let g = t
            .app
            .create_gdap_relationship(&partner.admin, new("Helpdesk", Some(customer.id)))
            .await
            .expect("create");
        assert_eq!(
            (g.status, g.duration_days, g.version),
            (GdapStatus::Created, 730, 1),
            "{b}"
        );

        let lock = t
            .app
            .request_gdap_action(&partner.admin, g.id, GdapAction::LockForApproval)
            .await
            .expect("lock");
        assert_eq!(lock.action, GdapAction::LockForApproval, "{b}");
        let pending = t
            .app
            .gdap_relationship(&customer.admin, g.id)
            .await
            .expect("customer sees it");
        assert_eq!(pending.status, GdapStatus::ApprovalPending, "{b}");
        assert_eq!(pending.locked_at, Some(t.clock.now()), "{b}");

        t.clock.advance(Duration::days(3));
        t.app
            .request_gdap_action(&customer.admin, g.id, GdapAction::Approve)
            .await
            .expect("approve");
        let active = t.app.gdap_relationship(&partner.admin, g.id).await.expect("get");
        assert_eq!(active.status, GdapStatus::Active, "{b}");
        assert_eq!(active.activated_at, Some(t.clock.now()), "{b}");
        assert_eq!(active.ends_at, Some(t.clock.now() + Duration::days(730)), "{b}");
        assert_eq!(
            active
                .customer_display_name
                .as_deref()
                .map(|n| n.starts_with("Customer")),
            Some(true),
            "{b}"
        );

        t.app
            .request_gdap_action(&partner.admin, g.id, GdapAction::Terminate)
            .await
            .expect("terminate");
        let ended = t.app.gdap_relationship(&customer.admin, g.id).await.expect("get");
        assert_eq!(
            (ended.status, ended.ended_at),
            (GdapStatus::Terminated, Some(t.clock.now())),
            "{b}"
        );

        let requests: Vec<_> = t
            .app
            .gdap_requests(&partner.admin, g.id)
            .await
            .expect("requests")
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert_eq!(
            requests,
            vec![GdapAction::LockForApproval, GdapAction::Approve, GdapAction::Terminate],
            "{b}"
        );
        let ev = events(&t).await;
        for name in [
            "granular-admin-relationship-created",
            "granular-admin-relationship-approved",
            "granular-admin-relationship-activated",
            "granular-admin-relationship-terminated",
        ] {
            assert_eq!(count(&ev, name), 1, "{b}: {name} in {ev:?}");
        }
        // Ended: no way back.
        let again = t
            .app
            .request_gdap_action(&partner.admin, g.id, GdapAction::Terminate)
            .await;
        assert_eq!(code(again), "invalid_transition", "{b}");
    }
}

#[tokio::test]
async fn a_relationship_offered_to_any_customer_is_bound_to_the_one_that_approves_and_a_rejected_one_ends() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let other = t.customer_of(&partner).await;

        let open = t
            .app
            .create_gdap_relationship(&partner.admin, new("Open", None))
            .await
            .expect("create");
        // Not offered yet: the customer does not see it.
        assert_eq!(
            code(t.app.gdap_relationship(&customer.admin, open.id).await),
            "not_found",
            "{b}"
        );
        t.app
            .request_gdap_action(&partner.admin, open.id, GdapAction::LockForApproval)
            .await
            .expect("lock");
        t.app
            .request_gdap_action(&customer.admin, open.id, GdapAction::Approve)
            .await
            .expect("approve");
        let bound = t.app.gdap_relationship(&partner.admin, open.id).await.expect("get");
        assert_eq!(bound.customer_id, Some(customer.id), "{b}");
        // Now it is the customer's: another customer no longer sees it.
        assert_eq!(
            code(t.app.gdap_relationship(&other.admin, open.id).await),
            "not_found",
            "{b}"
        );

        let named = t
            .app
            .create_gdap_relationship(&partner.admin, new("Named", Some(customer.id)))
            .await
            .expect("create");
        t.app
            .request_gdap_action(&partner.admin, named.id, GdapAction::LockForApproval)
            .await
            .expect("lock");
        assert_eq!(
            code(
                t.app
                    .request_gdap_action(&other.admin, named.id, GdapAction::Approve)
                    .await
            ),
            "not_found",
            "{b}: another customer cannot approve"
        );
        t.app
            .request_gdap_action(&customer.admin, named.id, GdapAction::Reject)
            .await
            .expect("reject");
        let rejected = t.app.gdap_relationship(&partner.admin, named.id).await.expect("get");
        assert_eq!(
            rejected.status,
            GdapStatus::Terminated,
            "{b}: Graph has no rejected status"
        );
    }
}

#[tokio::test]
async fn partners_and_customers_see_and_touch_only_their_own() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let a = t.partner(PartnerType::Direct).await;
        let other = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&a).await;
        let stranger = t.customer_of(&other).await;
        let g = t.gdap(a.id, customer.id, GdapStatus::Active, None).await;
        let current = t.app.gdap_relationship(&a.admin, g).await.expect("own");

        // Partner B: as if it did not exist.
        assert_eq!(code(t.app.gdap_relationship(&other.admin, g).await), "not_found", "{b}");
        let patch = GdapPatch {
            auto_extend: Some("P180D".into()),
            ..GdapPatch::default()
        };
        assert_eq!(
            code(
                t.app
                    .update_gdap_relationship(&other.admin, g, current.version, patch.clone())
                    .await
            ),
            "not_found",
            "{b}"
        );
        assert_eq!(
            code(t.app.request_gdap_action(&other.admin, g, GdapAction::Terminate).await),
            "not_found",
            "{b}"
        );
        assert_eq!(code(t.app.gdap_requests(&other.admin, g).await), "not_found", "{b}");
        let listed = t
            .app
            .gdap_relationships(&other.admin, GdapFilter::default(), None, 50)
            .await
            .expect("list");
        assert!(listed.is_empty(), "{b}");
        assert_eq!(
            t.app
                .count_gdap_relationships(&other.admin, GdapFilter::default())
                .await,
            Ok(0),
            "{b}"
        );
        // Another customer's admin: not found either.
        assert_eq!(
            code(t.app.gdap_relationship(&stranger.admin, g).await),
            "not_found",
            "{b}"
        );
        // The customer lists those naming it; a filter on another customer finds nothing.
        let mine = t
            .app
            .gdap_relationships(&customer.admin, GdapFilter::default(), None, 50)
            .await
            .expect("list");
        assert_eq!(mine.iter().map(|g| g.id).collect::<Vec<_>>(), vec![g], "{b}");
        let elsewhere = GdapFilter {
            customer: Some(stranger.id),
            ..GdapFilter::default()
        };
        assert_eq!(
            t.app.count_gdap_relationships(&customer.admin, elsewhere).await,
            Ok(0),
            "{b}"
        );

        // Roles that may not: a helpdesk agent cannot create; a customer cannot lock; a
        // partner cannot approve; a customer's plain user sees nothing.
        let helpdesk = t.user_with_role(&a.admin, "helpdesk_agent").await;
        assert_eq!(
            code(t.app.create_gdap_relationship(&helpdesk, new("Nope", None)).await),
            "forbidden_role",
            "{b}"
        );
        assert_eq!(
            code(
                t.app
                    .request_gdap_action(&customer.admin, g, GdapAction::LockForApproval)
                    .await
            ),
            "forbidden_role",
            "{b}"
        );
        assert_eq!(
            code(t.app.request_gdap_action(&a.admin, g, GdapAction::Approve).await),
            "forbidden_role",
            "{b}"
        );
        let plain = t.user_with_role(&customer.admin, "user").await;
        assert_eq!(code(t.app.gdap_relationship(&plain, g).await), "forbidden_role", "{b}");
        assert_eq!(
            code(t.app.gdap_relationship(&t.operator, g).await),
            "forbidden_role",
            "{b}"
        );

        // The customer's global admin ends it (rule 8).
        t.app
            .request_gdap_action(&customer.admin, g, GdapAction::Terminate)
            .await
            .expect("customer terminates");
        assert_eq!(
            t.app.gdap_relationship(&a.admin, g).await.map(|g| g.status),
            Ok(GdapStatus::Terminated),
            "{b}"
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_its_code_and_changes_nothing() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let p = &partner.admin;

        let mut bad = new("Bad", None);
        bad.duration = "730 days, 0:00:00".into();
        assert_eq!(
            code(t.app.create_gdap_relationship(p, bad).await),
            "invalid_gdap_duration",
            "{b}"
        );
        let mut bad = new("Bad", None);
        bad.auto_extend = Some("P90D".into());
        assert_eq!(
            code(t.app.create_gdap_relationship(p, bad).await),
            "invalid_gdap_auto_extend",
            "{b}"
        );
        let mut bad = new("Bad", None);
        bad.roles = vec!["not-a-role".into()];
        assert_eq!(
            code(t.app.create_gdap_relationship(p, bad).await),
            "invalid_property",
            "{b}"
        );
        assert_eq!(
            code(t.app.create_gdap_relationship(p, new(&"x".repeat(51), None)).await),
            "invalid_property",
            "{b}"
        );
        let mut bad = new("Bad", None);
        bad.roles = vec![GLOBAL_ADMINISTRATOR_ROLE.into()];
        bad.auto_extend = Some("P180D".into());
        assert_eq!(
            code(t.app.create_gdap_relationship(p, bad).await),
            "gdap_auto_extend_not_allowed",
            "{b}"
        );
        let mut bad = new("Bad", Some(partnerdesk_domain::CustomerId(uuid::Uuid::now_v7())));
        bad.display_name = "Unknown customer".into();
        assert_eq!(code(t.app.create_gdap_relationship(p, bad).await), "not_found", "{b}");
        assert_eq!(
            t.app.count_gdap_relationships(p, GdapFilter::default()).await,
            Ok(0),
            "{b}: nothing made"
        );

        let first = t
            .app
            .create_gdap_relationship(p, new("Helpdesk", None))
            .await
            .expect("create");
        assert_eq!(
            code(t.app.create_gdap_relationship(p, new("  HELPDESK ", None)).await),
            "conflict",
            "{b}: display names are unique per partner, case folded"
        );
        // Another partner may use the same name.
        let other = t.partner(PartnerType::Direct).await;
        t.app
            .create_gdap_relationship(&other.admin, new("Helpdesk", None))
            .await
            .expect("same name, other partner");

        // Without roles it cannot be locked.
        let mut empty = new("Empty", None);
        empty.roles.clear();
        let empty = t.app.create_gdap_relationship(p, empty).await.expect("create");
        assert_eq!(
            code(
                t.app
                    .request_gdap_action(p, empty.id, GdapAction::LockForApproval)
                    .await
            ),
            "gdap_roles_required",
            "{b}"
        );
        assert!(
            t.app.gdap_requests(p, empty.id).await.expect("requests").is_empty(),
            "{b}"
        );

        // Patch with the ETag; a stale one is a version conflict.
        let renamed = t
            .app
            .update_gdap_relationship(
                p,
                first.id,
                first.version,
                GdapPatch {
                    display_name: Some("Helpdesk (EU)".into()),
                    duration: Some("P1Y".into()),
                    ..GdapPatch::default()
                },
            )
            .await
            .expect("patch");
        assert_eq!(
            (renamed.display_name.as_str(), renamed.duration_days, renamed.version),
            ("Helpdesk (EU)", 365, 2),
            "{b}"
        );
        let stale = t
            .app
            .update_gdap_relationship(
                p,
                first.id,
                first.version,
                GdapPatch {
                    display_name: Some("Again".into()),
                    ..GdapPatch::default()
                },
            )
            .await;
        assert_eq!(code(stale), "version_conflict", "{b}");

        // Active: only auto-extend and roles change; a role change is an operation.
        let g = t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let active = t.app.gdap_relationship(p, g).await.expect("get");
        let rename = GdapPatch {
            display_name: Some("Renamed".into()),
            ..GdapPatch::default()
        };
        assert_eq!(
            code(t.app.update_gdap_relationship(p, g, active.version, rename).await),
            "gdap_property_not_editable",
            "{b}"
        );
        let roles = GdapPatch {
            roles: Some(vec![HELPDESK.into(), USER_ADMIN.into()]),
            ..GdapPatch::default()
        };
        let changed = t
            .app
            .update_gdap_relationship(p, g, active.version, roles)
            .await
            .expect("roles");
        assert_eq!(changed.roles, vec![HELPDESK.to_string(), USER_ADMIN.to_string()], "{b}");
        let ops = t.app.gdap_operations(p, g).await.expect("operations");
        assert_eq!(ops.len(), 1, "{b}");
        // Only a created one may be deleted.
        assert_eq!(
            code(t.app.delete_gdap_relationship(p, g, changed.version).await),
            "invalid_transition",
            "{b}"
        );
        assert_eq!(
            code(t.app.delete_gdap_relationship(p, empty.id, empty.version + 1).await),
            "version_conflict",
            "{b}"
        );
        t.app
            .delete_gdap_relationship(p, empty.id, empty.version)
            .await
            .expect("delete created");
        assert_eq!(code(t.app.gdap_relationship(p, empty.id).await), "not_found", "{b}");
    }
}

#[tokio::test]
async fn lists_page_by_id_filter_by_status_and_customer_and_count() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let c1 = t.customer_of(&partner).await;
        let c2 = t.customer_of(&partner).await;
        let mut ids = vec![
            t.gdap(partner.id, c1.id, GdapStatus::Active, None).await,
            t.gdap(partner.id, c1.id, GdapStatus::Created, None).await,
            t.gdap(partner.id, c2.id, GdapStatus::Active, None).await,
            t.gdap(partner.id, c2.id, GdapStatus::ApprovalPending, None).await,
            t.gdap(partner.id, c2.id, GdapStatus::Terminated, None).await,
        ];
        ids.sort();
        let mut seen = Vec::new();
        let mut after: Option<GdapId> = None;
        loop {
            let page = t
                .app
                .gdap_relationships(&partner.admin, GdapFilter::default(), after, 2)
                .await
                .expect("page");
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 2, "{b}");
            after = page.last().map(|g| g.id);
            seen.extend(page.into_iter().map(|g| g.id));
        }
        assert_eq!(seen, ids, "{b}: every relationship once, by id");
        let active = GdapFilter {
            status: Some(GdapStatus::Active),
            ..GdapFilter::default()
        };
        assert_eq!(
            t.app.count_gdap_relationships(&partner.admin, active).await,
            Ok(2),
            "{b}"
        );
        let of_c2 = GdapFilter {
            customer: Some(c2.id),
            ..GdapFilter::default()
        };
        assert_eq!(
            t.app.count_gdap_relationships(&partner.admin, of_c2).await,
            Ok(3),
            "{b}"
        );
        let both = GdapFilter {
            status: Some(GdapStatus::Active),
            customer: Some(c2.id),
        };
        let listed = t
            .app
            .gdap_relationships(&partner.admin, both, None, 50)
            .await
            .expect("list");
        assert_eq!(listed.len(), 1, "{b}");
        let customers: Vec<_> = t
            .app
            .delegated_admin_customers(&partner.admin)
            .await
            .expect("customers")
            .into_iter()
            .map(|c| c.tenant_id)
            .collect();
        let mut expected = vec![c1.id, c2.id];
        expected.sort();
        assert_eq!(customers, expected, "{b}");
    }
}

#[tokio::test]
async fn access_assignments_give_a_partner_group_a_subset_of_the_roles() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let other = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let p = &partner.admin;
        let g = t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let agent = t.user_with_role(p, "admin_agent").await;
        let (group, assignment) = t
            .security_group_with_access(p, "Tier 1", agent.user_id, g, &[HELPDESK])
            .await;
        let detail = t.app.security_group(p, group.id).await.expect("group");
        assert_eq!(
            detail.members.iter().map(|m| m.user_id).collect::<Vec<_>>(),
            vec![agent.user_id],
            "{b}"
        );
        assert_eq!(
            t.app.access_assignments(p, g).await.expect("list"),
            vec![assignment.clone()],
            "{b}"
        );
        // The customer sees the assignments of its relationship.
        assert_eq!(
            t.app.access_assignments(&customer.admin, g).await.map(|a| a.len()),
            Ok(1),
            "{b}"
        );

        // Roles outside the relationship's, a second assignment of the group, another
        // partner's group or user: refused.
        let g2 = t.app.create_security_group(p, "Tier 2").await.expect("group");
        assert_eq!(
            code(
                t.app
                    .create_access_assignment(p, g, g2.id, vec![GLOBAL_ADMINISTRATOR_ROLE.into()])
                    .await
            ),
            "invalid_property",
            "{b}"
        );
        assert_eq!(
            code(
                t.app
                    .create_access_assignment(p, g, group.id, vec![HELPDESK.into()])
                    .await
            ),
            "conflict",
            "{b}"
        );
        let foreign = t
            .app
            .create_security_group(&other.admin, "Theirs")
            .await
            .expect("group");
        assert_eq!(
            code(
                t.app
                    .create_access_assignment(p, g, foreign.id, vec![HELPDESK.into()])
                    .await
            ),
            "not_found",
            "{b}"
        );
        assert_eq!(
            code(t.app.add_security_group_member(p, group.id, other.admin.user_id).await),
            "not_found",
            "{b}"
        );
        assert_eq!(
            code(t.app.security_group(&other.admin, group.id).await),
            "not_found",
            "{b}"
        );
        assert_eq!(
            code(t.app.create_security_group(p, "tier 1").await),
            "conflict",
            "{b}: group names are unique per partner"
        );
        // A role the assignment uses stays in the relationship.
        let current = t.app.gdap_relationship(p, g).await.expect("get");
        let drop_helpdesk = GdapPatch {
            roles: Some(vec![USER_ADMIN.into()]),
            ..GdapPatch::default()
        };
        assert_eq!(
            code(
                t.app
                    .update_gdap_relationship(p, g, current.version, drop_helpdesk)
                    .await
            ),
            "invalid_property",
            "{b}"
        );
        // A group in use is not deleted; its assignment first.
        assert_eq!(code(t.app.delete_security_group(p, group.id).await), "conflict", "{b}");
        let updated = t
            .app
            .update_access_assignment(p, g, assignment.id, assignment.version, vec![HELPDESK.into()])
            .await
            .expect("same roles");
        assert_eq!(updated.version, assignment.version, "{b}: nothing changed");
        assert_eq!(
            code(
                t.app
                    .delete_access_assignment(p, g, assignment.id, assignment.version + 1)
                    .await
            ),
            "version_conflict",
            "{b}"
        );
        t.app
            .delete_access_assignment(p, g, assignment.id, assignment.version)
            .await
            .expect("delete assignment");
        t.app
            .remove_security_group_member(p, group.id, agent.user_id)
            .await
            .expect("remove member");
        t.app.delete_security_group(p, group.id).await.expect("delete group");
        assert_eq!(
            t.app
                .security_groups(p)
                .await
                .map(|g| g.into_iter().map(|g| g.display_name).collect::<Vec<_>>()),
            Ok(vec!["Tier 2".to_string()]),
            "{b}"
        );
        // Not in force: no new assignment.
        let pending = t.gdap(partner.id, customer.id, GdapStatus::ApprovalPending, None).await;
        assert_eq!(
            code(
                t.app
                    .create_access_assignment(p, pending, g2.id, vec![HELPDESK.into()])
                    .await
            ),
            "invalid_transition",
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_operator_edits_the_role_catalogue_others_only_read_it() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let roles = t.app.roles().await.expect("roles");
        assert!(
            roles
                .iter()
                .any(|r| r.id == GLOBAL_ADMINISTRATOR_ROLE && r.name == "Global Administrator"),
            "{b}"
        );
        let input = NewRole {
            id: Some("partnerdesk-billing-reader".into()),
            name: "Billing Reader".into(),
            description: "Reads invoices.".into(),
        };
        assert_eq!(
            code(t.app.create_role(&partner.admin, input.clone()).await),
            "forbidden_role",
            "{b}"
        );
        let role = t.app.create_role(&t.operator, input.clone()).await.expect("create");
        assert_eq!(code(t.app.create_role(&t.operator, input).await), "conflict", "{b}");
        let patch = RolePatch {
            description: Some("Reads invoices and statements.".into()),
            ..RolePatch::default()
        };
        let updated = t
            .app
            .update_role(&t.operator, &role.id, role.version, patch.clone())
            .await
            .expect("update");
        assert_eq!(updated.version, 2, "{b}");
        assert_eq!(
            code(t.app.update_role(&t.operator, &role.id, role.version, patch).await),
            "version_conflict",
            "{b}"
        );
        // The new role can be granted.
        let mut g = new("Billing", None);
        g.roles = vec![role.id.clone()];
        t.app
            .create_gdap_relationship(&partner.admin, g)
            .await
            .expect("uses the new role");
    }
}

#[tokio::test]
async fn a_bulk_change_gives_a_result_per_item() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let other = t.partner(PartnerType::Direct).await;
        let c1 = t.customer_of(&partner).await;
        let c2 = t.customer_of(&partner).await;
        let c3 = t.customer_of(&other).await;
        let g1 = t.gdap(partner.id, c1.id, GdapStatus::Active, None).await;
        let g2 = t.gdap(partner.id, c2.id, GdapStatus::Active, None).await;
        let theirs = t.gdap(other.id, c3.id, GdapStatus::Active, None).await;
        let extend = GdapPatch {
            auto_extend: Some("P180D".into()),
            ..GdapPatch::default()
        };
        let bad = GdapPatch {
            auto_extend: Some("forever".into()),
            ..GdapPatch::default()
        };
        let out = t
            .app
            .bulk_update_gdap(
                &partner.admin,
                vec![(g1, extend.clone()), (theirs, extend.clone()), (g2, bad), (g2, extend)],
            )
            .await
            .expect("bulk");
        let codes: Vec<_> = out
            .iter()
            .map(|r| r.as_ref().map(|g| g.auto_extend_days).map_err(AppError::code))
            .collect();
        assert_eq!(
            codes,
            vec![Ok(180), Err("not_found"), Err("invalid_gdap_auto_extend"), Ok(180)],
            "{b}"
        );
        assert_eq!(
            t.app
                .gdap_relationship(&other.admin, theirs)
                .await
                .map(|g| g.auto_extend_days),
            Ok(0),
            "{b}"
        );
    }
}

/// A second app on the same database and clock: another node.
fn second_node(t: &TestApp) -> App {
    App::with_clock(
        t.db.store.clone(),
        AppConfig::default(),
        t.clock.clone(),
        Arc::new(V7Ids),
    )
}

#[tokio::test]
async fn the_job_expires_requests_and_relationships_extends_and_warns_once() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let p = &partner.admin;
        let pending = t.gdap(partner.id, customer.id, GdapStatus::ApprovalPending, None).await;
        let short = t
            .gdap(
                partner.id,
                customer.id,
                GdapStatus::Active,
                Some(t.clock.now() + Duration::days(60)),
            )
            .await;
        let extending = t
            .gdap(
                partner.id,
                customer.id,
                GdapStatus::Active,
                Some(t.clock.now() + Duration::days(60)),
            )
            .await;
        let v = t.app.gdap_relationship(p, extending).await.expect("get").version;
        let extend = GdapPatch {
            auto_extend: Some("P180D".into()),
            ..GdapPatch::default()
        };
        t.app
            .update_gdap_relationship(p, extending, v, extend)
            .await
            .expect("auto-extend");

        assert_eq!(
            t.app.run_delegated_admin_job().await,
            Ok(DelegatedAdminJobReport::default()),
            "{b}"
        );

        // 31 days on: `short` ends within 30 days: warned, once.
        t.clock.advance(Duration::days(31));
        let r = t.app.run_delegated_admin_job().await.expect("job");
        assert_eq!((r.warned, r.total()), (1, 1), "{b}");
        assert_eq!(
            t.app.run_delegated_admin_job().await.map(|r| r.total()),
            Ok(0),
            "{b}: once"
        );
        assert_eq!(
            t.app.gdap_relationship(p, short).await.map(|g| g.status),
            Ok(GdapStatus::Expiring),
            "{b}"
        );
        assert_eq!(
            t.app.partner_overview(p).await.map(|o| o.delegated_admin_expiring),
            Ok(1),
            "{b}: the home page counts it"
        );

        // 60 days in: `short` expires at its end, `extending` moves on 180 days.
        t.clock.advance(Duration::days(29));
        let r = t.app.run_delegated_admin_job().await.expect("job");
        assert_eq!((r.expired, r.extended, r.requests_expired), (1, 1, 0), "{b}");
        let expired = t.app.gdap_relationship(p, short).await.expect("get");
        assert_eq!(
            (expired.status, expired.ended_at),
            (GdapStatus::Expired, expired.ends_at),
            "{b}"
        );
        let extended = t.app.gdap_relationship(p, extending).await.expect("get");
        assert_eq!(extended.status, GdapStatus::Active, "{b}");
        assert_eq!(extended.ends_at, Some(t.clock.now() + Duration::days(180)), "{b}");

        // 90 days after the lock: the unapproved request expires; approving is too late.
        t.clock.advance(Duration::days(30));
        let r = t.app.run_delegated_admin_job().await.expect("job");
        assert_eq!(r.requests_expired, 1, "{b}");
        assert_eq!(
            t.app.gdap_relationship(p, pending).await.map(|g| g.status),
            Ok(GdapStatus::Expired),
            "{b}"
        );
        assert_eq!(
            code(
                t.app
                    .request_gdap_action(&customer.admin, pending, GdapAction::Approve)
                    .await
            ),
            "invalid_transition",
            "{b}"
        );
        let ev = events(&t).await;
        assert_eq!(count(&ev, "granular-admin-relationship-expiring"), 1, "{b}");
        assert_eq!(count(&ev, "granular-admin-relationship-expired"), 2, "{b}");
        assert_eq!(count(&ev, "granular-admin-relationship-extended"), 1, "{b}");
    }
}

#[tokio::test]
async fn after_downtime_one_run_catches_up_and_two_racing_workers_do_each_transition_once() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let p = &partner.admin;
        let n = 12;
        let mut ids = Vec::new();
        for i in 0..n {
            let id = t
                .gdap(
                    partner.id,
                    customer.id,
                    GdapStatus::Active,
                    Some(t.clock.now() + Duration::days(10 + i)),
                )
                .await;
            ids.push(id);
        }
        let extending = ids[0];
        let v = t.app.gdap_relationship(p, extending).await.expect("get").version;
        let patch = GdapPatch {
            auto_extend: Some("P180D".into()),
            ..GdapPatch::default()
        };
        t.app
            .update_gdap_relationship(p, extending, v, patch)
            .await
            .expect("auto-extend");
        let pending = t.gdap(partner.id, customer.id, GdapStatus::ApprovalPending, None).await;

        // Two years of downtime, then two nodes start at once.
        t.clock.advance(Duration::days(730));
        let other = second_node(&t);
        let (r1, r2) = tokio::join!(t.app.run_delegated_admin_job(), other.run_delegated_admin_job());
        let (r1, r2) = (r1.expect("worker 1"), r2.expect("worker 2"));
        assert_eq!(r1.expired + r2.expired, (n - 1) as u64, "{b}: {r1:?} {r2:?}");
        assert_eq!(r1.extended + r2.extended, 1, "{b}");
        assert_eq!(r1.requests_expired + r2.requests_expired, 1, "{b}");
        // Ending within 30 days never happened while the job was down: no late warnings.
        assert_eq!(r1.warned + r2.warned, 0, "{b}");

        let ev = events(&t).await;
        assert_eq!(count(&ev, "granular-admin-relationship-expired"), n as usize, "{b}");
        assert_eq!(count(&ev, "granular-admin-relationship-extended"), 1, "{b}");
        let ext = t.app.gdap_relationship(p, extending).await.expect("get");
        assert!(
            ext.ends_at.is_some_and(|e| e > t.clock.now()),
            "{b}: extended past now: {ext:?}"
        );
        assert_eq!(ext.status, GdapStatus::Active, "{b}");
        assert_eq!(
            t.app.gdap_relationship(p, pending).await.map(|g| g.status),
            Ok(GdapStatus::Expired),
            "{b}"
        );
        // Nothing left for either.
        assert_eq!(other.run_delegated_admin_job().await.map(|r| r.total()), Ok(0), "{b}");
    }
}

#[tokio::test]
async fn removal_terminates_gdap_with_its_end_time_and_event() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let active = t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let pending = t.gdap(partner.id, customer.id, GdapStatus::ApprovalPending, None).await;
        t.clock.advance(Duration::hours(2));
        t.app
            .remove_relationship(&partner.admin, customer.id, Some("done"), None)
            .await
            .expect("remove");
        for id in [active, pending] {
            let g = t.app.gdap_relationship(&customer.admin, id).await.expect("get");
            assert_eq!(
                (g.status, g.ended_at),
                (GdapStatus::Terminated, Some(t.clock.now())),
                "{b}"
            );
        }
        assert_eq!(
            count(&events(&t).await, "granular-admin-relationship-terminated"),
            2,
            "{b}"
        );
    }
}

#[tokio::test]
async fn an_indirect_reseller_has_its_own_gdap_which_its_provider_does_not_see() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let provider = t.partner(PartnerType::IndirectProvider).await;
        let reseller = t.partner_under(PartnerType::IndirectReseller, Some(provider.id)).await;
        let customer = t.customer_with(&provider, Some(reseller.id)).await;
        let g = t
            .app
            .create_gdap_relationship(&reseller.admin, new("Reseller helpdesk", Some(customer.id)))
            .await
            .expect("an indirect reseller creates GDAP");
        t.app
            .request_gdap_action(&reseller.admin, g.id, GdapAction::LockForApproval)
            .await
            .expect("lock");
        t.app
            .request_gdap_action(&customer.admin, g.id, GdapAction::Approve)
            .await
            .expect("approve");
        assert_eq!(
            code(t.app.gdap_relationship(&provider.admin, g.id).await),
            "not_found",
            "{b}"
        );
        assert_eq!(
            t.app
                .count_gdap_relationships(&provider.admin, GdapFilter::default())
                .await,
            Ok(0),
            "{b}"
        );
        assert_eq!(
            t.app.gdap_relationship(&reseller.admin, g.id).await.map(|g| g.status),
            Ok(GdapStatus::Active),
            "{b}"
        );
    }
}

#[tokio::test]
async fn relationships_ending_soon_page_by_their_end_and_requests_and_operations_are_read_by_id() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let now = t.clock.now();
        // Ending in 20, 5, 12 and 100 days; one that extends itself is left out.
        let mut ending = Vec::new();
        for days in [20, 5, 12, 100] {
            let id = t
                .gdap(
                    partner.id,
                    customer.id,
                    GdapStatus::Active,
                    Some(now + Duration::days(days)),
                )
                .await;
            ending.push((days, id));
        }
        let extends = t
            .gdap(
                partner.id,
                customer.id,
                GdapStatus::Active,
                Some(now + Duration::days(3)),
            )
            .await;
        let g = t.app.gdap_relationship(&partner.admin, extends).await.expect("g");
        let patch = GdapPatch {
            auto_extend: Some("P180D".into()),
            ..GdapPatch::default()
        };
        t.app
            .update_gdap_relationship(&partner.admin, extends, g.version, patch)
            .await
            .expect("extends itself");
        let other = t.partner(PartnerType::Direct).await;
        let theirs = t.customer_of(&other).await;
        t.gdap(other.id, theirs.id, GdapStatus::Active, Some(now + Duration::days(1)))
            .await;

        let first = t.app.gdap_ending_soon(&partner.admin, None, 2).await.expect("page");
        let ids = |page: &[partnerdesk_app::gdap::GdapRelationship]| page.iter().map(|g| g.id).collect::<Vec<_>>();
        let by_days = |d: i64| {
            ending
                .iter()
                .find(|(days, _)| *days == d)
                .map(|(_, id)| *id)
                .expect("made")
        };
        assert_eq!(ids(&first), vec![by_days(5), by_days(12)], "{b}: soonest first");
        let last = first.last().expect("a page");
        let after = Some((last.ends_at.expect("in force"), last.id));
        let second = t.app.gdap_ending_soon(&partner.admin, after, 2).await.expect("page");
        assert_eq!(ids(&second), vec![by_days(20)], "{b}: the rest, not the 100 days one");
        let counted = t.app.partner_overview(&partner.admin).await.expect("overview");
        assert_eq!(counted.delegated_admin_expiring, 3, "{b}: the home count agrees");
        assert!(
            t.app.gdap_ending_soon(&customer.admin, None, 2).await.is_err(),
            "{b}: a partner's list"
        );

        // A request and an operation by id; another relationship's are not found.
        let id = by_days(5);
        let requests = t.app.gdap_requests(&partner.admin, id).await.expect("requests");
        let request = requests.first().expect("its lock").id;
        let found = t.app.gdap_request(&partner.admin, id, request).await.expect("by id");
        assert_eq!(found.id, request, "{b}");
        let g = t.app.gdap_relationship(&partner.admin, id).await.expect("g");
        let patch = GdapPatch {
            roles: Some(vec![HELPDESK.into(), USER_ADMIN.into()]),
            ..GdapPatch::default()
        };
        t.app
            .update_gdap_relationship(&partner.admin, id, g.version, patch)
            .await
            .expect("a role more");
        let operation = t.app.gdap_operations(&partner.admin, id).await.expect("ops")[0].id;
        assert_eq!(
            t.app
                .gdap_operation(&partner.admin, id, operation)
                .await
                .expect("by id")
                .id,
            operation,
            "{b}"
        );
        let elsewhere = by_days(12);
        assert_eq!(
            code(t.app.gdap_request(&partner.admin, elsewhere, request).await),
            "not_found",
            "{b}"
        );
        assert_eq!(
            code(t.app.gdap_operation(&partner.admin, elsewhere, operation).await),
            "not_found",
            "{b}"
        );
        assert_eq!(
            code(t.app.gdap_request(&other.admin, id, request).await),
            "not_found",
            "{b}"
        );
    }
}

#[tokio::test]
async fn a_security_group_is_renamed_at_its_version_with_an_audit_record() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let group = t
            .app
            .create_security_group(&partner.admin, "Tier 1")
            .await
            .expect("group");
        t.app
            .create_security_group(&partner.admin, "Tier 2")
            .await
            .expect("group");
        let renamed = t
            .app
            .rename_security_group(&partner.admin, group.id, Some(group.version), "Tier 1 (days)")
            .await
            .expect("rename");
        assert_eq!(
            (renamed.display_name.as_str(), renamed.version),
            ("Tier 1 (days)", 2),
            "{b}"
        );
        let stale = t
            .app
            .rename_security_group(&partner.admin, group.id, Some(group.version), "Lost")
            .await;
        assert_eq!(code(stale), "version_conflict", "{b}");
        let taken = t
            .app
            .rename_security_group(&partner.admin, group.id, None, "tier 2")
            .await;
        assert!(taken.is_err(), "{b}: a name the partner has");
        let blank = t.app.rename_security_group(&partner.admin, group.id, None, " ").await;
        assert_eq!(code(blank), "invalid_property", "{b}");
        let other = t.partner(PartnerType::Direct).await;
        let theirs = t.app.rename_security_group(&other.admin, group.id, None, "Mine").await;
        assert_eq!(code(theirs), "not_found", "{b}");
        let now = t.app.security_group(&partner.admin, group.id).await.expect("group");
        assert_eq!(now.group, renamed, "{b}: only the first rename changed it");
        let mut tx = t.db.store.read().await.expect("read");
        let audits = tx.list_audit(None, None, 10_000).await.expect("audit");
        tx.rollback().await.expect("rollback");
        let renames = audits.iter().filter(|a| a.operation == "rename_security_group").count();
        assert_eq!(renames, 1, "{b}");
    }
}
