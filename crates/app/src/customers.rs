//! A partner's customers: creating one (the relationship is active at once, as when a
//! reseller signs up a new customer), the customer list (active relationships only), and
//! one customer with what the caller's relationship gives it.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::{BillingProfile, CompanyProfile, Customer, OrgKind, PartnerType, User};
use partnerdesk_domain::permission::{Action, PartnerTypeRule};
use partnerdesk_domain::relationship::{Relationship, RelationshipState};
use partnerdesk_domain::values::{Country, Culture, Domain, Email, Name, Note, SearchText};
use partnerdesk_domain::{CustomerId, DomainError, PartnerId, RelationshipId};
pub use partnerdesk_store::CustomerStanding;
use partnerdesk_store::{CustomerFilter, Tx};
use serde::Serialize;

use crate::access::active_relationship;
use crate::audit::Change;
use crate::operator::NewUserInput;
use crate::{tokens, App, AppError, AppResult, Caller};

/// The largest page [`App::list_customers`] returns (exports read in pages this size).
pub const MAX_PAGE: u32 = 1000;

/// A new customer, as entered by a partner.
#[derive(Debug, Clone, Default)]
pub struct NewCustomerInput {
    pub company_name: String,
    pub domain: String,
    pub country: String,
    pub culture: Option<String>,
    pub billing_contact: String,
    pub billing_email: String,
    pub billing_address: Option<String>,
    /// The first admin's sign-in; default `admin@<domain>`.
    pub admin_email: Option<String>,
    /// The first admin's password; default a generated one, returned once.
    pub admin_password: Option<String>,
    /// An indirect provider creating the customer for one of its resellers.
    pub indirect_reseller_id: Option<PartnerId>,
}

/// A created customer and the credentials of its first admin (shown once).
#[derive(Debug, Clone, Serialize)]
pub struct CreatedCustomer {
    pub customer: Customer,
    pub relationship: Relationship,
    pub admin: User,
    pub admin_password: String,
}

/// One page of a list, with the key to continue after it.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T, K> {
    pub items: Vec<T>,
    pub total_count: i64,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub next: Option<K>,
}

/// A customer as the caller sees it.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerView {
    pub customer: Customer,
    /// The caller's active relationship (partners only).
    pub relationship: Option<Relationship>,
    /// The caller holds DAP over the customer.
    pub delegated_access: bool,
}

/// What a customer list is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerSearch {
    /// A case-insensitive part of the company name or the domain (the dashboard's search).
    Contains(SearchText),
    /// Company names that start with the text, in any case and script (the API's
    /// `CompanyName` `starts_with` filter).
    NameStartsWith(SearchText),
    /// Domains that start with the text (`Domain` `starts_with`).
    DomainStartsWith(SearchText),
    /// The customers the caller, an indirect provider, serves through this indirect
    /// reseller of its (`IndirectReseller`). A partner that is not one of the caller's
    /// resellers gives no customers.
    IndirectReseller(PartnerId),
}

/// The store filter of a search (none: every customer). `None` when nothing can match:
/// the reseller a search names is not one of the partner's.
async fn customer_filter(
    tx: &mut dyn Tx,
    partner: PartnerId,
    search: Option<&CustomerSearch>,
) -> AppResult<Option<CustomerFilter>> {
    Ok(Some(match search {
        None => CustomerFilter::All,
        Some(CustomerSearch::Contains(q)) => CustomerFilter::Contains(q.clone()),
        Some(CustomerSearch::NameStartsWith(q)) => CustomerFilter::NameStartsWith(q.clone()),
        Some(CustomerSearch::DomainStartsWith(q)) => CustomerFilter::DomainStartsWith(q.clone()),
        Some(CustomerSearch::IndirectReseller(reseller)) => {
            // Only the caller's own resellers: another provider's reseller (or an id that is
            // no reseller at all) matches nothing, and says nothing about whom it serves.
            if tx.find_provider_of(*reseller).await? != Some(partner) {
                return Ok(None);
            }
            CustomerFilter::SharedWith(*reseller)
        }
    }))
}

fn parse_customer(input: &NewCustomerInput) -> AppResult<(CompanyProfile, BillingProfile)> {
    let company = CompanyProfile {
        company_name: Name::parse("companyName", &input.company_name)?,
        domain: Domain::parse(&input.domain)?,
        country: Country::parse(&input.country)?,
        culture: Culture::parse(input.culture.as_deref().unwrap_or("en-US"))?,
    };
    let billing = BillingProfile {
        contact_name: Name::parse("billingProfile.contactName", &input.billing_contact)?,
        email: Email::parse(&input.billing_email)?,
        address: Note::parse("billingProfile.address", input.billing_address.as_deref().unwrap_or(""))?,
    };
    Ok((company, billing))
}

impl App {
    pub(crate) fn new_relationship(
        &self,
        partner: PartnerId,
        customer: CustomerId,
        dap_consented: bool,
        caller: &Caller,
    ) -> Relationship {
        Relationship {
            id: RelationshipId(self.new_id()),
            partner_id: partner,
            customer_id: customer,
            state: RelationshipState::Active,
            dap_consented,
            created_at: self.now(),
            created_by: Some(caller.user_id),
            closed_at: None,
            closed_by: None,
            close_reason: None,
            version: 1,
        }
    }

    /// Partner: creates a customer, its first admin, and an active relationship.
    pub async fn add_customer(&self, caller: &Caller, input: NewCustomerInput) -> AppResult<CreatedCustomer> {
        caller.authorize(Action::AddCustomer)?;
        let partner = caller.partner_id(Action::AddCustomer)?;
        let (company, billing) = parse_customer(&input)?;
        let customer = Customer {
            id: CustomerId(self.new_id()),
            company,
            billing,
            created_at: self.now(),
            version: 1,
        };
        let admin_email = input
            .admin_email
            .clone()
            .unwrap_or_else(|| format!("admin@{}", customer.company.domain.as_str()));
        let admin_password = input.admin_password.clone().unwrap_or_else(tokens::new_token);
        let admin_input = NewUserInput {
            email: admin_email,
            password: admin_password.clone(),
            display_name: Some(customer.billing.contact_name.as_str().to_string()),
            roles: vec!["global_admin".into()],
            locale: Some(customer.company.culture.as_str().to_string()),
        };
        let (admin, hash) = self
            .build_user(customer.id.into(), OrgKind::Customer, &admin_input)
            .await?;

        let mut tx = self.write().await?;
        let reseller = match input.indirect_reseller_id {
            Some(reseller) => {
                if caller.partner_type != Some(PartnerType::IndirectProvider) {
                    return Err(DomainError::PartnerTypeNotAllowed(
                        PartnerTypeRule::OnlyProviderCreatesResellerCustomers,
                    )
                    .into());
                }
                if tx.find_provider_of(reseller).await? != Some(partner) {
                    return Err(DomainError::InvalidProperty {
                        property: "indirectResellerId",
                        reason: partnerdesk_domain::Reason::NotYourReseller,
                    }
                    .into());
                }
                Some(reseller)
            }
            None => None,
        };
        // A domain names one tenant. Refusing a taken one says only that it is taken; a
        // derived admin address that is taken is reported as the domain too, so the answer
        // never names another organisation's user.
        let domain_in_use = || AppError::AlreadyInUse {
            property: "domain",
            value: customer.company.domain.as_str().to_string(),
        };
        if tx.customer_domain_taken(&customer.company.domain).await? {
            return Err(domain_in_use());
        }
        if tx.find_user_by_email(&admin.email).await?.is_some() {
            return Err(match input.admin_email {
                Some(_) => crate::users::email_in_use(&admin.email),
                None => domain_in_use(),
            });
        }
        tx.insert_customer(&customer).await?;
        self.insert_user(tx.as_mut(), &admin, &hash).await?;
        let relationship = self.new_relationship(partner, customer.id, false, caller);
        tx.insert_relationship(&relationship).await?;
        if let Some(reseller) = reseller {
            tx.insert_relationship(&self.new_relationship(reseller, customer.id, false, caller))
                .await?;
        }
        let change = Change::new(Some(caller), Operation::AddCustomer, customer.id)
            .partner(partner)
            .customer(customer.id);
        self.record(tx.as_mut(), change, None::<&()>, Some(&customer)).await?;
        tx.commit().await?;
        Ok(CreatedCustomer {
            customer,
            relationship,
            admin,
            admin_password,
        })
    }

    /// Partner: its customers with an active relationship, searched by name or domain or
    /// narrowed to those of one of its indirect resellers, keyset-paged by customer id.
    pub async fn list_customers(
        &self,
        caller: &Caller,
        search: Option<&CustomerSearch>,
        after: Option<CustomerId>,
        limit: u32,
    ) -> AppResult<Page<Customer, CustomerId>> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let limit = limit.clamp(1, MAX_PAGE);
        let mut tx = self.read().await?;
        let Some(filter) = customer_filter(tx.as_mut(), partner, search).await? else {
            return Ok(Page {
                items: Vec::new(),
                total_count: 0,
                next: None,
            });
        };
        // One row more than asked tells whether another page follows.
        let mut items = tx.list_partner_customers(partner, &filter, after, limit + 1).await?;
        let total_count = tx.count_partner_customers(partner, &filter).await?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|c| c.id)
        } else {
            None
        };
        Ok(Page {
            items,
            total_count,
            next,
        })
    }

    /// Where the partner stands with each of `customers` (a page of its list): since when
    /// the relationship is active and whether it holds DAP. One query for the page, never
    /// one a row; a customer the partner has no active relationship with is left out.
    pub async fn customer_standings(
        &self,
        caller: &Caller,
        customers: &[CustomerId],
    ) -> AppResult<Vec<CustomerStanding>> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let mut tx = self.read().await?;
        Ok(tx.list_customer_standings(partner, customers).await?)
    }

    /// A page of the partner's customers by company name (then id): the dashboard's list.
    /// `after` is the last customer of the previous page.
    pub async fn list_customers_by_name(
        &self,
        caller: &Caller,
        after: Option<CustomerId>,
        limit: u32,
    ) -> AppResult<Page<Customer, CustomerId>> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let limit = limit.clamp(1, MAX_PAGE);
        let mut tx = self.read().await?;
        // One row more than asked tells whether another page follows.
        let mut items = tx.list_partner_customers_by_name(partner, after, limit + 1).await?;
        let total_count = tx.count_partner_customers(partner, &CustomerFilter::All).await?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|c| c.id)
        } else {
            None
        };
        Ok(Page {
            items,
            total_count,
            next,
        })
    }

    /// Up to `limit` of the partner's customers after `after`, without the total count a
    /// page carries: what an export reads, page after page, at any size.
    pub async fn customers_after(
        &self,
        caller: &Caller,
        search: Option<&CustomerSearch>,
        after: Option<CustomerId>,
        limit: u32,
    ) -> AppResult<Vec<Customer>> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let mut tx = self.read().await?;
        let Some(filter) = customer_filter(tx.as_mut(), partner, search).await? else {
            return Ok(Vec::new());
        };
        Ok(tx
            .list_partner_customers(partner, &filter, after, limit.clamp(1, MAX_PAGE))
            .await?)
    }

    /// One customer. A partner needs an active relationship; a customer user sees its own
    /// organisation; the operator sees any.
    pub async fn get_customer(&self, caller: &Caller, id: CustomerId) -> AppResult<CustomerView> {
        let mut tx = self.read().await?;
        let relationship = match caller.org_kind {
            OrgKind::Operator => None,
            OrgKind::Customer if caller.org_id.0 == id.0 => None,
            OrgKind::Customer => return Err(AppError::NotFound("customer")),
            OrgKind::Partner => {
                caller.authorize(Action::ViewCustomers)?;
                Some(active_relationship(tx.as_mut(), PartnerId(caller.org_id.0), id, false).await?)
            }
        };
        let customer = tx.find_customer(id).await?.ok_or(AppError::NotFound("customer"))?;
        let delegated_access = match &relationship {
            Some(rel) => has_active_dap(tx.as_mut(), rel.partner_id, id).await?,
            None => false,
        };
        Ok(CustomerView {
            customer,
            relationship,
            delegated_access,
        })
    }
}

/// Does the partner hold an active DAP grant over the customer?
pub(crate) async fn has_active_dap(tx: &mut dyn Tx, partner: PartnerId, customer: CustomerId) -> AppResult<bool> {
    Ok(tx
        .list_dap(partner, customer)
        .await?
        .iter()
        .any(|d| d.ended_at.is_none()))
}
