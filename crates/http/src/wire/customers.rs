//! Customers on the wire: the `Customer` resource with its company and billing profiles,
//! the create and patch bodies, relationship requests and the CSV export row.

use partnerdesk_app::customers::{CreatedCustomer, CustomerView, NewCustomerInput};
use partnerdesk_app::requests::CreatedRequest;
use partnerdesk_domain::org::Customer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{id_property, Attributes, SelfLinks};
use crate::error::ApiResult;

/// `relationshipToPartner` values (Partner Center's `CustomerPartnerRelationship`).
pub const RESELLER: &str = "reseller";
/// The customer has no relationship with the caller (any more).
pub const NONE: &str = "none";

/// The `Customer` resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerWire {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_profile: Option<CompanyProfileWire>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_profile: Option<BillingProfileWire>,
    pub relationship_to_partner: &'static str,
    /// Only on a read by id, as in Partner Center.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_delegated_access: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_credentials: Option<UserCredentials>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub associated_partner_id: Option<String>,
    /// Only in a repeat of a creation (same `MS-RequestId`): says that the first admin's
    /// password was shown once, in the first answer, and is not kept (the repeat has
    /// `userCredentials.password: null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_notice: Option<&'static str>,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

/// `companyProfile`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompanyProfileWire {
    pub tenant_id: String,
    pub domain: String,
    pub company_name: String,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

/// `billingProfile.defaultAddress`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddressWire {
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
}

/// `billingProfile`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BillingProfileWire {
    pub email: String,
    pub culture: String,
    pub language: String,
    pub company_name: String,
    pub first_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    pub default_address: AddressWire,
    pub attributes: Attributes,
}

/// `userCredentials` of a new customer's first admin (shown once).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserCredentials {
    pub user_name: String,
    /// The generated password, in the first answer only; `null` in a repeat of it.
    #[schema(required = true)]
    pub password: Option<String>,
}

/// What a repeat of an answer that carried a secret says in its place.
pub const SECRET_SHOWN_ONCE: &str = "The secret was shown once, in the first answer to this request, and is not kept. \
     If it was lost, replace it (revoke the token and create another; reset the password).";

fn uri(id: &str) -> String {
    format!("/v1/customers/{id}")
}

impl CustomerWire {
    /// A customer in a list (no `allowDelegatedAccess`, as in Partner Center).
    pub fn listed(c: &Customer) -> Self {
        let id = c.id.to_string();
        let (first, last) = match c.billing.contact_name.as_str().split_once(' ') {
            Some((f, l)) => (f.to_string(), l.trim().to_string()),
            None => (c.billing.contact_name.as_str().to_string(), String::new()),
        };
        let culture = c.company.culture.as_str().to_string();
        let address = c.billing.address.as_str();
        Self {
            company_profile: Some(CompanyProfileWire {
                tenant_id: id.clone(),
                domain: c.company.domain.as_str().to_string(),
                company_name: c.company.company_name.as_str().to_string(),
                links: SelfLinks::to(format!("/v1/customers/{id}/profiles/company")),
                attributes: Attributes::of("CustomerCompanyProfile"),
            }),
            billing_profile: Some(BillingProfileWire {
                email: c.billing.email.as_str().to_string(),
                language: culture.split('-').next().unwrap_or("en").to_string(),
                culture,
                company_name: c.company.company_name.as_str().to_string(),
                first_name: first,
                last_name: last,
                default_address: AddressWire {
                    country: c.company.country.as_str().to_string(),
                    address_line1: (!address.is_empty()).then(|| address.to_string()),
                },
                attributes: Attributes::versioned("CustomerBillingProfile", c.version),
            }),
            relationship_to_partner: RESELLER,
            allow_delegated_access: None,
            user_credentials: None,
            associated_partner_id: None,
            secret_notice: None,
            links: SelfLinks::to(uri(&id)),
            attributes: Attributes::of("Customer"),
            id,
        }
    }

    /// A customer read by id, as the caller sees it.
    pub fn viewed(v: &CustomerView) -> Self {
        let mut w = Self::listed(&v.customer);
        w.relationship_to_partner = if v.relationship.as_ref().is_some_and(|r| r.is_active()) {
            RESELLER
        } else {
            NONE
        };
        w.allow_delegated_access = Some(v.delegated_access);
        // The ETag of a customer as its partner sees it: the relationship's version,
        // which removal and delegated-access changes move on.
        if let Some(rel) = v.relationship.as_ref().filter(|r| r.is_active()) {
            w.attributes = Attributes::versioned("Customer", rel.version);
        }
        w
    }

    /// A customer just created, with its first admin's credentials.
    pub fn created(c: &CreatedCustomer, associated_partner_id: Option<String>) -> Self {
        let mut w = Self::listed(&c.customer);
        w.allow_delegated_access = Some(false);
        w.user_credentials = Some(UserCredentials {
            user_name: c.admin.email.as_str().to_string(),
            password: Some(c.admin_password.clone()),
        });
        w.associated_partner_id = associated_partner_id;
        w
    }

    /// This answer as kept for a repeat of the request: the secret gone, a notice instead.
    pub fn without_secret(&self) -> Self {
        let mut w = self.clone();
        if let Some(credentials) = w.user_credentials.as_mut() {
            credentials.password = None;
            w.secret_notice = Some(SECRET_SHOWN_ONCE);
        }
        w
    }

    /// The answer to a PATCH that changed the relationship or delegated access: the id
    /// and the new state (Partner Center clients only look at these).
    pub fn patched(id: String, relationship_to_partner: &'static str, allow_delegated_access: bool) -> Self {
        Self {
            company_profile: None,
            billing_profile: None,
            relationship_to_partner,
            allow_delegated_access: Some(allow_delegated_access),
            user_credentials: None,
            associated_partner_id: None,
            secret_notice: None,
            links: SelfLinks::to(uri(&id)),
            attributes: Attributes::of("Customer"),
            id,
        }
    }
}

/// `POST /v1/customers`: the Partner Center `Customer` body (any case).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct NewCustomerBody {
    #[schema(rename = "companyProfile")]
    pub companyprofile: Option<CompanyProfileBody>,
    #[schema(rename = "billingProfile")]
    pub billingprofile: Option<BillingProfileBody>,
    #[schema(rename = "associatedPartnerId")]
    pub associatedpartnerid: Option<String>,
}

impl NewCustomerBody {
    /// The customer the body asks for: the billing contact is the billing (or address)
    /// first and last name, else the company name; the address lines are joined into one.
    /// A malformed `associatedPartnerId` is refused naming it.
    pub fn into_input(self) -> ApiResult<NewCustomerInput> {
        let company = self.companyprofile.unwrap_or_default();
        let billing = self.billingprofile.unwrap_or_default();
        let address = billing.defaultaddress.clone().unwrap_or_default();
        let reseller = self
            .associatedpartnerid
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| id_property::<partnerdesk_domain::PartnerId>(s, "associatedPartnerId"))
            .transpose()?;
        let contact = [
            billing.firstname.clone().or(address.firstname.clone()),
            billing.lastname.clone().or(address.lastname.clone()),
        ]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        let company_name = company.companyname.or(billing.companyname).unwrap_or_default();
        let address_text = [
            address.addressline1,
            address.addressline2,
            address.city,
            address.state,
            address.postalcode,
        ]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        Ok(NewCustomerInput {
            billing_contact: if contact.is_empty() {
                company_name.clone()
            } else {
                contact
            },
            company_name,
            domain: company.domain.unwrap_or_default(),
            country: address.country.unwrap_or_default(),
            culture: billing.culture,
            billing_email: billing.email.unwrap_or_default(),
            billing_address: (!address_text.is_empty()).then_some(address_text),
            admin_email: None,
            admin_password: None,
            indirect_reseller_id: reseller,
        })
    }
}

/// `companyProfile` of a new customer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct CompanyProfileBody {
    pub domain: Option<String>,
    #[schema(rename = "companyName", min_length = 1)]
    pub companyname: Option<String>,
}

/// `billingProfile` of a new customer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct BillingProfileBody {
    pub email: Option<String>,
    pub culture: Option<String>,
    #[schema(rename = "companyName", min_length = 1)]
    pub companyname: Option<String>,
    #[schema(rename = "firstName")]
    pub firstname: Option<String>,
    #[schema(rename = "lastName")]
    pub lastname: Option<String>,
    #[schema(rename = "defaultAddress")]
    pub defaultaddress: Option<AddressBody>,
}

/// `defaultAddress` of a new customer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct AddressBody {
    pub country: Option<String>,
    #[schema(rename = "addressLine1")]
    pub addressline1: Option<String>,
    #[schema(rename = "addressLine2")]
    pub addressline2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    #[schema(rename = "postalCode")]
    pub postalcode: Option<String>,
    #[schema(rename = "firstName")]
    pub firstname: Option<String>,
    #[schema(rename = "lastName")]
    pub lastname: Option<String>,
}

/// `PATCH /v1/customers/{id}`: what the client asks to change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct CustomerPatchBody {
    #[schema(rename = "relationshipToPartner")]
    pub relationshiptopartner: Option<String>,
    #[schema(rename = "allowDelegatedAccess")]
    pub allowdelegatedaccess: Option<bool>,
}

/// The `RelationshipRequest` resource: the invitation link.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelationshipRequestWire {
    pub url: String,
    pub id: String,
    pub includes_delegated_admin: bool,
    pub expires_at: String,
    pub attributes: Attributes,
}

impl From<&CreatedRequest> for RelationshipRequestWire {
    fn from(r: &CreatedRequest) -> Self {
        Self {
            url: r.url.clone(),
            id: r.request.id.to_string(),
            includes_delegated_admin: r.request.include_dap,
            expires_at: super::time(r.request.expires_at),
            attributes: Attributes::of("RelationshipRequest"),
        }
    }
}

/// `POST /v1/customers/relationshiprequests/mail`: who gets the partner's invitation link.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct MailRequestBody {
    /// The customer admin's e-mail address.
    pub email: Option<String>,
    /// The message's language, `en` or `ru`; by default the language of the user of that
    /// address when it has an account here, else English.
    pub language: Option<String>,
    /// Whether the link asks for delegated admin (DAP) too (default false).
    pub dap: Option<bool>,
}

/// Quotes a CSV cell when needed, and defuses cells a spreadsheet would run as formulas.
pub fn csv_cell(raw: &str) -> String {
    let defused = if raw.starts_with(['=', '+', '-', '@']) {
        format!("'{raw}")
    } else {
        raw.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// The header line of the CSV export.
pub const CSV_HEADER: &str = "id,companyName,domain,country,culture\r\n";

/// One customer as a CSV line.
pub fn csv_row(c: &Customer) -> String {
    format!(
        "{},{},{},{},{}\r\n",
        c.id,
        csv_cell(c.company.company_name.as_str()),
        csv_cell(c.company.domain.as_str()),
        csv_cell(c.company.country.as_str()),
        csv_cell(c.company.culture.as_str()),
    )
}
