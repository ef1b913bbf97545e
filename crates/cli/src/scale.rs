//! `demo --scale N`: a data set the size of a large instance, for measuring. N customers over
//! many partners with a long tail (the first partner has 40 % of them, the next two 12 % and
//! 10 %, the rest shrink down to partners of ten), each customer with an active
//! relationship, two orders making ten subscriptions in mixed statuses, a GDAP relationship
//! for every tenth, and an audit record per change on the partner's hash chain.
//!
//! Partners and their admins are made through the use cases (so they sign in like any
//! other); customers and what they own are written by the store's bulk loader
//! (`partnerdesk_store::bulk`), a few thousand customers per transaction, with the audit
//! records linked onto their chains in the same transaction, so `partnerdesk audit verify`
//! holds afterwards.

use anyhow::Context;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use partnerdesk_app::operator::NewPartnerInput;
use partnerdesk_app::{App, SignInClient};
use partnerdesk_domain::audit::{Application, AuditRecord, Operation, SUCCEEDED};
use partnerdesk_domain::offer::{LineItem, Offer, Order};
use partnerdesk_domain::org::{BillingProfile, CompanyProfile, Customer};
use partnerdesk_domain::relationship::{GdapRelationship, GdapStatus, Relationship, RelationshipState};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::{Country, Culture, Domain, Email, Name, Note};
use partnerdesk_domain::{OrgId, PartnerId, UserId};
use partnerdesk_store::bulk::BulkRows;
use partnerdesk_store::Store;
use uuid::Uuid;

use crate::demo::DEMO_PASSWORD;

/// Customers written per transaction (about 27 rows each).
const BATCH: usize = 2000;
/// Subscriptions per customer (two orders of five lines).
const SUBSCRIPTIONS: usize = 10;
/// The e-mail of the admin of scale partner `n` (numbered from 1; the first is the largest).
pub fn partner_admin(n: usize) -> String {
    format!("admin@scale{n:04}.example")
}

/// How many customers each partner gets, largest first: 40 %, 12 % and 10 % to the first
/// three, then each next partner a fortieth of what is left (at least ten; the last takes
/// what remains).
pub fn partner_sizes(n: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut left = n;
    for share in [40, 12, 10] {
        let size = (n * share / 100).min(left);
        if size > 0 {
            sizes.push(size);
            left -= size;
        }
    }
    while left > 0 {
        let mut size = (left / 40).max(10).min(left);
        if left - size < 10 {
            size = left;
        }
        sizes.push(size);
        left -= size;
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

/// What `--scale` wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScaleReport {
    pub partners: usize,
    pub largest: usize,
    pub customers: usize,
    pub subscriptions: usize,
    pub orders: usize,
    pub gdap: usize,
    pub audit_records: usize,
}

/// Writes the data set into a database the demo was seeded in (`bulk` hashes passwords at
/// the fast cost). Refused when scale partners are there already.
pub async fn generate(bulk: &App, store: &Store, n: usize) -> anyhow::Result<ScaleReport> {
    let operator = bulk
        .sign_in(&SignInClient::unknown(), "operator@partnerdesk.example", DEMO_PASSWORD)
        .await
        .context("the demo operator cannot sign in; the demo seed must run first")?;
    let operator = bulk.caller(operator.id).await?;
    let offers: Vec<Offer> = {
        let mut tx = store.read().await?;
        tx.list_offers(None)
            .await?
            .into_iter()
            .filter(|o| o.is_available)
            .collect()
    };
    anyhow::ensure!(!offers.is_empty(), "the demo has no offers to sell");

    let sizes = partner_sizes(n);
    let mut report = ScaleReport {
        partners: sizes.len(),
        largest: sizes.first().copied().unwrap_or(0),
        ..ScaleReport::default()
    };
    let mut number = 0usize;
    for (i, size) in sizes.iter().enumerate() {
        let created = bulk
            .add_partner(
                &operator,
                NewPartnerInput {
                    name: format!("Scale Partner {:04}", i + 1),
                    partner_type: "direct".into(),
                    admin_email: partner_admin(i + 1),
                    admin_password: DEMO_PASSWORD.into(),
                    admin_name: None,
                    indirect_provider_id: None,
                },
            )
            .await
            .with_context(|| {
                format!(
                    "create scale partner {} (was --scale run on this database before?)",
                    i + 1
                )
            })?;
        let partner = Seller {
            id: created.partner.id,
            admin: created.admin.id,
            upn: partner_admin(i + 1),
        };
        let mut left = *size;
        while left > 0 {
            let batch = left.min(BATCH);
            write_batch(store, &partner, &offers, number, batch, &mut report).await?;
            number += batch;
            left -= batch;
            if number % 100_000 < batch {
                println!("  {number} customers written");
            }
        }
    }
    report.customers = number;
    Ok(report)
}

/// A partner customers are written for.
struct Seller {
    id: PartnerId,
    admin: UserId,
    upn: String,
}

/// Customers `first..first + count` of `partner`, with what they own, in one transaction.
async fn write_batch(
    store: &Store,
    partner: &Seller,
    offers: &[Offer],
    first: usize,
    count: usize,
    report: &mut ScaleReport,
) -> anyhow::Result<()> {
    let now = Utc::now().trunc_subsecs(6);
    let mut rows = BulkRows {
        customers: Vec::with_capacity(count),
        relationships: Vec::with_capacity(count),
        orders: Vec::with_capacity(count * 2),
        subscriptions: Vec::with_capacity(count * SUBSCRIPTIONS),
        gdap: Vec::with_capacity(count / 10 + 1),
        audits: Vec::with_capacity(count * 3 + count / 10 + 1),
    };
    let audits = &mut rows.audits;
    for number in first..first + count {
        let customer = customer(number, now)?;
        let cid = customer.id;
        let name = customer.company.company_name.as_str().to_string();
        rows.relationships.push(Relationship {
            id: v7(),
            partner_id: partner.id,
            customer_id: cid,
            state: RelationshipState::Active,
            dap_consented: false,
            created_at: now,
            created_by: Some(partner.admin),
            closed_at: None,
            closed_by: None,
            close_reason: None,
            version: 1,
        });
        let record = |op: Operation, resource_id: String, after: String| AuditRecord {
            id: v7(),
            at: now,
            actor_user_id: Some(partner.admin),
            actor_org_id: Some(OrgId::from(partner.id)),
            operation: op.audit_name().into(),
            resource_type: op.resource_type().into(),
            resource_id,
            partner_id: Some(partner.id),
            customer_id: Some(cid),
            before: None,
            after: Some(after),
            customer_name: Some(name.clone()),
            actor_upn: Some(partner.upn.clone()),
            application: Some(Application::Cli.as_text()),
            correlation_id: None,
            status: SUCCEEDED.into(),
            link: None,
        };
        audits.push(record(
            Operation::AddCustomer,
            cid.to_string(),
            format!(r#"{{"company_name":"{name}"}}"#),
        ));
        for half in 0..2 {
            let order = Order {
                id: v7(),
                customer_id: cid,
                partner_id: partner.id,
                reseller_id: None,
                line_items: (0..SUBSCRIPTIONS / 2)
                    .map(|line| {
                        let offer = &offers[(number + line) % offers.len()];
                        LineItem {
                            line_number: line as i64 + 1,
                            offer_id: offer.id,
                            quantity: offer.min_quantity.max(1 + (number % 7) as i64).min(offer.max_quantity),
                            friendly_name: format!("{} {}", offer.name.as_str(), half * 5 + line + 1),
                            subscription_id: v7(),
                        }
                    })
                    .collect(),
                created_at: now,
                created_by: partner.admin,
            };
            for (k, line) in order.line_items.iter().enumerate() {
                let offer = &offers[(number + k) % offers.len()];
                rows.subscriptions.push(Subscription {
                    id: line.subscription_id,
                    customer_id: cid,
                    partner_id: partner.id,
                    reseller_id: None,
                    offer_id: line.offer_id,
                    order_id: order.id,
                    friendly_name: line.friendly_name.clone(),
                    quantity: line.quantity,
                    status: status(number, half * 5 + k),
                    auto_renew: true,
                    support_partner_id: None,
                    effective_start: now,
                    commitment_end: offer.term.end_from(now),
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
                report.subscriptions += 1;
            }
            audits.push(record(
                Operation::CreateOrder,
                order.id.to_string(),
                format!(r#"{{"lines":{}}}"#, order.line_items.len()),
            ));
            rows.orders.push(order);
            report.orders += 1;
        }
        if number % 10 == 0 {
            let gdap = gdap(partner.id, &customer, now);
            audits.push(record(
                Operation::CreateGdapRelationship,
                gdap.id.to_string(),
                format!(r#"{{"display_name":"{}"}}"#, gdap.display_name),
            ));
            rows.gdap.push(gdap);
            report.gdap += 1;
        }
        rows.customers.push(customer);
    }
    report.audit_records += rows.audits.len();
    store.bulk_load(rows).await?;
    Ok(())
}

fn v7<T: From<Uuid>>() -> T {
    T::from(Uuid::now_v7())
}

/// Mostly active; a few suspended, expired and deleted, spread over customers.
fn status(customer: usize, line: usize) -> SubscriptionStatus {
    match (customer * 7 + line * 3) % 20 {
        0..=13 => SubscriptionStatus::Active,
        14..=16 => SubscriptionStatus::Suspended,
        17..=18 => SubscriptionStatus::Expired,
        _ => SubscriptionStatus::Deleted,
    }
}

/// Generated customer `number`: every third with a Russian name, the rest English.
fn customer(number: usize, now: DateTime<Utc>) -> anyhow::Result<Customer> {
    let (company, contact, country, culture) = if number % 3 == 2 {
        (format!("ООО Ромашка {number:07}"), "Ирина Смирнова", "RU", "ru-RU")
    } else {
        (format!("Scale Holdings {number:07}"), "Pat Jordan", "US", "en-US")
    };
    let domain = format!("scale{number:07}.example");
    Ok(Customer {
        id: v7(),
        company: CompanyProfile {
            company_name: Name::parse("companyName", &company)?,
            domain: Domain::parse(&domain)?,
            country: Country::parse(country)?,
            culture: Culture::parse(culture)?,
        },
        billing: BillingProfile {
            contact_name: Name::parse("contactName", contact)?,
            email: Email::parse(&format!("billing@{domain}"))?,
            address: Note::parse("address", "1 Main Street")?,
        },
        created_at: now,
        version: 1,
    })
}

/// Microsoft Entra's Helpdesk Administrator role, in the default role catalogue.
const HELPDESK_ADMINISTRATOR: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

/// A GDAP relationship in force for two years, Helpdesk Administrator.
fn gdap(partner: PartnerId, customer: &Customer, now: DateTime<Utc>) -> GdapRelationship {
    let id: partnerdesk_domain::GdapId = v7();
    GdapRelationship {
        id,
        partner_id: partner,
        customer_id: Some(customer.id),
        customer_display_name: Some(customer.company.company_name.as_str().to_string()),
        display_name: format!("Helpdesk {}", customer.company.domain.as_str()),
        status: GdapStatus::Active,
        roles: vec![HELPDESK_ADMINISTRATOR.into()],
        duration_days: 730,
        auto_extend_days: 0,
        created_at: now,
        last_modified_at: now,
        locked_at: Some(now),
        activated_at: Some(now),
        ends_at: Some(now + Duration::days(730)),
        ended_at: None,
        expiry_warned_at: None,
        version: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partners_make_a_long_tail_that_adds_up_to_n() {
        let sizes = partner_sizes(1_000_000);
        assert_eq!(sizes.iter().sum::<usize>(), 1_000_000);
        assert_eq!(&sizes[..3], &[400_000, 120_000, 100_000]);
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first");
        assert_eq!(sizes.iter().filter(|s| **s >= 100_000).count(), 3);
        assert!(sizes.len() > 100, "many partners: {}", sizes.len());
        assert_eq!(partner_sizes(25), vec![10, 10, 3, 2]);
        assert_eq!(partner_sizes(0), Vec::<usize>::new());
    }
}
