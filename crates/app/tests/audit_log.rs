//! What an audit record says beside its names (the customer's name at the time, who acted
//! and through what, the request's correlation id, old and new values), its place in its
//! organisation's hash chain, and reading the log as each kind of caller may. Each runs on
//! every backend.

use chrono::Duration;
use partnerdesk_app::audit::with_correlation_id;
use partnerdesk_app::audit_log::{AuditSearch, Verification};
use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_domain::audit::{Application, AuditRecord};
use partnerdesk_domain::audit_chain::GENESIS;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::{CustomerId, OrgId};
use partnerdesk_testkit::{backends, PartnerActor, TestApp};

/// Every record of the log, in the order written.
async fn all_records(t: &TestApp) -> Vec<AuditRecord> {
    let mut tx = t.db.store.read().await.expect("read");
    let mut all = tx.list_audit(None, None, 100_000).await.expect("audit");
    tx.rollback().await.expect("rollback");
    all.sort_by_key(|r| (r.at, r.id));
    all
}

/// The records written since `seen` records were there, by operation name.
async fn since(t: &TestApp, seen: usize) -> Vec<AuditRecord> {
    all_records(t).await.split_off(seen)
}

fn only<'a>(records: &'a [AuditRecord], operation: &str) -> &'a AuditRecord {
    let found: Vec<_> = records.iter().filter(|r| r.operation == operation).collect();
    assert_eq!(found.len(), 1, "one {operation} expected in {records:#?}");
    found[0]
}

fn search(t: &TestApp) -> AuditSearch {
    AuditSearch {
        from: t.app.now() - Duration::days(1),
        to: t.app.now() + Duration::days(1),
        customer: None,
        resource_type: None,
        company_contains: None,
    }
}

#[tokio::test]
async fn each_family_records_the_customer_name_the_actor_its_application_and_old_and_new_values() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let dashboard = PartnerActor {
            id: partner.id,
            admin: partner.admin.clone().via(Application::Dashboard),
        };

        // A customer, added in a request with a correlation id, through the dashboard.
        let seen = all_records(&t).await.len();
        let customer = with_correlation_id("corr-add".into(), t.customer_of(&dashboard)).await;
        let written = since(&t, seen).await;
        assert_eq!(written.len(), 1, "{b}: {written:#?}");
        let added = only(&written, "add_customer");
        assert_eq!(added.resource_type, "customer", "{b}");
        assert_eq!(added.customer_id, Some(customer.id), "{b}");
        let name = added.customer_name.clone().expect("the customer's name");
        assert!(!name.is_empty(), "{b}");
        assert_eq!(added.actor_upn.as_deref(), Some(partner.admin.upn.as_str()), "{b}");
        assert_eq!(added.application.as_deref(), Some("dashboard"), "{b}");
        assert_eq!(added.correlation_id.as_deref(), Some("corr-add"), "{b}");
        assert_eq!(added.status, "succeeded", "{b}");
        assert!(added.before.is_none(), "{b}");
        assert!(
            added.after.as_deref().is_some_and(|a| a.contains(&name)),
            "{b}: {added:?}"
        );

        // An order and a suspension, from the command line (no request, no correlation id).
        let seen = all_records(&t).await.len();
        let sub = t.buy(&partner, customer.id, 3).await;
        let written = since(&t, seen).await;
        let ordered = only(&written, "create_order");
        assert_eq!(
            (ordered.resource_type.as_str(), ordered.customer_name.as_deref()),
            ("order", Some(name.as_str())),
            "{b}"
        );
        assert_eq!(ordered.application.as_deref(), Some("cli"), "{b}");
        assert!(ordered.correlation_id.is_none(), "{b}");
        assert!(
            ordered
                .after
                .as_deref()
                .is_some_and(|a| a.contains(&sub.id.to_string())),
            "{b}"
        );

        let seen = all_records(&t).await.len();
        t.app
            .suspend_subscription(&partner.admin, customer.id, sub.id)
            .await
            .expect("suspend");
        let written = since(&t, seen).await;
        assert_eq!(written.len(), 1, "{b}: {written:#?}");
        let suspended = only(&written, "update_subscription");
        assert_eq!(suspended.resource_type, "subscription", "{b}");
        assert!(
            suspended.before.as_deref().is_some_and(|v| v.contains("\"active\"")),
            "{b}: {suspended:?}"
        );
        assert!(
            suspended.after.as_deref().is_some_and(|v| v.contains("\"suspended\"")),
            "{b}: {suspended:?}"
        );

        // A removal ends DAP and GDAP with records of their own, each with old and new value.
        let other = t.customer_with_dap(&partner).await;
        t.gdap(partner.id, other.id, GdapStatus::Active, None).await;
        let seen = all_records(&t).await.len();
        t.app
            .remove_relationship(&partner.admin, other.id, Some("moved"), None)
            .await
            .expect("remove");
        let written = since(&t, seen).await;
        let removed = only(&written, "remove_partner_customer_relationship");
        assert_eq!(removed.resource_type, "partner_customer_relationship", "{b}");
        assert!(removed.customer_name.is_some(), "{b}");
        assert!(removed.before.is_some() && removed.after.is_some(), "{b}: {removed:?}");
        let dap = only(&written, "dap_admin_relationship_terminated");
        assert_eq!(dap.resource_type, "partner_customer_dap", "{b}");
        assert!(dap.before.is_some(), "{b}: {dap:?}");
        let gdap = only(&written, "granular_admin_relationship_terminated");
        assert_eq!(gdap.resource_type, "granular_admin_relationship", "{b}");
        assert!(
            gdap.before.as_deref().is_some_and(|v| v.contains("\"active\"")),
            "{b}: {gdap:?}"
        );
        assert!(
            gdap.after.as_deref().is_some_and(|v| v.contains("\"terminated\"")),
            "{b}: {gdap:?}"
        );
        for r in &written {
            assert_eq!(r.customer_id, Some(other.id), "{b}: {r:?}");
            assert_eq!(r.customer_name, removed.customer_name, "{b}: {r:?}");
        }

        // A change with no caller is the job's.
        let ends = t.app.now() + Duration::days(10);
        let due = t.gdap(partner.id, customer.id, GdapStatus::Active, Some(ends)).await;
        t.clock.advance(Duration::days(11));
        let seen = all_records(&t).await.len();
        t.app.run_delegated_admin_job().await.expect("job");
        let written = since(&t, seen).await;
        let expired = only(&written, "granular_admin_relationship_expired");
        assert_eq!(expired.resource_id, due.to_string(), "{b}");
        assert_eq!(expired.application.as_deref(), Some("job"), "{b}");
        assert!(expired.actor_upn.is_none() && expired.actor_user_id.is_none(), "{b}");
        assert_eq!(expired.customer_name.as_deref(), Some(name.as_str()), "{b}");
    }
}

/// The records of `chain`, in chain order.
async fn chain_of(t: &TestApp, chain: OrgId) -> Vec<AuditRecord> {
    let mut tx = t.db.store.read().await.expect("read");
    let records = tx
        .list_chained_audit(Some((chain, 0)), 100_000)
        .await
        .expect("chain")
        .into_iter()
        .filter(|r| r.link.as_ref().is_some_and(|l| l.chain_id == chain))
        .collect();
    tx.rollback().await.expect("rollback");
    records
}

/// Numbered 1, 2, ... and each carrying the hash of the one before.
fn assert_linked(records: &[AuditRecord], what: &str) {
    let mut prev = GENESIS.to_string();
    for (i, r) in records.iter().enumerate() {
        let link = r.link.as_ref().expect("linked");
        assert_eq!(link.seq, i as i64 + 1, "{what}: {r:?}");
        assert_eq!(link.prev_hash, prev, "{what}: {r:?}");
        assert_ne!(link.hash, prev, "{what}");
        prev = link.hash.clone();
    }
}

#[tokio::test]
async fn an_organisations_records_form_one_chain_in_the_order_written_and_verify_holds() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        t.buy(&partner, customer.id, 2).await;
        let chain = chain_of(&t, OrgId(partner.id.0)).await;
        let ops: Vec<_> = chain.iter().map(|r| r.operation.as_str()).collect();
        assert!(ops.ends_with(&["add_customer", "create_order"]), "{b}: {ops:?}");
        assert_linked(&chain, b);
        // Every record is in a chain, and every chain holds.
        let total = all_records(&t).await.len() as u64;
        assert_eq!(
            t.app.verify_audit().await.expect("verify"),
            Verification::Holds { records: total },
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_changes_of_one_organisation_extend_its_chain_one_after_another() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let before = chain_of(&t, OrgId(partner.id.0)).await.len();
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let (app, admin) = (t.app.clone(), partner.admin.clone());
                tokio::spawn(async move { app.create_api_token(&admin, &format!("token {i}")).await })
            })
            .collect();
        for task in tasks {
            task.await.expect("task").expect("create a token");
        }
        let chain = chain_of(&t, OrgId(partner.id.0)).await;
        assert_eq!(chain.len(), before + 16, "{b}");
        assert_linked(&chain, b);
        assert!(
            matches!(t.app.verify_audit().await.expect("verify"), Verification::Holds { .. }),
            "{b}"
        );
    }
}

async fn named_customer(
    t: &TestApp,
    partner: &partnerdesk_testkit::PartnerActor,
    name: &str,
    domain: &str,
) -> CustomerId {
    t.app
        .add_customer(
            &partner.admin,
            NewCustomerInput {
                company_name: name.into(),
                domain: domain.into(),
                country: "US".into(),
                culture: None,
                billing_contact: "Ann Buyer".into(),
                billing_email: format!("billing@{domain}"),
                billing_address: None,
                admin_email: None,
                admin_password: Some(partnerdesk_testkit::PASSWORD.into()),
                indirect_reseller_id: None,
            },
        )
        .await
        .expect("add customer")
        .customer
        .id
}

#[tokio::test]
async fn each_caller_reads_its_own_records_by_date_filter_and_page() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let p = t.partner(PartnerType::Direct).await;
        let q = t.partner(PartnerType::Direct).await;
        let c1 = named_customer(&t, &p, "Ёлочный Базар", "elka.example").await;
        let c2 = named_customer(&t, &p, "Contoso Ltd", "contoso.example").await;
        let c3 = named_customer(&t, &q, "Ёлочный Другой", "other.example").await;
        t.buy(&p, c1, 2).await;
        let c1_admin = {
            let mut tx = t.db.store.read().await.expect("read");
            let users = tx.list_users(c1.into()).await.expect("users");
            tx.rollback().await.expect("rollback");
            t.app.caller(users[0].id).await.expect("C1's admin")
        };
        let all = search(&t);
        let read = |caller, s: AuditSearch| {
            let app = t.app.clone();
            async move { app.audit_records(&caller, &s, None, 500).await.expect("read").items }
        };

        let ps = read(p.admin.clone(), all.clone()).await;
        assert!(ps.iter().all(|r| r.partner_id == Some(p.id)), "{b}");
        assert!(
            ps.iter().any(|r| r.customer_id == Some(c1)) && ps.iter().any(|r| r.customer_id == Some(c2)),
            "{b}"
        );
        assert!(
            ps.windows(2).all(|w| (w[0].at, w[0].id) < (w[1].at, w[1].id)),
            "{b}: oldest first"
        );
        let cs = read(c1_admin.clone(), all.clone()).await;
        let ops: Vec<_> = cs.iter().map(|r| r.operation.as_str()).collect();
        assert_eq!(ops, ["add_customer", "create_order"], "{b}");
        assert!(cs.iter().all(|r| r.customer_id == Some(c1)), "{b}");
        let everything = read(t.operator.clone(), all.clone()).await;
        assert!(everything.iter().any(|r| r.customer_id == Some(c3)), "{b}");
        assert!(everything.len() > ps.len(), "{b}");

        // The three filters: a part of the name in any case, the customer, the resource type.
        let by_name = AuditSearch {
            company_contains: SearchText::parse("filter.Value", "ЁЛОЧН").expect("text"),
            ..all.clone()
        };
        let found = read(p.admin.clone(), by_name).await;
        assert_eq!(found.len(), 2, "{b}: C1's two records, not Q's customer's: {found:#?}");
        assert!(found.iter().all(|r| r.customer_id == Some(c1)), "{b}");
        let by_customer = AuditSearch {
            customer: Some(c2),
            ..all.clone()
        };
        let found = read(p.admin.clone(), by_customer).await;
        assert_eq!(
            found.iter().map(|r| r.operation.as_str()).collect::<Vec<_>>(),
            ["add_customer"],
            "{b}"
        );
        let by_type = AuditSearch {
            resource_type: Some("order".into()),
            ..all.clone()
        };
        let found = read(p.admin.clone(), by_type).await;
        assert_eq!(
            found.iter().map(|r| r.operation.as_str()).collect::<Vec<_>>(),
            ["create_order"],
            "{b}"
        );
        let tomorrow = AuditSearch {
            from: t.app.now() + Duration::hours(1),
            ..all.clone()
        };
        assert!(read(t.operator.clone(), tomorrow).await.is_empty(), "{b}");

        // Pages of one follow one another to the same records.
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = t.app.audit_records(&p.admin, &all, after, 1).await.expect("page");
            paged.extend(page.items);
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(paged, ps, "{b}");

        // One record: its organisations read it; anyone else is told it does not exist.
        let record = cs[0].id;
        assert_eq!(
            t.app.audit_record(&p.admin, record).await.expect("P reads it").id,
            record,
            "{b}"
        );
        assert_eq!(
            t.app.audit_record(&c1_admin, record).await.expect("C1 reads it").id,
            record,
            "{b}"
        );
        let err = t.app.audit_record(&q.admin, record).await.expect_err("Q may not");
        assert_eq!(err.code(), "not_found", "{b}");
    }
}
