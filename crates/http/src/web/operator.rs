//! The operator's screens: partners (list; add one with its first admin) and the offer
//! catalog (list, add, edit). A form refused by the app is shown again with what was typed
//! and the reason, in the operator's words.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use partnerdesk_app::operator::{NewPartnerInput, OfferInput};
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::offer::{Offer, TermDuration};
use partnerdesk_domain::org::{OrgKind, Partner, PartnerType};
use partnerdesk_domain::{OfferId, PartnerId};

use super::form::{Fields, Form};
use super::pages::{error_page, form_status, render, Chrome, PageResult};
use super::path_id::PageId;
use super::refusal::{refused_or_page, FormError, Refusal};
use super::session::{SignedIn, Visit, Visitor};
use super::tr::Tr;
use crate::state::AppState;

/// Partners listed on one page (the operator's list is short; more pages come by `after`).
const PARTNER_PAGE: u32 = 500;

pub(super) fn require_operator(visitor: &Visitor, caller: &Caller) -> Result<(), Response> {
    if caller.org_kind == OrgKind::Operator {
        return Ok(());
    }
    Err(error_page(
        visitor,
        StatusCode::FORBIDDEN,
        &visitor.tr.t("error-forbidden-title"),
        &visitor.tr.t("op-only"),
    ))
}

fn type_text(tr: &Tr, t: PartnerType) -> String {
    tr.t(&format!("op-type-{}", t.as_str().replace('_', "-")))
}

/// One partner row.
pub struct PartnerRow {
    pub name: String,
    pub kind: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "web/operator_partners.html")]
struct PartnersPage {
    chrome: Chrome,
    rows: Vec<PartnerRow>,
    /// The mail outbox, when mail is on: messages waiting and parked.
    mail: Option<String>,
}

/// What the new-partner form holds (kept when the app refuses it).
#[derive(Default)]
pub struct PartnerForm {
    pub name: String,
    pub partner_type: String,
    pub provider: String,
    pub admin_email: String,
    pub admin_name: String,
}

/// A provider to choose for an indirect reseller.
pub struct Choice {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "web/operator_partner_new.html")]
struct NewPartnerPage {
    chrome: Chrome,
    form: PartnerForm,
    providers: Vec<Choice>,
    /// A refusal, shown next to the field it is about.
    error: FormError,
}

async fn all_partners(state: &AppState, caller: &Caller) -> Result<Vec<Partner>, AppError> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = state.app.list_partners(caller, after, PARTNER_PAGE).await?;
        let full = page.len() == PARTNER_PAGE as usize;
        after = page.last().map(|p| p.id);
        all.extend(page);
        if !full {
            return Ok(all);
        }
    }
}

/// `GET /operator/partners`.
pub async fn partners(Visit(state, visitor, caller): Visit) -> PageResult {
    require_operator(&visitor, &caller)?;
    let partners = all_partners(&state, &caller).await?;
    let tr = visitor.tr;
    let rows = partners
        .iter()
        .map(|p| PartnerRow {
            name: p.name.as_str().to_string(),
            kind: type_text(&tr, p.partner_type),
            created: tr.date(&p.created_at),
        })
        .collect();
    let mail = if state.app.mail_enabled() {
        let counts = state.app.mail_queue(&caller).await?;
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Some(format!(
            "{} {}",
            visitor.tr.tn("op-mail-queued", "count", count(counts.queued)),
            visitor.tr.tn("op-mail-parked", "count", count(counts.parked))
        ))
    } else {
        None
    };
    let chrome = Chrome::of(&visitor, "partners", tr.t("op-partners-title"));
    Ok(render(&visitor, StatusCode::OK, &PartnersPage { chrome, rows, mail }))
}

async fn new_partner_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    form: PartnerForm,
    error: FormError,
) -> PageResult {
    let providers = all_partners(state, caller)
        .await?
        .into_iter()
        .filter(|p| p.partner_type == PartnerType::IndirectProvider)
        .map(|p| Choice {
            id: p.id.to_string(),
            name: p.name.as_str().to_string(),
        })
        .collect();
    let status = form_status(error.is_some(), false);
    let chrome = Chrome::of(visitor, "partners", visitor.tr.t("op-partner-new-title"));
    Ok(render(
        visitor,
        status,
        &NewPartnerPage {
            chrome,
            form,
            providers,
            error,
        },
    ))
}

/// `GET /operator/partners/new`.
pub async fn new_partner(Visit(state, visitor, caller): Visit) -> PageResult {
    require_operator(&visitor, &caller)?;
    let form = PartnerForm {
        partner_type: "direct".into(),
        ..PartnerForm::default()
    };
    new_partner_page(&state, &visitor, &caller, form, FormError::none()).await
}

/// `POST /operator/partners/new`: the partner and its first admin (`global_admin`).
pub async fn add_partner(Visit(state, visitor, caller): Visit, Form(fields): Form) -> PageResult {
    require_operator(&visitor, &caller)?;
    let text = |name: &str| fields.get(name).unwrap_or("").trim().to_string();
    let form = PartnerForm {
        name: text("name"),
        partner_type: text("partner_type"),
        provider: text("provider"),
        admin_email: text("admin_email"),
        admin_name: text("admin_name"),
    };
    let tr = visitor.tr;
    let provider = if form.partner_type == "indirect_reseller" {
        match form.provider.parse::<PartnerId>() {
            Ok(id) => Some(id),
            Err(_) => {
                let error = Refusal::of_field("indirectProviderId", tr.t("op-provider-needed")).into();
                return new_partner_page(&state, &visitor, &caller, form, error).await;
            }
        }
    } else {
        None
    };
    let input = NewPartnerInput {
        name: form.name.clone(),
        partner_type: form.partner_type.clone(),
        admin_email: form.admin_email.clone(),
        admin_password: fields.get("admin_password").unwrap_or("").to_string(),
        admin_name: Some(form.admin_name.clone()).filter(|n| !n.is_empty()),
        indirect_provider_id: provider,
    };
    Ok(match refused_or_page(state.app.add_partner(&caller, input).await)? {
        Ok(created) => {
            let notice = tr.t1("op-partner-created", "name", created.partner.name.as_str());
            visitor.redirect("/operator/partners", Some(notice))
        }
        Err(e) => new_partner_page(&state, &visitor, &caller, form, FormError::of(&tr, &e)).await?,
    })
}

/// One offer row.
pub struct OfferRow {
    pub id: String,
    pub name: String,
    pub term: String,
    pub price: String,
    pub seats: String,
    pub countries: String,
    pub available: bool,
}

#[derive(Template)]
#[template(path = "web/operator_offers.html")]
struct OffersPage {
    chrome: Chrome,
    rows: Vec<OfferRow>,
}

/// What the offer form holds (kept when the app refuses it).
pub struct OfferForm {
    pub name: String,
    pub description: String,
    pub unit_type: String,
    pub term: String,
    pub price: String,
    pub currency: String,
    pub min: String,
    pub max: String,
    pub countries: String,
    pub available: bool,
    pub version: String,
}

impl Default for OfferForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            unit_type: "Licenses".into(),
            term: "P1M".into(),
            price: String::new(),
            currency: "USD".into(),
            min: "1".into(),
            max: "300".into(),
            countries: "US".into(),
            available: true,
            version: String::new(),
        }
    }
}

impl OfferForm {
    fn of(o: &Offer) -> Self {
        Self {
            name: o.name.as_str().to_string(),
            description: o.description.clone(),
            unit_type: o.unit_type.clone(),
            term: o.term.as_str().to_string(),
            price: money(o.unit_price_minor),
            currency: o.currency.clone(),
            min: o.min_quantity.to_string(),
            max: o.max_quantity.to_string(),
            countries: o.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
            available: o.is_available,
            version: o.version.to_string(),
        }
    }

    fn read(fields: &Fields) -> Self {
        let text = |name: &str| fields.get(name).unwrap_or("").trim().to_string();
        Self {
            name: text("name"),
            description: text("description"),
            unit_type: text("unit_type"),
            term: text("term"),
            price: text("price"),
            currency: text("currency"),
            min: text("min"),
            max: text("max"),
            countries: text("countries"),
            available: fields.get("available").is_some(),
            version: text("version"),
        }
    }

    /// The input the app checks; a number that is not one is named as the bad property.
    fn input(&self) -> Result<OfferInput, AppError> {
        let number = |raw: &str, property: &'static str| {
            raw.parse::<i64>().map_err(|_| {
                AppError::Domain(partnerdesk_domain::DomainError::InvalidProperty {
                    property,
                    reason: partnerdesk_domain::Reason::NotAWholeNumber,
                })
            })
        };
        Ok(OfferInput {
            name: self.name.clone(),
            description: self.description.clone(),
            unit_type: self.unit_type.clone(),
            term_duration: self.term.clone(),
            unit_price_minor: parse_money(&self.price)?,
            currency: self.currency.clone(),
            min_quantity: number(&self.min, "minimumQuantity")?,
            max_quantity: number(&self.max, "maximumQuantity")?,
            countries: self
                .countries
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            is_available: self.available,
        })
    }
}

/// Minor units as `12.50`.
fn money(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, (minor % 100).abs())
}

/// `12.5`, `12.50` or `12` as minor units; anything else names the price as the problem.
fn parse_money(raw: &str) -> Result<i64, AppError> {
    let bad = || {
        AppError::Domain(partnerdesk_domain::DomainError::InvalidProperty {
            property: "unitPrice",
            reason: partnerdesk_domain::Reason::NotAnAmount,
        })
    };
    let raw = raw.trim().replace(',', ".");
    let (whole, frac) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(bad)
}

#[derive(Template)]
#[template(path = "web/operator_offer_form.html")]
struct OfferFormPage {
    chrome: Chrome,
    /// `None` for a new offer.
    id: Option<String>,
    form: OfferForm,
    /// A refusal, shown next to the field it is about.
    error: FormError,
}

/// `GET /operator/offers`.
pub async fn offers(Visit(state, visitor, caller): Visit) -> PageResult {
    require_operator(&visitor, &caller)?;
    let offers = state.app.list_offers(&caller, None).await?;
    let tr = visitor.tr;
    let rows = offers
        .iter()
        .map(|o| OfferRow {
            id: o.id.to_string(),
            name: o.name.as_str().to_string(),
            term: match o.term {
                TermDuration::Monthly => tr.t("term-monthly"),
                _ => tr.t("term-yearly"),
            },
            price: format!("{} {}", money(o.unit_price_minor), o.currency),
            seats: format!("{}–{}", o.min_quantity, o.max_quantity),
            countries: o.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
            available: o.is_available,
        })
        .collect();
    let chrome = Chrome::of(&visitor, "offers", tr.t("op-offers-title"));
    Ok(render(&visitor, StatusCode::OK, &OffersPage { chrome, rows }))
}

fn offer_form_page(visitor: &Visitor, id: Option<String>, form: OfferForm, error: FormError) -> Response {
    let title = if id.is_some() {
        visitor.tr.t1("op-offer-edit-title", "name", &form.name)
    } else {
        visitor.tr.t("op-offer-new-title")
    };
    let status = form_status(error.is_some(), false);
    let chrome = Chrome::of(visitor, "offers", title);
    render(
        visitor,
        status,
        &OfferFormPage {
            chrome,
            id,
            form,
            error,
        },
    )
}

/// `GET /operator/offers/new`.
pub async fn new_offer(SignedIn { visitor, caller }: SignedIn) -> PageResult {
    require_operator(&visitor, &caller)?;
    Ok(offer_form_page(&visitor, None, OfferForm::default(), FormError::none()))
}

/// `POST /operator/offers/new`.
pub async fn create_offer(Visit(state, visitor, caller): Visit, Form(fields): Form) -> PageResult {
    require_operator(&visitor, &caller)?;
    let form = OfferForm::read(&fields);
    let tr = visitor.tr;
    let result = match form.input() {
        Ok(input) => state.app.create_offer(&caller, input).await,
        Err(e) => Err(e),
    };
    Ok(match refused_or_page(result)? {
        Ok(offer) => visitor.redirect(
            "/operator/offers",
            Some(tr.t1("op-offer-saved", "name", offer.name.as_str())),
        ),
        Err(e) => offer_form_page(&visitor, None, form, FormError::of(&tr, &e)),
    })
}

/// `GET /operator/offers/{id}`.
pub async fn edit_offer(Visit(state, visitor, caller): Visit, PageId(id): PageId<OfferId>) -> PageResult {
    require_operator(&visitor, &caller)?;
    let offer = state.app.get_offer(&caller, id).await?;
    Ok(offer_form_page(
        &visitor,
        Some(id.to_string()),
        OfferForm::of(&offer),
        FormError::none(),
    ))
}

/// `POST /operator/offers/{id}`: replaces the offer's terms; a change made meanwhile by
/// someone else (the version the form was read at) is refused, not overwritten.
pub async fn update_offer(
    Visit(state, visitor, caller): Visit,
    PageId(id): PageId<OfferId>,
    Form(fields): Form,
) -> PageResult {
    require_operator(&visitor, &caller)?;
    let form = OfferForm::read(&fields);
    let tr = visitor.tr;
    let expected = form.version.parse::<i64>().ok();
    let result = match form.input() {
        Ok(input) => state.app.update_offer(&caller, id, input, expected).await,
        Err(e) => Err(e),
    };
    Ok(match refused_or_page(result)? {
        Ok(offer) => visitor.redirect(
            "/operator/offers",
            Some(tr.t1("op-offer-saved", "name", offer.name.as_str())),
        ),
        Err(e) => offer_form_page(&visitor, Some(id.to_string()), form, FormError::of(&tr, &e)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_people_type_them() {
        assert_eq!(parse_money("12.50").ok(), Some(1250));
        assert_eq!(parse_money("12,5").ok(), Some(1250));
        assert_eq!(parse_money("7").ok(), Some(700));
        assert!(parse_money("1.234").is_err());
        assert!(parse_money("-3").is_err());
        assert!(parse_money("").is_err());
        assert_eq!(money(1250), "12.50");
        assert_eq!(money(5), "0.05");
    }
}
