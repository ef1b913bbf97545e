//! DAP grants and GDAP relationships.

use chrono::Duration;
use partnerdesk_domain::gdap::{
    AccessAssignment, AssignmentStatus, GdapAction, GdapFilter, GdapOperation, GdapOperationStatus, GdapOperationType,
    GdapRelationship, GdapRequest, GdapRequestStatus, SecurityGroup, SecurityGroupMember,
};
use partnerdesk_domain::org::{OrgKind, Role};
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_domain::{CustomerId, GdapId, PartnerId};
use partnerdesk_store::StoreError;
use uuid::Uuid;

use crate::support::*;

#[tokio::test]
async fn dap_grants_read_back_oldest_first_and_an_ended_one_keeps_when_and_by_whom() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let mut first = dap(p.id, c.id);
        first.granted_at = now() - chrono::Duration::days(30);
        let second = dap(p.id, c.id);
        let (ended_at, ended_by) = (now(), new_id());

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_dap(&second).await.expect("second");
        tx.insert_dap(&first).await.expect("first");
        tx.end_dap(first.id, ended_at, Some(ended_by)).await.expect("end");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let mut ended = first.clone();
        ended.ended_at = Some(ended_at);
        ended.ended_by = Some(ended_by);
        assert_eq!(
            tx.list_dap(p.id, c.id).await.expect("list"),
            vec![ended, second],
            "{}",
            db.backend
        );
        assert!(
            tx.list_dap(p.id, new_id()).await.expect("list").is_empty(),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn ending_a_dap_grant_that_does_not_exist_is_not_found() {
    for db in partnerdesk_testkit::backends().await {
        let mut tx = db.store.begin().await.expect("begin");
        let err = tx.end_dap(new_id(), now(), None).await.expect_err("no such grant");
        assert!(matches!(err, StoreError::NotFound(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn a_gdap_relationship_reads_back_with_its_roles_and_its_updates_are_version_checked() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let g = gdap(p.id, c.id);
        let mut no_roles = gdap(p.id, c.id);
        no_roles.roles.clear();
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_gdap(&g).await.expect("insert");
        tx.insert_gdap(&no_roles).await.expect("insert without roles");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.list_gdap(p.id, c.id).await.expect("list"),
            vec![g.clone(), no_roles.clone()],
            "{}",
            db.backend
        );
        drop(tx);

        let mut tx = db.store.begin().await.expect("begin");
        let mut active = g.clone();
        active.status = GdapStatus::Active;
        active.ends_at = Some(now() + chrono::Duration::days(730));
        tx.update_gdap(&active).await.expect("activate");
        let mut terminated = g.clone();
        terminated.terminate_for_removal(now());
        let err = tx.update_gdap(&terminated).await.expect_err("stale");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        active.version = 2;
        assert_eq!(
            tx.list_gdap(p.id, c.id).await.expect("list"),
            vec![active, no_roles],
            "{}",
            db.backend
        );
    }
}

fn in_force(p: PartnerId, c: CustomerId, ends_in: Duration) -> GdapRelationship {
    let mut g = gdap(p, c);
    g.status = GdapStatus::Active;
    g.activated_at = Some(now());
    g.ends_at = Some(now() + ends_in);
    g
}

#[tokio::test]
async fn every_column_of_a_gdap_relationship_reads_back_and_deleting_takes_what_hangs_on_it() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let (p, c) = seed_pair(&db).await;
        let mut g = in_force(p.id, c.id, Duration::days(20));
        g.customer_display_name = Some("ООО Ромашка".into());
        g.auto_extend_days = 180;
        g.ended_at = Some(now());
        g.expiry_warned_at = Some(now());
        let mut open = gdap(p.id, c.id);
        open.customer_id = None;
        open.status = GdapStatus::Created;
        open.locked_at = None;

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_gdap(&g).await.expect("insert");
        tx.insert_gdap(&open).await.expect("insert without customer");
        let mut same_name = gdap(p.id, c.id);
        same_name.display_name = format!("  {} ", g.display_name.to_uppercase());
        tx.begin_step().await.expect("step");
        let err = tx.insert_gdap(&same_name).await.expect_err("name taken");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err:?}");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        assert_eq!(tx.find_gdap(g.id).await.expect("find"), Some(g.clone()), "{b}");
        assert_eq!(tx.lock_gdap(open.id).await.expect("lock"), Some(open.clone()), "{b}");
        let mut bound = open.clone();
        bound.customer_id = Some(c.id);
        bound.display_name = "Renamed".into();
        bound.status = GdapStatus::ApprovalPending;
        bound.locked_at = Some(now());
        tx.update_gdap(&bound).await.expect("update");
        bound.version += 1;
        assert_eq!(tx.find_gdap(open.id).await.expect("find"), Some(bound.clone()), "{b}");

        let req = GdapRequest {
            id: new_id(),
            relationship_id: bound.id,
            action: GdapAction::LockForApproval,
            status: GdapRequestStatus::Succeeded,
            created_by: None,
            created_at: now(),
            last_modified_at: now(),
        };
        tx.insert_gdap_request(&req).await.expect("request");
        let op = GdapOperation {
            id: new_id(),
            relationship_id: bound.id,
            operation_type: GdapOperationType::RelationshipUpdate,
            status: GdapOperationStatus::Succeeded,
            data: r#"{"after":["a"]}"#.into(),
            created_at: now(),
            last_modified_at: now(),
        };
        tx.insert_gdap_operation(&op).await.expect("operation");
        assert_eq!(
            tx.list_gdap_requests(bound.id).await.expect("requests"),
            vec![req],
            "{b}"
        );
        assert_eq!(
            tx.list_gdap_operations(bound.id).await.expect("operations"),
            vec![op],
            "{b}"
        );
        tx.begin_step().await.expect("step");
        let err = tx.delete_gdap(bound.id, 1).await.expect_err("stale");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{b}: {err:?}");
        tx.delete_gdap(bound.id, bound.version).await.expect("delete");
        assert_eq!(tx.find_gdap(bound.id).await.expect("find"), None, "{b}");
        assert!(
            tx.list_gdap_requests(bound.id).await.expect("requests").is_empty(),
            "{b}"
        );
        tx.begin_step().await.expect("step");
        let err = tx.delete_gdap(bound.id, bound.version).await.expect_err("gone");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::NotFound(_)), "{b}: {err:?}");
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn gdap_lists_page_by_id_with_filters_and_counts_for_partner_and_customer() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let (p, c) = seed_pair(&db).await;
        let (p2, c2) = seed_pair(&db).await;
        let mut mine: Vec<GdapRelationship> = (0..5).map(|i| in_force(p.id, c.id, Duration::days(i + 1))).collect();
        mine[1].status = GdapStatus::Terminated;
        let mut elsewhere = in_force(p.id, c2.id, Duration::days(3));
        elsewhere.customer_id = Some(c2.id);
        let theirs = in_force(p2.id, c.id, Duration::days(3));
        let mut tx = db.store.begin().await.expect("begin");
        for g in mine.iter().chain([&elsewhere, &theirs]) {
            tx.insert_gdap(g).await.expect("insert");
        }
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let all = GdapFilter::default();
        let mut ids: Vec<GdapId> = mine.iter().map(|g| g.id).chain([elsewhere.id]).collect();
        ids.sort();
        let first = tx.list_partner_gdap(p.id, &all, None, 4).await.expect("page 1");
        let rest = tx
            .list_partner_gdap(p.id, &all, first.last().map(|g| g.id), 4)
            .await
            .expect("page 2");
        let seen: Vec<GdapId> = first.iter().chain(&rest).map(|g| g.id).collect();
        assert_eq!(seen, ids, "{b}");
        assert_eq!(tx.count_partner_gdap(p.id, &all).await.expect("count"), 6, "{b}");
        let active_of_c = GdapFilter {
            status: Some(GdapStatus::Active),
            customer: Some(c.id),
        };
        assert_eq!(
            tx.count_partner_gdap(p.id, &active_of_c).await.expect("count"),
            4,
            "{b}"
        );
        assert_eq!(
            tx.list_partner_gdap(p.id, &active_of_c, None, 10)
                .await
                .expect("list")
                .len(),
            4,
            "{b}"
        );
        // The customer's view: every partner's relationships naming it.
        assert_eq!(tx.count_customer_gdap(c.id, &all).await.expect("count"), 6, "{b}");
        let terminated = GdapFilter {
            status: Some(GdapStatus::Terminated),
            customer: None,
        };
        let listed = tx.list_customer_gdap(c.id, &terminated, None, 10).await.expect("list");
        assert_eq!(listed.iter().map(|g| g.id).collect::<Vec<_>>(), vec![mine[1].id], "{b}");
        let mut customers = vec![c.id, c2.id];
        customers.sort();
        assert_eq!(tx.list_gdap_customers(p.id).await.expect("customers"), customers, "{b}");
    }
}

#[tokio::test]
async fn the_job_claims_exactly_the_due_relationships_and_a_claimed_one_once() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let (p, c) = seed_pair(&db).await;
        let mut stale_request = gdap(p.id, c.id);
        stale_request.locked_at = Some(now() - Duration::days(91));
        let fresh_request = gdap(p.id, c.id);
        let ended = in_force(p.id, c.id, -Duration::days(1));
        let mut ending_soon = in_force(p.id, c.id, Duration::days(10));
        let mut extends = in_force(p.id, c.id, Duration::days(10));
        extends.auto_extend_days = 180;
        let mut global_admin = in_force(p.id, c.id, Duration::days(10));
        global_admin.auto_extend_days = 180;
        global_admin
            .roles
            .push(partnerdesk_domain::gdap::GLOBAL_ADMINISTRATOR_ROLE.into());
        let mut warned = in_force(p.id, c.id, Duration::days(10));
        warned.status = GdapStatus::Expiring;
        warned.expiry_warned_at = Some(now());
        let far = in_force(p.id, c.id, Duration::days(200));
        let mut tx = db.store.begin().await.expect("begin");
        for g in [
            &stale_request,
            &fresh_request,
            &ended,
            &ending_soon,
            &extends,
            &global_admin,
            &warned,
            &far,
        ] {
            tx.insert_gdap(g).await.expect("insert");
        }
        tx.commit().await.expect("commit");

        let mut expected = vec![stale_request.id, ended.id, ending_soon.id, global_admin.id];
        expected.sort();
        let mut tx = db.store.begin().await.expect("begin");
        let claimed: Vec<GdapId> = tx
            .claim_gdap_due(now(), 100)
            .await
            .expect("claim")
            .into_iter()
            .map(|g| g.id)
            .collect();
        assert_eq!(claimed, expected, "{b}");
        if b == "postgres" {
            // Another worker meanwhile skips what the first holds.
            let mut other = db.store.begin().await.expect("begin");
            assert!(other.claim_gdap_due(now(), 100).await.expect("claim").is_empty(), "{b}");
            drop(other);
        }
        ending_soon.status = GdapStatus::Expiring;
        ending_soon.expiry_warned_at = Some(now());
        tx.update_gdap(&ending_soon).await.expect("warn");
        tx.commit().await.expect("commit");
        // Once done, it is no longer due; the others still are (nobody handled them).
        let mut tx = db.store.begin().await.expect("begin");
        let again: Vec<GdapId> = tx
            .claim_gdap_due(now(), 100)
            .await
            .expect("claim")
            .into_iter()
            .map(|g| g.id)
            .collect();
        expected.retain(|id| *id != ending_soon.id);
        assert_eq!(again, expected, "{b}");
        assert_eq!(tx.claim_gdap_due(now(), 1).await.expect("claim").len(), 1, "{b}: limit");
    }
}

#[tokio::test]
async fn security_groups_members_access_assignments_and_roles_keep_their_rules() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let (p, c) = seed_pair(&db).await;
        let u = user(
            p.id,
            OrgKind::Partner,
            &format!("agent{}@fabrikam.example", Uuid::now_v7().simple()),
            &[Role::AdminAgent],
        );
        let g = in_force(p.id, c.id, Duration::days(30));
        let group = SecurityGroup {
            id: new_id(),
            partner_id: p.id,
            display_name: "Tier 1".into(),
            created_at: now(),
            version: 1,
        };
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_user(&u, "hash").await.expect("user");
        tx.insert_gdap(&g).await.expect("gdap");
        tx.insert_security_group(&group).await.expect("group");
        let mut twin = group.clone();
        twin.id = new_id();
        twin.display_name = "TIER 1".into();
        tx.begin_step().await.expect("step");
        let err = tx.insert_security_group(&twin).await.expect_err("name taken");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err:?}");
        let member = SecurityGroupMember {
            group_id: group.id,
            user_id: u.id,
            added_at: now(),
        };
        tx.insert_security_group_member(&member).await.expect("member");
        tx.begin_step().await.expect("step");
        let err = tx.insert_security_group_member(&member).await.expect_err("twice");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err:?}");
        assert_eq!(
            tx.list_security_group_members(group.id).await.expect("members"),
            vec![member],
            "{b}"
        );
        assert_eq!(
            tx.list_security_groups(p.id).await.expect("groups"),
            vec![group.clone()],
            "{b}"
        );

        let mut a = AccessAssignment {
            id: new_id(),
            relationship_id: g.id,
            security_group_id: group.id,
            roles: vec![g.roles[0].clone()],
            status: AssignmentStatus::Active,
            created_at: now(),
            last_modified_at: now(),
            version: 1,
        };
        tx.insert_access_assignment(&a).await.expect("assignment");
        let mut second = a.clone();
        second.id = new_id();
        tx.begin_step().await.expect("step");
        let err = tx.insert_access_assignment(&second).await.expect_err("one per group");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err:?}");
        tx.begin_step().await.expect("step");
        let err = tx.delete_security_group(group.id, 1).await.expect_err("in use");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err:?}");
        a.roles = g.roles.clone();
        tx.update_access_assignment(&a).await.expect("update");
        tx.begin_step().await.expect("step");
        let err = tx.update_access_assignment(&a).await.expect_err("stale");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{b}: {err:?}");
        a.version += 1;
        assert_eq!(
            tx.find_access_assignment(g.id, a.id).await.expect("find"),
            Some(a.clone()),
            "{b}"
        );
        assert_eq!(
            tx.find_access_assignment(new_id(), a.id).await.expect("find"),
            None,
            "{b}"
        );
        assert_eq!(
            tx.list_access_assignments(g.id).await.expect("list"),
            vec![a.clone()],
            "{b}"
        );
        tx.delete_access_assignment(a.id, a.version).await.expect("delete");
        assert!(
            tx.delete_security_group_member(group.id, u.id).await.expect("remove"),
            "{b}"
        );
        assert!(
            !tx.delete_security_group_member(group.id, u.id).await.expect("again"),
            "{b}"
        );
        tx.delete_security_group(group.id, 1).await.expect("delete group");
        assert_eq!(tx.find_security_group(group.id).await.expect("find"), None, "{b}");

        // The role catalogue is seeded and edited by version.
        let roles = tx.list_admin_roles().await.expect("roles");
        assert!(roles.len() >= 20, "{b}: seeded");
        let mut ga = tx
            .find_admin_role(partnerdesk_domain::gdap::GLOBAL_ADMINISTRATOR_ROLE)
            .await
            .expect("find")
            .expect("seeded");
        ga.description = "Everything.".into();
        tx.update_admin_role(&ga).await.expect("update");
        tx.begin_step().await.expect("step");
        let err = tx.update_admin_role(&ga).await.expect_err("stale");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{b}: {err:?}");
        tx.begin_step().await.expect("step");
        let err = tx.insert_admin_role(&ga).await.expect_err("id taken");
        tx.undo_step().await.expect("undo");
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err:?}");
        tx.commit().await.expect("commit");
    }
}
