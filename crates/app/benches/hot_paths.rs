//! The in-process hot paths, on every backend (PostgreSQL from
//! `PARTNERDESK_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`):
//!
//! - `customer_page`: `App::list_customers` for a partner with 20,000 customers (written by
//!   the store's bulk loader), page 1 and the page after customer 10,000, 100 each, with
//!   `totalCount`: both should cost the same.
//! - `removal_plan`: planning offboarding of a customer with 1,000 subscriptions (pure).
//! - `audit_append`: one audit record appended in its own transaction, linked onto its
//!   partner's hash chain (lock the head, link, insert, move the head, commit).
//!
//! Run: `cargo bench -p partnerdesk-app --bench hot_paths`

use std::hint::black_box;
use std::time::Duration;

use chrono::{SubsecRound, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use partnerdesk_domain::audit::{AuditRecord, Operation, SUCCEEDED};
use partnerdesk_domain::org::{BillingProfile, CompanyProfile, Customer, PartnerType};
use partnerdesk_domain::relationship::{Relationship, RelationshipState};
use partnerdesk_domain::removal::{plan_offboarding, RemovalContext};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::{Country, Culture, Domain, Email, Name, Note};
use partnerdesk_domain::{CustomerId, OfferId, OrderId, OrgId, PartnerId, RelationshipId, SubscriptionId};
use partnerdesk_store::bulk::BulkRows;
use partnerdesk_store::link_onto_chains;
use partnerdesk_testkit::{backends, PartnerActor, TestApp};
use uuid::Uuid;

const CUSTOMERS: usize = 20_000;
const PAGE: u32 = 100;

fn v7() -> Uuid {
    Uuid::now_v7()
}

/// `CUSTOMERS` customers of `partner`, with their active relationships, in batches.
async fn fill(t: &TestApp, partner: &PartnerActor) -> Vec<CustomerId> {
    let now = Utc::now().trunc_subsecs(6);
    let mut ids = Vec::with_capacity(CUSTOMERS);
    for batch in 0..CUSTOMERS / 2000 {
        let mut rows = BulkRows::default();
        for k in 0..2000 {
            let n = batch * 2000 + k;
            let domain = format!("page{n:06}.example");
            let customer = Customer {
                id: CustomerId(v7()),
                company: CompanyProfile {
                    company_name: Name::parse("companyName", &format!("Page Holdings {n:06}")).expect("name"),
                    domain: Domain::parse(&domain).expect("domain"),
                    country: Country::parse("US").expect("country"),
                    culture: Culture::parse("en-US").expect("culture"),
                },
                billing: BillingProfile {
                    contact_name: Name::parse("contactName", "Pat Jordan").expect("contact"),
                    email: Email::parse(&format!("billing@{domain}")).expect("e-mail"),
                    address: Note::parse("address", "1 Main Street").expect("address"),
                },
                created_at: now,
                version: 1,
            };
            rows.relationships.push(Relationship {
                id: RelationshipId(v7()),
                partner_id: partner.id,
                customer_id: customer.id,
                state: RelationshipState::Active,
                dap_consented: false,
                created_at: now,
                created_by: None,
                closed_at: None,
                closed_by: None,
                close_reason: None,
                version: 1,
            });
            ids.push(customer.id);
            rows.customers.push(customer);
        }
        t.db.store.bulk_load(rows).await.expect("bulk load");
    }
    ids.sort();
    ids
}

fn removal_plan(c: &mut Criterion) {
    let now = Utc::now();
    let (partner, customer) = (PartnerId(v7()), CustomerId(v7()));
    let relationship = Relationship {
        id: RelationshipId(v7()),
        partner_id: partner,
        customer_id: customer,
        state: RelationshipState::Active,
        dap_consented: false,
        created_at: now,
        created_by: None,
        closed_at: None,
        closed_by: None,
        close_reason: None,
        version: 1,
    };
    let subscriptions: Vec<Subscription> = (0..1000)
        .map(|i| Subscription {
            id: SubscriptionId(v7()),
            customer_id: customer,
            partner_id: partner,
            reseller_id: None,
            offer_id: OfferId(v7()),
            order_id: OrderId(v7()),
            friendly_name: format!("Line {i}"),
            quantity: 1,
            status: if i % 4 == 0 {
                SubscriptionStatus::Suspended
            } else {
                SubscriptionStatus::Active
            },
            auto_renew: true,
            support_partner_id: (i % 2 == 0).then_some(partner),
            effective_start: now,
            commitment_end: now,
            created_at: now,
            updated_at: now,
            version: 1,
        })
        .collect();
    let ctx = RemovalContext {
        relationship: &relationship,
        subscriptions: &subscriptions,
        dap: &[],
        gdap: &[],
    };
    let plan = plan_offboarding(&ctx).expect("plan");
    assert_eq!(plan.subscriptions_to_suspend.len(), 750);
    c.bench_function("removal_plan/offboarding_1000_subscriptions", |b| {
        b.iter(|| black_box(plan_offboarding(black_box(&ctx)).expect("plan")))
    });
}

fn store_paths(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    for db in runtime.block_on(backends()) {
        let backend = db.backend;
        let t = runtime.block_on(TestApp::on(db));
        let partner = runtime.block_on(t.partner(PartnerType::Direct));
        let ids = runtime.block_on(fill(&t, &partner));
        let deep = ids[CUSTOMERS / 2 - 1];

        let mut group = c.benchmark_group(format!("customer_page/{backend}"));
        group.measurement_time(Duration::from_secs(5));
        for (name, after) in [("page_1", None), ("page_after_10000", Some(deep))] {
            let page = runtime
                .block_on(t.app.list_customers(&partner.admin, None, after, PAGE))
                .expect("page");
            assert_eq!(page.items.len(), PAGE as usize);
            assert_eq!(page.total_count, CUSTOMERS as i64, "{backend}");
            group.bench_function(name, |b| {
                b.iter(|| {
                    runtime
                        .block_on(t.app.list_customers(&partner.admin, None, after, PAGE))
                        .expect("page")
                })
            });
        }
        group.finish();

        let store = &t.db.store;
        let record = || AuditRecord {
            id: partnerdesk_domain::AuditId(v7()),
            at: Utc::now(),
            actor_user_id: None,
            actor_org_id: Some(OrgId(partner.id.0)),
            operation: Operation::UpdateSubscription.audit_name().into(),
            resource_type: Operation::UpdateSubscription.resource_type().into(),
            resource_id: ids[0].to_string(),
            partner_id: Some(partner.id),
            customer_id: Some(ids[0]),
            before: Some(r#"{"status":"active"}"#.into()),
            after: Some(r#"{"status":"suspended"}"#.into()),
            customer_name: Some("Page Holdings 000000".into()),
            actor_upn: None,
            application: None,
            correlation_id: None,
            status: SUCCEEDED.into(),
            link: None,
        };
        c.bench_function(&format!("audit_append/{backend}"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let mut tx = store.begin().await.expect("begin");
                    let mut records = [record()];
                    let heads = link_onto_chains(tx.as_mut(), &mut records).await.expect("link");
                    tx.insert_audits(&records).await.expect("insert");
                    tx.update_audit_chains(&heads).await.expect("head");
                    tx.commit().await.expect("commit");
                })
            })
        });
    }
}

criterion_group!(benches, removal_plan, store_paths);
criterion_main!(benches);
