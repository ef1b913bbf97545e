//! Builders of valid domain values for the contract tests, and small helpers to seed rows.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use partnerdesk_domain::audit::{AuditRecord, OutboxEvent};
use partnerdesk_domain::offer::{LineItem, Offer, Order, TermDuration};
use partnerdesk_domain::org::{BillingProfile, CompanyProfile, Customer, OrgKind, Partner, PartnerType, Role, User};
use partnerdesk_domain::relationship::{DapGrant, GdapRelationship, GdapStatus, Relationship, RelationshipState};
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::{Country, Culture, Domain, Email, Name, Note};
use partnerdesk_domain::*;
use partnerdesk_testkit::TestDb;
use uuid::Uuid;

/// Now, at the precision both backends store (microseconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A fresh UUIDv7 id of any kind.
pub fn new_id<T: From<Uuid>>() -> T {
    T::from(Uuid::now_v7())
}

pub fn name(raw: &str) -> Name {
    Name::parse("name", raw).expect("valid name")
}

pub fn email(raw: &str) -> Email {
    Email::parse(raw).expect("valid email")
}

pub fn country(raw: &str) -> Country {
    Country::parse(raw).expect("valid country")
}

pub fn partner(display: &str) -> Partner {
    Partner {
        id: new_id(),
        name: name(display),
        partner_type: PartnerType::Direct,
        created_at: now(),
        version: 1,
    }
}

pub fn customer(company: &str, domain: &str) -> Customer {
    Customer {
        id: new_id(),
        company: CompanyProfile {
            company_name: name(company),
            domain: Domain::parse(domain).expect("valid domain"),
            country: country("RU"),
            culture: Culture::parse("ru-RU").expect("valid culture"),
        },
        billing: BillingProfile {
            contact_name: name("Анна Иванова"),
            email: email(&format!("billing@{domain}")),
            address: Note::parse("address", "Москва, ул. Тверская, 1").expect("valid address"),
        },
        created_at: now(),
        version: 1,
    }
}

pub fn user(org: impl Into<OrgId>, kind: OrgKind, address: &str, roles: &[Role]) -> User {
    User {
        id: new_id(),
        org_id: org.into(),
        org_kind: kind,
        email: email(address),
        display_name: name("Anna Example"),
        roles: roles.to_vec(),
        locale: Culture::parse("en-US").expect("valid culture"),
        created_at: now(),
        version: 1,
    }
}

pub fn relationship(partner: PartnerId, customer: CustomerId) -> Relationship {
    Relationship {
        id: new_id(),
        partner_id: partner,
        customer_id: customer,
        state: RelationshipState::Active,
        dap_consented: true,
        created_at: now(),
        created_by: Some(new_id()),
        closed_at: None,
        closed_by: None,
        close_reason: None,
        version: 1,
    }
}

pub fn closed_relationship(partner: PartnerId, customer: CustomerId) -> Relationship {
    let mut rel = relationship(partner, customer);
    rel.close(new_id(), now(), "moved to another partner".into())
        .expect("active relationships close");
    rel
}

pub fn request(partner: PartnerId) -> RelationshipRequest {
    let created = now();
    RelationshipRequest {
        id: new_id(),
        partner_id: partner,
        include_dap: true,
        state: RequestState::Pending,
        created_at: created,
        created_by: new_id(),
        expires_at: created + Duration::days(90),
        customer_id: None,
        answered_at: None,
        answered_by: None,
        version: 1,
    }
}

pub fn offer(title: &str, countries: &[&str]) -> Offer {
    Offer {
        id: new_id(),
        name: name(title),
        description: format!("{title}, billed monthly"),
        unit_type: "Licenses".into(),
        term: TermDuration::Monthly,
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

/// An order with one line per offer, numbered from 1, each naming a new subscription id.
pub fn order(customer: CustomerId, partner: PartnerId, offers: &[&Offer]) -> Order {
    Order {
        id: new_id(),
        customer_id: customer,
        partner_id: partner,
        reseller_id: None,
        line_items: offers
            .iter()
            .zip(1..)
            .map(|(offer, line_number)| LineItem {
                line_number,
                offer_id: offer.id,
                quantity: 5 * line_number,
                friendly_name: format!("{} seats", offer.name.as_str()),
                subscription_id: new_id(),
            })
            .collect(),
        created_at: now(),
        created_by: new_id(),
    }
}

/// The subscription an order's line created.
pub fn subscription(order: &Order, line: &LineItem) -> Subscription {
    let start = now();
    Subscription {
        id: line.subscription_id,
        customer_id: order.customer_id,
        partner_id: order.partner_id,
        reseller_id: order.reseller_id,
        offer_id: line.offer_id,
        order_id: order.id,
        friendly_name: line.friendly_name.clone(),
        quantity: line.quantity,
        status: SubscriptionStatus::Active,
        auto_renew: true,
        support_partner_id: None,
        effective_start: start,
        commitment_end: TermDuration::Monthly.end_from(start),
        created_at: start,
        updated_at: start,
        version: 1,
    }
}

pub fn dap(partner: PartnerId, customer: CustomerId) -> DapGrant {
    DapGrant {
        id: new_id(),
        partner_id: partner,
        customer_id: customer,
        granted_at: now(),
        ended_at: None,
        ended_by: None,
    }
}

pub fn gdap(partner: PartnerId, customer: CustomerId) -> GdapRelationship {
    let id = new_id();
    GdapRelationship {
        id,
        partner_id: partner,
        customer_id: Some(customer),
        customer_display_name: None,
        // Display names are unique per partner.
        display_name: format!("Helpdesk access {id}"),
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
    }
}

pub fn audit(partner: Option<PartnerId>, customer: Option<CustomerId>, operation: &str) -> AuditRecord {
    AuditRecord {
        id: new_id(),
        at: now(),
        actor_user_id: Some(new_id()),
        actor_org_id: partner.map(OrgId::from),
        operation: operation.into(),
        resource_type: "partner_customer_relationship".into(),
        resource_id: Uuid::now_v7().to_string(),
        partner_id: partner,
        customer_id: customer,
        before: Some(r#"{"state":"active"}"#.into()),
        after: Some(r#"{"state":"closed","reason":"переезд"}"#.into()),
        customer_name: customer.map(|_| "Contoso Ёлка".into()),
        actor_upn: Some("admin@partner.example".into()),
        application: Some("dashboard".into()),
        correlation_id: Some(Uuid::now_v7().to_string()),
        status: "succeeded".into(),
        link: None,
    }
}

pub fn event(partner: Option<PartnerId>, customer: Option<CustomerId>, event_type: &str) -> OutboxEvent {
    OutboxEvent {
        id: new_id(),
        at: now(),
        event_type: event_type.into(),
        partner_id: partner,
        customer_id: customer,
        payload: r#"{"ResourceUri":"/customers"}"#.into(),
        resource_type: "customer".into(),
        resource_id: customer.map(|c| c.to_string()).unwrap_or_default(),
        audit_id: None,
    }
}

/// Commits a partner and a customer (with no relationship between them).
pub async fn seed_pair(db: &TestDb) -> (Partner, Customer) {
    // A domain names one customer, so a second pair in the same database gets its own.
    let mut tx = db.store.read().await.expect("read");
    let first = Domain::parse("romashka.example").expect("valid domain");
    let domain = match tx.customer_domain_taken(&first).await.expect("domain lookup") {
        false => first.as_str().to_string(),
        true => format!("romashka-{}.example", Uuid::now_v7().simple()),
    };
    drop(tx);
    let (p, c) = (partner("Fabrikam Reseller"), customer("ООО Ромашка", &domain));
    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_partner(&p).await.expect("insert partner");
    tx.insert_customer(&c).await.expect("insert customer");
    tx.commit().await.expect("commit");
    (p, c)
}

/// Commits a partner with one user, and returns the user.
pub async fn seed_user(db: &TestDb, address: &str) -> User {
    let (p, _) = seed_pair(db).await;
    let u = user(p.id, OrgKind::Partner, address, &[Role::PartnerGlobalAdmin]);
    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_user(&u, "hash").await.expect("insert user");
    tx.commit().await.expect("commit");
    u
}
