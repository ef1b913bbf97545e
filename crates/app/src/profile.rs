//! The caller's organisation profile (`GET /v1/profiles/organization`): what Partner
//! Center calls the organization profile, for partners, customers and the operator alike.

use partnerdesk_domain::org::OrgKind;
use partnerdesk_domain::{CustomerId, OrgId, PartnerId};
use serde::Serialize;

use crate::{App, AppError, AppResult, AuthFailure, Caller};

/// An organisation as its own users see it.
#[derive(Debug, Clone, Serialize)]
pub struct OrganizationProfile {
    pub id: OrgId,
    pub kind: OrgKind,
    pub company_name: String,
    /// ISO country of the default address; partners have none recorded.
    pub country: Option<String>,
    /// The organisation's culture: a customer's own, otherwise the caller's language.
    pub culture: String,
    /// The contact e-mail: a customer's billing e-mail, otherwise the caller's.
    pub email: String,
    pub address_line1: Option<String>,
}

impl App {
    /// The profile of the caller's own organisation.
    pub async fn organization_profile(&self, caller: &Caller) -> AppResult<OrganizationProfile> {
        let mut tx = self.read().await?;
        let user = tx
            .find_user(caller.user_id)
            .await?
            .ok_or(AppError::Unauthenticated(AuthFailure::UserGone))?;
        let mut profile = OrganizationProfile {
            id: caller.org_id,
            kind: caller.org_kind,
            company_name: "Operator".into(),
            country: None,
            culture: user.locale.as_str().to_string(),
            email: user.email.as_str().to_string(),
            address_line1: None,
        };
        match caller.org_kind {
            OrgKind::Partner => {
                let partner = tx
                    .find_partner(PartnerId(caller.org_id.0))
                    .await?
                    .ok_or(AppError::NotFound("organisation"))?;
                profile.company_name = partner.name.as_str().to_string();
            }
            OrgKind::Customer => {
                let customer = tx
                    .find_customer(CustomerId(caller.org_id.0))
                    .await?
                    .ok_or(AppError::NotFound("organisation"))?;
                profile.company_name = customer.company.company_name.as_str().to_string();
                profile.country = Some(customer.company.country.as_str().to_string());
                profile.culture = customer.company.culture.as_str().to_string();
                profile.email = customer.billing.email.as_str().to_string();
                let address = customer.billing.address.as_str();
                profile.address_line1 = (!address.is_empty()).then(|| address.to_string());
            }
            OrgKind::Operator => {}
        }
        tx.rollback().await?;
        Ok(profile)
    }
}
