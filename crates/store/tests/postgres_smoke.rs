//! PostgreSQL only: round trips of every kind of row, the uniqueness and version rules, keyset
//! paging with a Cyrillic search, and the row lock that orders, reactivations and removal take.
//! Skipped (with a message) when no server is reachable, except in CI.

use std::time::{Duration, Instant};

use chrono::{DateTime, SubsecRound, Utc};
use partnerdesk_domain::audit::{AuditRecord, OutboxEvent};
use partnerdesk_domain::offer::{LineItem, Offer, Order, TermDuration};
use partnerdesk_domain::org::{
    BillingProfile, CompanyProfile, Customer, OrgKind, Partner, PartnerType, ResellerLink, Role, User,
};
use partnerdesk_domain::relationship::{DapGrant, GdapRelationship, GdapStatus, Relationship, RelationshipState};
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::{Country, Culture, Domain, Email, Name, Note, SearchText};
use partnerdesk_domain::*;
use partnerdesk_store::{CustomerFilter, DatabaseUrl, Store, StoreError};
use partnerdesk_testkit::TestDb;
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn id<T: From<Uuid>>() -> T {
    T::from(Uuid::now_v7())
}

fn name(raw: &str) -> Name {
    Name::parse("name", raw).expect("valid name")
}

fn country(raw: &str) -> Country {
    Country::parse(raw).expect("valid country")
}

fn partner(display: &str, partner_type: PartnerType) -> Partner {
    Partner {
        id: id(),
        name: name(display),
        partner_type,
        created_at: now(),
        version: 1,
    }
}

fn customer(company: &str, domain: &str) -> Customer {
    Customer {
        id: id(),
        company: CompanyProfile {
            company_name: name(company),
            domain: Domain::parse(domain).expect("valid domain"),
            country: country("RU"),
            culture: Culture::parse("ru-RU").expect("valid culture"),
        },
        billing: BillingProfile {
            contact_name: name("Анна Иванова"),
            email: Email::parse(&format!("billing@{domain}")).expect("valid email"),
            address: Note::parse("address", "Москва, ул. Тверская, 1").expect("valid address"),
        },
        created_at: now(),
        version: 1,
    }
}

fn relationship(partner: PartnerId, customer: CustomerId) -> Relationship {
    Relationship {
        id: id(),
        partner_id: partner,
        customer_id: customer,
        state: RelationshipState::Active,
        dap_consented: true,
        created_at: now(),
        created_by: Some(id()),
        closed_at: None,
        closed_by: None,
        close_reason: None,
        version: 1,
    }
}

fn offer(title: &str, countries: &[&str]) -> Offer {
    Offer {
        id: id(),
        name: name(title),
        description: format!("{title}, billed monthly"),
        unit_type: "Licenses".into(),
        term: TermDuration::Annual,
        unit_price_minor: 1_250,
        currency: "USD".into(),
        min_quantity: 1,
        max_quantity: 300,
        countries: countries.iter().map(|c| country(c)).collect(),
        is_available: true,
        created_at: now(),
        version: 1,
    }
}

async fn pg() -> Option<TestDb> {
    partnerdesk_testkit::postgres().await
}

/// Commits a partner, a customer and an active relationship between them.
async fn seed_active_pair(db: &TestDb) -> (Partner, Customer, Relationship) {
    let (p, c) = (
        partner("Fabrikam", PartnerType::Direct),
        customer("ООО Ромашка", "romashka.example"),
    );
    let rel = relationship(p.id, c.id);
    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_partner(&p).await.expect("partner");
    tx.insert_customer(&c).await.expect("customer");
    tx.insert_relationship(&rel).await.expect("relationship");
    tx.commit().await.expect("commit");
    (p, c, rel)
}

#[tokio::test]
async fn organisations_users_and_reseller_links_read_back_as_written() {
    let Some(db) = pg().await else { return };
    let operator: OrgId = id();
    let provider = partner("Contoso Distribution", PartnerType::IndirectProvider);
    let reseller = partner("Рога и копыта", PartnerType::IndirectReseller);
    let c = customer("ООО Ромашка", "romashka.example");
    let anna = User {
        id: id(),
        org_id: provider.id.into(),
        org_kind: OrgKind::Partner,
        email: Email::parse("Anna@Contoso.Example").expect("valid email"),
        display_name: name("Anna"),
        roles: vec![Role::PartnerGlobalAdmin, Role::SalesAgent],
        locale: Culture::parse("en-US").expect("valid culture"),
        created_at: now(),
        version: 1,
    };
    let link = ResellerLink {
        provider_id: provider.id,
        reseller_id: reseller.id,
        created_at: now(),
    };

    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_operator(operator, "Operator", now()).await.expect("operator");
    tx.insert_partner(&provider).await.expect("provider");
    tx.insert_partner(&reseller).await.expect("reseller");
    tx.insert_customer(&c).await.expect("customer");
    tx.insert_user(&anna, "hash-1").await.expect("user");
    tx.insert_reseller_link(&link).await.expect("link");
    tx.commit().await.expect("commit");

    let mut tx = db.store.read().await.expect("read");
    assert_eq!(tx.find_operator().await.expect("operator"), Some(operator));
    assert_eq!(
        tx.find_partner(provider.id).await.expect("partner"),
        Some(provider.clone())
    );
    assert_eq!(tx.find_customer(c.id).await.expect("customer"), Some(c.clone()));
    assert_eq!(
        tx.find_partner(PartnerId(c.id.0))
            .await
            .expect("partner by customer id"),
        None
    );
    assert_eq!(
        tx.find_customer(CustomerId(provider.id.0))
            .await
            .expect("customer by partner id"),
        None
    );
    assert_eq!(
        tx.list_partners(None, 10).await.expect("partners"),
        vec![provider.clone(), reseller.clone()]
    );
    assert_eq!(
        tx.list_partners(Some(provider.id), 10).await.expect("partners"),
        vec![reseller.clone()]
    );
    assert_eq!(tx.find_user(anna.id).await.expect("user"), Some(anna.clone()));
    let creds = tx
        .find_user_by_email(&anna.email)
        .await
        .expect("by email")
        .expect("found");
    assert_eq!((creds.user, creds.password_hash.as_str()), (anna.clone(), "hash-1"));
    assert_eq!(
        tx.list_users(provider.id.into()).await.expect("users"),
        vec![anna.clone()]
    );
    assert_eq!(
        tx.find_provider_of(reseller.id).await.expect("provider"),
        Some(provider.id)
    );
    assert_eq!(tx.list_reseller_links(provider.id).await.expect("links"), vec![link]);
    tx.rollback().await.expect("rollback");

    let mut tx = db.store.begin().await.expect("begin");
    let taken = User {
        id: id(),
        ..anna.clone()
    };
    assert!(matches!(
        tx.insert_user(&taken, "h").await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let mut tx = db.store.begin().await.expect("begin");
    tx.set_password_hash(anna.id, "hash-2").await.expect("password");
    assert!(tx.delete_reseller_link(provider.id, reseller.id).await.expect("unlink"));
    assert!(!tx
        .delete_reseller_link(provider.id, reseller.id)
        .await
        .expect("unlink again"));
    tx.commit().await.expect("commit");
    let mut tx = db.store.begin().await.expect("begin");
    let creds = tx
        .find_user_by_email(&anna.email)
        .await
        .expect("by email")
        .expect("found");
    assert_eq!(creds.password_hash, "hash-2");
    tx.delete_user(anna.id).await.expect("delete");
    assert_eq!(tx.find_user(anna.id).await.expect("user"), None);
    assert_eq!(tx.delete_user(anna.id).await, Err(StoreError::NotFound("user")));
}

#[tokio::test]
async fn requests_offers_orders_subscriptions_and_delegated_admin_read_back_as_written() {
    let Some(db) = pg().await else { return };
    let (p, c, _) = seed_active_pair(&db).await;
    let req = RelationshipRequest {
        id: id(),
        partner_id: p.id,
        include_dap: true,
        state: RequestState::Pending,
        created_at: now(),
        created_by: id(),
        expires_at: now() + chrono::Duration::days(90),
        customer_id: None,
        answered_at: None,
        answered_by: None,
        version: 1,
    };
    let (everywhere, us_only, nowhere) = (
        offer("M365", &["US", "RU"]),
        offer("Dynamics", &["US"]),
        offer("Old", &[]),
    );
    let line = |n: i64, o: &Offer| LineItem {
        line_number: n,
        offer_id: o.id,
        quantity: 5 * n,
        friendly_name: format!("{} seats", o.name.as_str()),
        subscription_id: id(),
    };
    let order = Order {
        id: id(),
        customer_id: c.id,
        partner_id: p.id,
        reseller_id: None,
        line_items: vec![line(2, &us_only), line(1, &everywhere)],
        created_at: now(),
        created_by: id(),
    };
    let sub = Subscription {
        id: order.line_items[1].subscription_id,
        customer_id: c.id,
        partner_id: p.id,
        reseller_id: None,
        offer_id: everywhere.id,
        order_id: order.id,
        friendly_name: "Офис".into(),
        quantity: 5,
        status: SubscriptionStatus::Active,
        auto_renew: true,
        support_partner_id: Some(p.id),
        effective_start: now(),
        commitment_end: TermDuration::Annual.end_from(now()),
        created_at: now(),
        updated_at: now(),
        version: 1,
    };
    let grant = DapGrant {
        id: id(),
        partner_id: p.id,
        customer_id: c.id,
        granted_at: now(),
        ended_at: None,
        ended_by: None,
    };
    let gdap = GdapRelationship {
        id: id(),
        partner_id: p.id,
        customer_id: Some(c.id),
        customer_display_name: None,
        display_name: "Helpdesk".into(),
        status: GdapStatus::ApprovalPending,
        roles: vec![
            "729827e3-9c14-49f7-bb1b-9608f156bbb8".into(),
            "f2ef992c-3afb-46b9-b7cf-a126ee74c451".into(),
        ],
        duration_days: 730,
        auto_extend_days: 0,
        created_at: now(),
        last_modified_at: now(),
        locked_at: Some(now()),
        activated_at: None,
        ends_at: None,
        ended_at: None,
        expiry_warned_at: None,
        version: 1,
    };
    let record = AuditRecord {
        id: id(),
        at: now(),
        actor_user_id: Some(id()),
        actor_org_id: Some(p.id.into()),
        operation: "create_order".into(),
        resource_type: "order".into(),
        resource_id: order.id.to_string(),
        partner_id: Some(p.id),
        customer_id: Some(c.id),
        before: None,
        after: Some(r#"{"note":"переезд"}"#.into()),
        customer_name: Some("Contoso".into()),
        actor_upn: Some("admin@partner.example".into()),
        application: Some("cli".into()),
        correlation_id: None,
        status: "succeeded".into(),
        link: None,
    };
    let event = OutboxEvent {
        id: id(),
        at: now(),
        event_type: "create-order".into(),
        partner_id: Some(p.id),
        customer_id: Some(c.id),
        payload: "{}".into(),
        resource_type: "order".into(),
        resource_id: "o1".into(),
        audit_id: Some(record.id),
    };

    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_request(&req, "token-hash").await.expect("request");
    for o in [&everywhere, &us_only, &nowhere] {
        tx.insert_offer(o).await.expect("offer");
    }
    tx.insert_order(&order).await.expect("order");
    tx.insert_subscription(&sub).await.expect("subscription");
    tx.insert_dap(&grant).await.expect("dap");
    tx.insert_gdap(&gdap).await.expect("gdap");
    tx.insert_audit(&record).await.expect("audit");
    tx.insert_event(&event).await.expect("event");
    tx.commit().await.expect("commit");

    let mut tx = db.store.begin().await.expect("begin");
    assert_eq!(tx.find_request(req.id).await.expect("request"), Some(req.clone()));
    assert_eq!(
        tx.find_request_by_token_hash("token-hash").await.expect("by token"),
        Some(req.clone())
    );
    assert_eq!(
        tx.list_partner_requests(p.id).await.expect("requests"),
        vec![req.clone()]
    );
    assert_eq!(tx.find_offer(nowhere.id).await.expect("offer"), Some(nowhere.clone()));
    let ids = |offers: Vec<Offer>| offers.into_iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(
        ids(tx.list_offers(Some(&country("RU"))).await.expect("RU")),
        vec![everywhere.id]
    );
    assert_eq!(
        ids(tx.list_offers(None).await.expect("all")),
        vec![everywhere.id, us_only.id, nowhere.id]
    );
    let mut by_line = order.clone();
    by_line.line_items.sort_by_key(|l| l.line_number);
    assert_eq!(
        tx.find_order(c.id, order.id).await.expect("order"),
        Some(by_line.clone())
    );
    assert_eq!(
        tx.find_order(id(), order.id).await.expect("other customer's order"),
        None
    );
    assert_eq!(
        tx.list_orders(c.id, Some(p.id)).await.expect("orders"),
        vec![by_line.clone()]
    );
    assert_eq!(
        tx.list_orders(c.id, Some(id())).await.expect("other partner's orders"),
        vec![]
    );
    assert_eq!(
        tx.find_subscription(sub.id).await.expect("subscription"),
        Some(sub.clone())
    );
    assert_eq!(tx.lock_subscription(sub.id).await.expect("lock"), Some(sub.clone()));
    assert_eq!(
        tx.list_customer_subscriptions(c.id).await.expect("subscriptions"),
        vec![sub.clone()]
    );
    assert_eq!(tx.list_dap(p.id, c.id).await.expect("dap"), vec![grant.clone()]);
    assert_eq!(tx.list_gdap(p.id, c.id).await.expect("gdap"), vec![gdap.clone()]);
    assert_eq!(
        tx.list_audit(Some(c.id), None, 10).await.expect("audit"),
        vec![record.clone()]
    );
    assert_eq!(
        tx.list_audit(None, Some(record.id), 10).await.expect("audit after"),
        vec![]
    );
    assert_eq!(tx.list_pending_events(10).await.expect("events"), vec![event]);

    let (ended_at, ended_by) = (now(), id());
    tx.end_dap(grant.id, ended_at, Some(ended_by)).await.expect("end dap");
    let mut terminated = gdap.clone();
    terminated.terminate_for_removal(now());
    tx.update_gdap(&terminated).await.expect("gdap update");
    let mut answered = req.clone();
    answered.accept(c.id, id(), now()).expect("accept");
    tx.update_request(&answered).await.expect("request update");
    let mut suspended = sub.clone();
    suspended.suspend(now()).expect("suspend");
    tx.update_subscription(&suspended).await.expect("subscription update");
    tx.commit().await.expect("commit");

    let mut tx = db.store.read().await.expect("read");
    let ended = DapGrant {
        ended_at: Some(ended_at),
        ended_by: Some(ended_by),
        ..grant
    };
    assert_eq!(tx.list_dap(p.id, c.id).await.expect("dap"), vec![ended]);
    assert_eq!(
        tx.list_gdap(p.id, c.id).await.expect("gdap"),
        vec![GdapRelationship {
            version: 2,
            ..terminated
        }]
    );
    assert_eq!(
        tx.find_request(req.id).await.expect("request"),
        Some(RelationshipRequest { version: 2, ..answered })
    );
    assert_eq!(
        tx.find_subscription(sub.id).await.expect("sub"),
        Some(Subscription {
            version: 2,
            ..suspended
        })
    );
}

#[tokio::test]
async fn a_second_active_relationship_for_a_pair_is_a_conflict_but_a_closed_one_is_history() {
    let Some(db) = pg().await else { return };
    let (p, c, rel) = seed_active_pair(&db).await;

    let mut tx = db.store.begin().await.expect("begin");
    let err = tx
        .insert_relationship(&relationship(p.id, c.id))
        .await
        .expect_err("second active");
    assert!(
        matches!(err, StoreError::Conflict(ConflictKind::RelationshipActive)),
        "{err:?}"
    );
    drop(tx);

    let mut tx = db.store.begin().await.expect("begin");
    let mut closed = rel.clone();
    closed.close(id(), now(), "moved".into()).expect("close");
    tx.update_relationship(&closed).await.expect("close");
    let again = relationship(p.id, c.id);
    tx.insert_relationship(&again)
        .await
        .expect("a new active one after closing");
    tx.commit().await.expect("commit");

    let mut tx = db.store.read().await.expect("read");
    assert_eq!(
        tx.find_active_relationship(p.id, c.id).await.expect("find"),
        Some(again.clone())
    );
    let history = tx.list_customer_relationships(c.id).await.expect("history");
    assert_eq!(history, vec![Relationship { version: 2, ..closed }, again]);
}

#[tokio::test]
async fn an_update_from_a_stale_version_is_a_version_conflict_and_of_a_missing_row_not_found() {
    let Some(db) = pg().await else { return };
    let (_, c, _) = seed_active_pair(&db).await;
    let mut renamed = c.clone();
    renamed.company.company_name = name("АО Василёк");

    let mut tx = db.store.begin().await.expect("begin");
    tx.update_customer(&renamed).await.expect("first update");
    assert_eq!(
        tx.update_customer(&renamed).await,
        Err(StoreError::VersionConflict("customer"))
    );
    let missing = customer("Nobody", "nobody.example");
    assert_eq!(
        tx.update_customer(&missing).await,
        Err(StoreError::NotFound("customer"))
    );
    tx.commit().await.expect("commit");

    let mut tx = db.store.read().await.expect("read");
    assert_eq!(
        tx.find_customer(c.id).await.expect("find"),
        Some(Customer { version: 2, ..renamed })
    );
}

#[tokio::test]
async fn a_partners_customers_come_in_keyset_pages_and_match_a_search_in_any_case_and_script() {
    let Some(db) = pg().await else { return };
    let p = partner("Fabrikam", PartnerType::Direct);
    let other = partner("Northwind", PartnerType::Direct);
    let mut customers: Vec<Customer> = (0..7)
        .map(|i| match i % 3 {
            0 => customer(&format!("ООО Ромашка {i}"), &format!("romashka{i}.example")),
            1 => customer(&format!("Contoso {i}"), &format!("contoso{i}.example")),
            _ => customer(&format!("100%_Sure {i}"), &format!("sure{i}.example")),
        })
        .collect();
    let closed = customer("ООО Ромашка закрыта", "closed.example");
    let not_ours = customer("ООО Ромашка чужая", "other.example");

    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_partner(&p).await.expect("partner");
    tx.insert_partner(&other).await.expect("other partner");
    for c in customers.iter().chain([&closed, &not_ours]) {
        tx.insert_customer(c).await.expect("customer");
    }
    for c in &customers {
        tx.insert_relationship(&relationship(p.id, c.id))
            .await
            .expect("relationship");
    }
    let mut gone = relationship(p.id, closed.id);
    gone.close(id(), now(), "ended".into()).expect("close");
    tx.insert_relationship(&gone).await.expect("closed relationship");
    tx.insert_relationship(&relationship(other.id, not_ours.id))
        .await
        .expect("other's relationship");
    tx.commit().await.expect("commit");
    customers.sort_by_key(|c| c.id);

    let mut tx = db.store.read().await.expect("read");
    let all = CustomerFilter::All;
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = tx.list_partner_customers(p.id, &all, after, 3).await.expect("page");
        if page.is_empty() {
            break;
        }
        after = page.last().map(|c| c.id);
        pages.push(page);
    }
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 1]);
    assert_eq!(pages.concat(), customers);
    assert_eq!(tx.count_partner_customers(p.id, &all).await.expect("count"), 7);

    let search =
        |q: &str| CustomerFilter::Contains(SearchText::parse("q", q).expect("search text").expect("not blank"));
    let found = tx
        .list_partner_customers(p.id, &search("РОМАШКА"), None, 100)
        .await
        .expect("cyrillic");
    let expected: Vec<Customer> = customers
        .iter()
        .filter(|c| c.company.company_name.as_str().contains("Ромашка"))
        .cloned()
        .collect();
    assert_eq!(found, expected);
    assert_eq!(
        tx.count_partner_customers(p.id, &search("ромашка"))
            .await
            .expect("count"),
        3
    );
    assert_eq!(
        tx.count_partner_customers(p.id, &search("CONTOSO1.EXAMPLE"))
            .await
            .expect("by domain"),
        1
    );
    assert_eq!(
        tx.count_partner_customers(p.id, &search("100%_"))
            .await
            .expect("literal wildcards"),
        2
    );
    assert_eq!(
        tx.count_partner_customers(p.id, &search("1%s"))
            .await
            .expect("percent is literal"),
        0
    );
    let second = tx
        .list_partner_customers(p.id, &search("ромашка"), Some(expected[0].id), 1)
        .await
        .expect("page 2");
    assert_eq!(second, vec![expected[1].clone()]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lock_on_the_active_relationship_waits_for_a_removal_and_then_finds_it_closed() {
    let Some(db) = pg().await else { return };
    let (p, c, rel) = seed_active_pair(&db).await;

    let mut remover = db.store.begin().await.expect("begin removal");
    let locked = remover
        .lock_active_relationship(p.id, c.id)
        .await
        .expect("lock")
        .expect("active");

    let store = db.store.clone();
    let mut orderer = tokio::spawn(async move {
        let mut tx = store.begin().await.expect("begin order");
        let seen = tx.lock_active_relationship(p.id, c.id).await;
        (seen, tx.rollback().await)
    });
    let waited = tokio::time::timeout(Duration::from_millis(500), &mut orderer).await;
    assert!(
        waited.is_err(),
        "the second lock did not wait for the first: {waited:?}"
    );

    let mut closed = locked;
    closed.close(id(), now(), "removed".into()).expect("close");
    remover.update_relationship(&closed).await.expect("update");
    remover.commit().await.expect("commit removal");

    let (seen, rolled_back) = tokio::time::timeout(Duration::from_secs(10), orderer)
        .await
        .expect("the waiter wakes once the removal commits")
        .expect("task");
    assert_eq!(seen, Ok(None));
    assert_eq!(rolled_back, Ok(()));
    let mut tx = db.store.read().await.expect("read");
    let history = tx.list_customer_relationships(c.id).await.expect("history");
    assert_eq!(history, vec![Relationship { version: 2, ..closed }]);
    assert_eq!(history[0].id, rel.id);
}

#[tokio::test]
async fn a_read_transaction_refuses_writes() {
    let Some(db) = pg().await else { return };
    let mut tx = db.store.read().await.expect("read");
    let err = tx
        .insert_partner(&partner("Sneaky", PartnerType::Direct))
        .await
        .expect_err("read only");
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
}

#[tokio::test]
async fn migrating_an_up_to_date_database_again_changes_nothing() {
    let Some(db) = pg().await else { return };
    db.store.migrate().await.expect("second migrate");
    db.store.ping().await.expect("ping");
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable_within_seconds() {
    // Port 1 on localhost refuses connections; the pool retries until its acquire timeout.
    let url = DatabaseUrl::Postgres("postgres://postgres@127.0.0.1:1/test".into());
    let started = Instant::now();
    let err = Store::connect(&url).await.expect_err("nothing listens on port 1");
    assert!(
        matches!(err, StoreError::Unavailable(ref m) if m.contains("127.0.0.1:1")),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn nodes_migrating_a_new_database_together_apply_each_migration_once() {
    let url = partnerdesk_testkit::db::postgres_url();
    let Ok(admin) = sqlx::PgPool::connect(&url).await else {
        eprintln!("skipping PostgreSQL test: cannot connect to {url}");
        return;
    };
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Named like the test kit's schemas so that its clean-up drops it later.
    let schema = format!("pdtest_{secs}_{}", Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("schema");

    let nodes: Vec<_> = (0..4)
        .map(|_| {
            let (url, schema) = (url.clone(), schema.clone());
            tokio::spawn(async move {
                let store = Store::connect_postgres_schema(&url, &schema).await?;
                store.migrate().await
            })
        })
        .collect();
    for node in nodes {
        node.await.expect("task").expect("migrate");
    }
    let applied: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {schema}.schema_migrations"
    )))
    .fetch_one(&admin)
    .await
    .expect("count");
    assert_eq!(applied, partnerdesk_store::migrations::POSTGRES.len() as i64);
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await
        .expect("drop");
}

#[tokio::test]
async fn customers_without_search_keys_get_them_when_the_store_migrates() {
    let url = partnerdesk_testkit::db::postgres_url();
    let Ok(admin) = sqlx::PgPool::connect(&url).await else {
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!("CI=true and PostgreSQL at {url} is unreachable");
        }
        eprintln!("skipping PostgreSQL test: cannot connect to {url}");
        return;
    };
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let schema = format!("pdtest_{secs}_{}", Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("schema");
    let store = Store::connect_postgres_schema(&url, &schema).await.expect("connect");
    store.migrate().await.expect("migrate");
    let p = partner("Fabrikam", PartnerType::Direct);
    let c = customer("ΟΔΟΣ Ромашка", "odos.example");
    let mut tx = store.begin().await.expect("begin");
    tx.insert_partner(&p).await.expect("partner");
    tx.insert_customer(&c).await.expect("customer");
    tx.insert_relationship(&relationship(p.id, c.id))
        .await
        .expect("relationship");
    tx.commit().await.expect("commit");
    // As a row written before migration 0007 left it: no keys.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {schema}.organizations SET name_key = NULL, domain_key = NULL"
    )))
    .execute(&admin)
    .await
    .expect("forget the keys");

    let text = |q: &str| SearchText::parse("q", q).expect("search text").expect("not blank");
    let prefix = CustomerFilter::NameStartsWith(text("ΟΔΟΣ"));
    let mut tx = store.read().await.expect("read");
    let before = tx.count_partner_customers(p.id, &prefix).await.expect("count");
    drop(tx);
    store.migrate().await.expect("migrate again");
    let mut tx = store.read().await.expect("read");
    for filter in [
        prefix,
        CustomerFilter::NameStartsWith(text("οδοσ ром")),
        CustomerFilter::DomainStartsWith(text("ODOS.")),
    ] {
        let found = tx
            .list_partner_customers(p.id, &filter, None, 10)
            .await
            .expect("search");
        assert_eq!(found, vec![c.clone()], "{filter:?}");
    }
    drop(tx);
    assert_eq!(before, 0, "a row without keys matches no prefix");
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await
        .expect("drop");
}
