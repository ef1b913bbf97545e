//! The operator's use cases: partners (with their first admin), the offer catalog, and the
//! operator admin created on first start.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::offer::{Offer, OfferTerms, TermDuration};
use partnerdesk_domain::org::{OrgKind, Partner, PartnerType, ResellerLink, User};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::values::{Country, Email, Name};
use partnerdesk_domain::{DomainError, OfferId, OrgId, PartnerId};
use serde::Serialize;

use crate::audit::Change;
use crate::{App, AppError, AppResult, Caller};

/// A new user's sign-in, as entered.
#[derive(Debug, Clone)]
pub struct NewUserInput {
    pub email: String,
    pub password: String,
    pub display_name: Option<String>,
    pub roles: Vec<String>,
    pub locale: Option<String>,
}

/// A new partner with its first admin, as entered.
#[derive(Debug, Clone)]
pub struct NewPartnerInput {
    pub name: String,
    pub partner_type: String,
    pub admin_email: String,
    pub admin_password: String,
    pub admin_name: Option<String>,
    /// For an indirect reseller: the provider it sells through.
    pub indirect_provider_id: Option<PartnerId>,
}

/// An offer, as entered by the operator.
#[derive(Debug, Clone)]
pub struct OfferInput {
    pub name: String,
    pub description: String,
    pub unit_type: String,
    pub term_duration: String,
    pub unit_price_minor: i64,
    pub currency: String,
    pub min_quantity: i64,
    pub max_quantity: i64,
    pub countries: Vec<String>,
    pub is_available: bool,
}

/// A change to an offer: `None` keeps a field as it is.
#[derive(Debug, Clone, Default)]
pub struct OfferPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub unit_type: Option<String>,
    pub term_duration: Option<String>,
    pub unit_price_minor: Option<i64>,
    pub currency: Option<String>,
    pub min_quantity: Option<i64>,
    pub max_quantity: Option<i64>,
    pub countries: Option<Vec<String>>,
    pub is_available: Option<bool>,
}

/// A partner and its first admin.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedPartner {
    pub partner: Partner,
    pub admin: User,
}

impl App {
    /// Creates the operator organisation and its admin when no user has that e-mail.
    /// Returns whether a user was created. Runs on every start; idempotent.
    pub async fn ensure_operator_admin(&self, email: &str, password: &str) -> AppResult<bool> {
        let mut tx = self.write().await?;
        let parsed = Email::parse(email)?;
        if tx.find_user_by_email(&parsed).await?.is_some() {
            return Ok(false);
        }
        let org = match tx.find_operator().await? {
            Some(id) => id,
            None => {
                let id = OrgId(self.new_id());
                tx.insert_operator(id, "Operator", self.now()).await?;
                id
            }
        };
        let input = NewUserInput {
            email: email.into(),
            password: password.into(),
            display_name: Some("Operator admin".into()),
            roles: vec!["admin".into()],
            locale: None,
        };
        let (user, hash) = self.build_user(org, OrgKind::Operator, &input).await?;
        self.insert_user(tx.as_mut(), &user, &hash).await?;
        let change = Change::new(None, Operation::AddUser, user.id);
        self.record(tx.as_mut(), change, None::<&()>, Some(&user)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Operator: creates a partner with its first admin user (role `global_admin`).
    pub async fn add_partner(&self, caller: &Caller, input: NewPartnerInput) -> AppResult<CreatedPartner> {
        caller.authorize(Action::ManagePartners)?;
        let name = Name::parse("name", &input.name)?;
        let partner_type = PartnerType::parse(input.partner_type.trim())?;
        let partner = Partner {
            id: PartnerId(self.new_id()),
            name,
            partner_type,
            created_at: self.now(),
            version: 1,
        };
        let user_input = NewUserInput {
            email: input.admin_email,
            password: input.admin_password,
            display_name: input.admin_name,
            roles: vec!["global_admin".into()],
            locale: None,
        };
        let (admin, hash) = self
            .build_user(partner.id.into(), OrgKind::Partner, &user_input)
            .await?;

        let mut tx = self.write().await?;
        let link = match (partner_type, input.indirect_provider_id) {
            (PartnerType::IndirectReseller, Some(provider)) => {
                let p = tx.find_partner(provider).await?.ok_or(DomainError::InvalidProperty {
                    property: "indirectProviderId",
                    reason: partnerdesk_domain::Reason::NoSuchPartner,
                })?;
                if p.partner_type != PartnerType::IndirectProvider {
                    return Err(DomainError::InvalidProperty {
                        property: "indirectProviderId",
                        reason: partnerdesk_domain::Reason::NotAnIndirectProvider,
                    }
                    .into());
                }
                Some(ResellerLink {
                    provider_id: provider,
                    reseller_id: partner.id,
                    created_at: self.now(),
                })
            }
            (_, Some(_)) => {
                return Err(DomainError::InvalidProperty {
                    property: "indirectProviderId",
                    reason: partnerdesk_domain::Reason::OnlyIndirectResellerHasProvider,
                }
                .into())
            }
            _ => None,
        };
        tx.insert_partner(&partner).await?;
        self.insert_user(tx.as_mut(), &admin, &hash).await?;
        if let Some(link) = &link {
            tx.insert_reseller_link(link).await?;
        }
        let change = Change::new(Some(caller), Operation::AddPartner, partner.id).partner(partner.id);
        self.record(tx.as_mut(), change, None::<&()>, Some(&partner)).await?;
        tx.commit().await?;
        Ok(CreatedPartner { partner, admin })
    }

    /// Does the instance have any partner yet? (The demo seeds only an empty one.) Tells
    /// nothing else, so it needs no caller.
    pub async fn has_partners(&self) -> AppResult<bool> {
        let mut tx = self.read().await?;
        Ok(!tx.list_partners(None, 1).await?.is_empty())
    }

    /// Operator: one page of partners.
    pub async fn list_partners(
        &self,
        caller: &Caller,
        after: Option<PartnerId>,
        limit: u32,
    ) -> AppResult<Vec<Partner>> {
        caller.authorize(Action::ManagePartners)?;
        let mut tx = self.read().await?;
        Ok(tx.list_partners(after, limit.clamp(1, 500)).await?)
    }

    /// One partner: the operator sees any; a partner sees itself.
    pub async fn get_partner(&self, caller: &Caller, id: PartnerId) -> AppResult<Partner> {
        if !caller.is_operator() && caller.org_id.0 != id.0 {
            return Err(AppError::NotFound("partner"));
        }
        let mut tx = self.read().await?;
        tx.find_partner(id).await?.ok_or(AppError::NotFound("partner"))
    }

    fn build_offer(&self, input: &OfferInput) -> AppResult<(Name, TermDuration, OfferTerms, Vec<Country>)> {
        let name = Name::parse("name", &input.name)?;
        let term = TermDuration::parse(input.term_duration.trim())?;
        let terms = OfferTerms::parse(input.min_quantity, input.max_quantity, input.unit_price_minor)?;
        if input.countries.is_empty() {
            return Err(DomainError::InvalidProperty {
                property: "country",
                reason: partnerdesk_domain::Reason::NoCountry,
            }
            .into());
        }
        let countries = input
            .countries
            .iter()
            .map(|c| Country::parse(c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((name, term, terms, countries))
    }

    /// Operator: adds an offer to the catalog.
    pub async fn create_offer(&self, caller: &Caller, input: OfferInput) -> AppResult<Offer> {
        caller.authorize(Action::ManageOffers)?;
        let (name, term, terms, countries) = self.build_offer(&input)?;
        let offer = Offer {
            id: OfferId(self.new_id()),
            name,
            description: input.description.trim().to_string(),
            unit_type: input.unit_type.trim().to_string(),
            term,
            unit_price_minor: terms.unit_price_minor,
            currency: input.currency.trim().to_ascii_uppercase(),
            min_quantity: terms.min_quantity,
            max_quantity: terms.max_quantity,
            countries,
            is_available: input.is_available,
            created_at: self.now(),
            version: 1,
        };
        let mut tx = self.write().await?;
        tx.insert_offer(&offer).await?;
        let change = Change::new(Some(caller), Operation::CreateOffer, offer.id);
        self.record(tx.as_mut(), change, None::<&()>, Some(&offer)).await?;
        tx.commit().await?;
        Ok(offer)
    }

    /// Operator: replaces an offer's terms. `expected_version` (an ETag) is checked when given.
    pub async fn update_offer(
        &self,
        caller: &Caller,
        id: OfferId,
        input: OfferInput,
        expected_version: Option<i64>,
    ) -> AppResult<Offer> {
        caller.authorize(Action::ManageOffers)?;
        let (name, term, terms, countries) = self.build_offer(&input)?;
        let mut tx = self.write().await?;
        let before = tx.find_offer(id).await?.ok_or(AppError::NotFound("offer"))?;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(AppError::VersionConflict("offer"));
        }
        let mut offer = before.clone();
        offer.name = name;
        offer.description = input.description.trim().to_string();
        offer.unit_type = input.unit_type.trim().to_string();
        offer.term = term;
        offer.unit_price_minor = terms.unit_price_minor;
        offer.currency = input.currency.trim().to_ascii_uppercase();
        offer.min_quantity = terms.min_quantity;
        offer.max_quantity = terms.max_quantity;
        offer.countries = countries;
        offer.is_available = input.is_available;
        tx.update_offer(&offer).await?;
        offer.version += 1;
        let change = Change::new(Some(caller), Operation::UpdateOffer, offer.id);
        self.record(tx.as_mut(), change, Some(&before), Some(&offer)).await?;
        tx.commit().await?;
        Ok(offer)
    }

    /// Operator: changes only the fields `patch` names; the rest of the offer stays.
    /// `expected_version` (an ETag) is checked when given.
    pub async fn patch_offer(
        &self,
        caller: &Caller,
        id: OfferId,
        patch: OfferPatch,
        expected_version: Option<i64>,
    ) -> AppResult<Offer> {
        caller.authorize(Action::ManageOffers)?;
        let current = {
            let mut tx = self.read().await?;
            tx.find_offer(id).await?.ok_or(AppError::NotFound("offer"))?
        };
        let input = OfferInput {
            name: patch.name.unwrap_or_else(|| current.name.as_str().to_string()),
            description: patch.description.unwrap_or(current.description),
            unit_type: patch.unit_type.unwrap_or(current.unit_type),
            term_duration: patch.term_duration.unwrap_or_else(|| current.term.as_str().to_string()),
            unit_price_minor: patch.unit_price_minor.unwrap_or(current.unit_price_minor),
            currency: patch.currency.unwrap_or(current.currency),
            min_quantity: patch.min_quantity.unwrap_or(current.min_quantity),
            max_quantity: patch.max_quantity.unwrap_or(current.max_quantity),
            countries: patch
                .countries
                .unwrap_or_else(|| current.countries.iter().map(|c| c.as_str().to_string()).collect()),
            is_available: patch.is_available.unwrap_or(current.is_available),
        };
        // The version read above guards the merge: a concurrent change fails the update.
        let expected = expected_version.or(Some(current.version));
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(AppError::VersionConflict("offer"));
        }
        self.update_offer(caller, id, input, expected).await
    }

    /// The catalog, optionally for one country. Anyone signed in may read it.
    pub async fn list_offers(&self, _caller: &Caller, country: Option<&str>) -> AppResult<Vec<Offer>> {
        let country = country.map(Country::parse).transpose()?;
        let mut tx = self.read().await?;
        Ok(tx.list_offers(country.as_ref()).await?)
    }

    /// One offer of the catalog.
    pub async fn get_offer(&self, _caller: &Caller, id: OfferId) -> AppResult<Offer> {
        let mut tx = self.read().await?;
        tx.find_offer(id).await?.ok_or(AppError::NotFound("offer"))
    }
}
