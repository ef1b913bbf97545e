//! The access check: allowed via DAP and via GDAP (naming the relationship and its end),
//! denied for a role not granted, and denied at once after removal, termination, expiry
//! (the clock moved past the end, no job run), DAP removal, and a user's role change or
//! deletion — on every backend, and across two nodes sharing one PostgreSQL database.

use chrono::Duration;
use partnerdesk_app::access_check::{AccessDecision, AccessQuery, Subject, Via};
use partnerdesk_app::gdap::GdapAction;
use partnerdesk_app::users::UserPatch;
use partnerdesk_app::{App, AppError};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_domain::{CustomerId, DomainError, PartnerId};
use partnerdesk_testkit::{backends, db, until_trusted, TestApp};

/// Helpdesk Administrator, the role `TestApp::gdap` grants.
const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
/// Global Reader: in the catalogue, not granted by `TestApp::gdap`.
const READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

fn partner_q(customer: CustomerId, partner: PartnerId, role: &str) -> AccessQuery {
    AccessQuery {
        customer,
        subject: Subject::Partner(partner),
        role: role.into(),
    }
}

async fn check(app: &App, q: &AccessQuery) -> AccessDecision {
    app.check_access(q.clone()).await.expect("access check")
}

#[tokio::test]
async fn dap_and_gdap_are_allowed_and_every_ending_denies_at_once() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;

        // DAP: any role of the catalogue, for the partner and its admin agents only.
        let customer = t.customer_with_dap(&partner).await;
        let q = partner_q(customer.id, partner.id, READER);
        // Accepting a request with delegated admin grants DAP.
        let d = check(&t.app, &q).await;
        assert!(d.allowed && d.via == Some(Via::Dap), "{b}: via dap: {d:?}");
        // Asked twice: the second answer comes from memory and is the same.
        assert_eq!(check(&t.app, &q).await, d, "{b}");
        let agent = t.user_with_role(&partner.admin, "admin_agent").await;
        let sales = t.user_with_role(&partner.admin, "sales_agent").await;
        let agent_q = AccessQuery {
            subject: Subject::User(agent.user_id),
            ..q.clone()
        };
        let sales_q = AccessQuery {
            subject: Subject::User(sales.user_id),
            ..q.clone()
        };
        assert!(check(&t.app, &agent_q).await.allowed, "{b}: admin agent via dap");
        assert!(
            !check(&t.app, &sales_q).await.allowed,
            "{b}: a sales agent gets nothing from DAP"
        );

        // The agent loses its role: denied at once (its answer was in memory).
        t.app
            .update_user(
                &partner.admin,
                partner.admin.org_id,
                agent.user_id,
                UserPatch {
                    roles: Some(vec!["sales_agent".into()]),
                    ..UserPatch::default()
                },
                None,
            )
            .await
            .expect("demote agent");
        assert!(!check(&t.app, &agent_q).await.allowed, "{b}: demoted agent");
        // A deleted admin: denied.
        let admin2 = t.user_with_role(&partner.admin, "admin_agent").await;
        let admin2_q = AccessQuery {
            subject: Subject::User(admin2.user_id),
            ..q.clone()
        };
        assert!(check(&t.app, &admin2_q).await.allowed, "{b}: second agent");
        t.app
            .delete_user(&partner.admin, partner.admin.org_id, admin2.user_id)
            .await
            .expect("delete agent");
        assert!(!check(&t.app, &admin2_q).await.allowed, "{b}: deleted agent");

        // DAP removal.
        t.app
            .terminate_dap(&partner.admin, customer.id)
            .await
            .expect("terminate dap");
        assert_eq!(
            check(&t.app, &q).await,
            AccessDecision::DENIED,
            "{b}: after DAP removal"
        );

        // GDAP: the granted role, naming the relationship and its end; another role denied.
        let ends = t.app.now() + Duration::days(30);
        let gdap = t.gdap(partner.id, customer.id, GdapStatus::Active, Some(ends)).await;
        // Fresh memory: the relationship was written behind the app's back.
        let customer2 = t.customer_of(&partner).await;
        let gdap2 = t.gdap(partner.id, customer2.id, GdapStatus::Active, Some(ends)).await;
        let hq = partner_q(customer2.id, partner.id, HELPDESK);
        let d = check(&t.app, &hq).await;
        assert_eq!(
            d,
            AccessDecision {
                allowed: true,
                via: Some(Via::Gdap),
                relationship_id: Some(gdap2),
                expires_at: Some(ends),
            },
            "{b}: via gdap"
        );
        assert!(
            !check(&t.app, &partner_q(customer2.id, partner.id, READER))
                .await
                .allowed,
            "{b}: role not granted"
        );
        // A relationship not active grants nothing.
        let customer3 = t.customer_of(&partner).await;
        t.gdap(partner.id, customer3.id, GdapStatus::ApprovalPending, Some(ends))
            .await;
        assert!(
            !check(&t.app, &partner_q(customer3.id, partner.id, HELPDESK))
                .await
                .allowed,
            "{b}: pending"
        );

        // Expiry: the clock passes the end; no job has run, the row still says active.
        t.clock.advance(Duration::days(30));
        assert_eq!(check(&t.app, &hq).await, AccessDecision::DENIED, "{b}: at the end");

        // Termination by the customer (rule 8).
        let hq1 = partner_q(customer.id, partner.id, HELPDESK);
        let customer4 = t.customer_of(&partner).await;
        let later = t.app.now() + Duration::days(60);
        t.gdap(partner.id, customer4.id, GdapStatus::Active, Some(later)).await;
        let hq4 = partner_q(customer4.id, partner.id, HELPDESK);
        assert!(check(&t.app, &hq4).await.allowed, "{b}: before termination");
        t.app
            .remove_partner_admin_roles(&customer4.admin, partner.id)
            .await
            .expect("customer ends admin roles");
        assert!(!check(&t.app, &hq4).await.allowed, "{b}: after termination");
        // `gdap` on the first customer ended with the clock too.
        let _ = gdap;
        assert!(!check(&t.app, &hq1).await.allowed, "{b}: first gdap expired");

        // Removal (rule 4) ends GDAP with the relationship.
        let customer5 = t.customer_of(&partner).await;
        t.gdap(partner.id, customer5.id, GdapStatus::Active, Some(later)).await;
        let hq5 = partner_q(customer5.id, partner.id, HELPDESK);
        assert!(check(&t.app, &hq5).await.allowed, "{b}: before removal");
        t.app
            .remove_relationship(&partner.admin, customer5.id, None, None)
            .await
            .expect("remove");
        assert!(!check(&t.app, &hq5).await.allowed, "{b}: after removal");
    }
}

#[tokio::test]
async fn an_unknown_role_is_refused_with_a_stable_code() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        for _ in 0..2 {
            let err = t
                .app
                .check_access(partner_q(customer.id, partner.id, "not-a-role"))
                .await
                .expect_err("unknown role");
            assert!(
                matches!(
                    err,
                    AppError::Domain(DomainError::InvalidProperty { property: "role", .. })
                ),
                "{b}: {err:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_partner_asks_only_about_itself_and_its_users() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let a = t.partner(PartnerType::Direct).await;
        let other = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&a).await;
        let other_user = t.user_with_role(&other.admin, "admin_agent").await;
        let own = t
            .app
            .check_access_as(&a.admin, partner_q(customer.id, a.id, HELPDESK))
            .await;
        assert!(own.is_ok(), "{b}: about itself: {own:?}");
        let err = t
            .app
            .check_access_as(&a.admin, partner_q(customer.id, other.id, HELPDESK))
            .await
            .expect_err("another partner");
        assert!(matches!(err, AppError::NotFound(_)), "{b}: {err:?}");
        let q = AccessQuery {
            customer: customer.id,
            subject: Subject::User(other_user.user_id),
            role: HELPDESK.into(),
        };
        let err = t
            .app
            .check_access_as(&a.admin, q.clone())
            .await
            .expect_err("another's user");
        assert!(matches!(err, AppError::NotFound(_)), "{b}: {err:?}");
        let err = t
            .app
            .check_access_as(&customer.admin, q.clone())
            .await
            .expect_err("a customer");
        assert!(
            matches!(err, AppError::Domain(DomainError::ForbiddenRole(_))),
            "{b}: {err:?}"
        );
        assert!(t.app.check_access_as(&t.operator, q).await.is_ok(), "{b}: the operator");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_node_never_answers_allowed_after_a_termination_commits() {
    let Some(pg) = db::postgres().await else { return };
    let t = TestApp::on(pg).await;
    let b = t.second_node().await;
    let partner = t.partner(PartnerType::Direct).await;
    let customer = t.customer_with_dap(&partner).await;
    let q = partner_q(customer.id, partner.id, HELPDESK);
    // Start both listeners.
    check(&t.app, &q).await;
    check(&b, &q).await;
    until_trusted(&[&t.app, &b]).await;

    let mut from_memory = 0;
    for round in 0..30 {
        t.app.approve_dap(&partner.admin, customer.id).await.expect("grant");
        // B learns of the grant within a second (the notification); it may answer from its
        // database read before that.
        let mut allowed = false;
        for _ in 0..100 {
            if check(&b, &q).await.allowed {
                allowed = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(allowed, "round {round}: B sees the grant");
        // Warm B's memory, then end DAP on A and ask B right after A returns.
        check(&b, &q).await;
        if b.check_access_cached(&q, b.now()).is_some() {
            from_memory += 1;
        }
        t.app
            .terminate_dap(&partner.admin, customer.id)
            .await
            .expect("terminate");
        for i in 0..20 {
            assert!(
                !check(&b, &q).await.allowed,
                "round {round}, check {i}: B answered allowed after the termination"
            );
        }
    }
    assert!(from_memory > 0, "B answered from memory at least once");

    // Kill B's listening connection: B stops trusting memory at once (it reads the database)
    // and, once listening again, starts over from an empty cache.
    t.app
        .approve_dap(&partner.admin, customer.id)
        .await
        .expect("grant again");
    until_trusted(&[&b]).await;
    assert!(check(&b, &q).await.allowed);
    let pid = b.access_listener_pid().expect("B listens");
    t.db.store
        .access_signals()
        .expect("postgres")
        .terminate_backend(pid)
        .await
        .expect("terminate B's listener");
    t.app
        .terminate_dap(&partner.admin, customer.id)
        .await
        .expect("terminate while B cannot hear");
    for i in 0..20 {
        assert!(!check(&b, &q).await.allowed, "check {i}: B answered allowed while deaf");
    }
    until_trusted(&[&b]).await;
    assert_ne!(b.access_listener_pid(), Some(pid), "B listens on a new connection");
    assert!(!check(&b, &q).await.allowed, "after the resync");
    t.app
        .approve_dap(&partner.admin, customer.id)
        .await
        .expect("grant after resync");
    let mut allowed = false;
    for _ in 0..100 {
        if check(&b, &q).await.allowed {
            allowed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(allowed, "B hears changes again after the resync");
}

#[tokio::test]
async fn a_user_has_gdap_through_its_group_until_it_leaves_or_the_assignment_goes() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let ends = t.app.now() + Duration::days(30);
        let gdap = t.gdap(partner.id, customer.id, GdapStatus::Active, Some(ends)).await;
        let agent = t.user_with_role(&partner.admin, "helpdesk_agent").await;
        let q = AccessQuery {
            customer: customer.id,
            subject: Subject::User(agent.user_id),
            role: HELPDESK.into(),
        };
        assert!(!check(&t.app, &q).await.allowed, "{b}: in no group");
        // The partner itself has the relationship's roles.
        assert!(
            check(&t.app, &partner_q(customer.id, partner.id, HELPDESK))
                .await
                .allowed,
            "{b}"
        );
        let (group, assignment) = t
            .security_group_with_access(&partner.admin, "Helpdesk", agent.user_id, gdap, &[HELPDESK])
            .await;
        let d = check(&t.app, &q).await;
        assert_eq!(
            (d.allowed, d.via, d.relationship_id),
            (true, Some(Via::Gdap), Some(gdap)),
            "{b}: through the group"
        );
        assert!(check(&t.app, &q).await.allowed, "{b}: from memory");
        assert!(
            !check(
                &t.app,
                &AccessQuery {
                    role: READER.into(),
                    ..q.clone()
                }
            )
            .await
            .allowed,
            "{b}: role not assigned"
        );

        t.app
            .remove_security_group_member(&partner.admin, group.id, agent.user_id)
            .await
            .expect("leave the group");
        assert!(!check(&t.app, &q).await.allowed, "{b}: after leaving the group");
        t.app
            .add_security_group_member(&partner.admin, group.id, agent.user_id)
            .await
            .expect("join again");
        assert!(check(&t.app, &q).await.allowed, "{b}: back in the group");
        t.app
            .delete_access_assignment(&partner.admin, gdap, assignment.id, assignment.version)
            .await
            .expect("delete the assignment");
        assert!(
            !check(&t.app, &q).await.allowed,
            "{b}: after the assignment was deleted"
        );

        // Termination through the GDAP use case.
        assert!(
            check(&t.app, &partner_q(customer.id, partner.id, HELPDESK))
                .await
                .allowed,
            "{b}"
        );
        t.app
            .request_gdap_action(&partner.admin, gdap, GdapAction::Terminate)
            .await
            .expect("terminate");
        assert!(
            !check(&t.app, &partner_q(customer.id, partner.id, HELPDESK))
                .await
                .allowed,
            "{b}: terminated"
        );
    }
}
