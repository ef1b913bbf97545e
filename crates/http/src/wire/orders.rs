//! Orders and offers on the wire.

use partnerdesk_app::operator::{OfferInput, OfferPatch};
use partnerdesk_app::orders::LineInput;
use partnerdesk_domain::offer::{Offer, Order};
use partnerdesk_domain::{OfferId, PartnerId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{id_property, time, Attributes, SelfLinks};
use crate::error::{ApiError, ApiResult, Why};

/// One line of an `Order`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineItemWire {
    pub line_item_number: i64,
    pub offer_id: String,
    pub subscription_id: String,
    pub friendly_name: String,
    pub quantity: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_id_on_record: Option<String>,
}

/// The `Order` resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderWire {
    pub id: String,
    pub reference_customer_id: String,
    pub line_items: Vec<LineItemWire>,
    pub creation_date: String,
    pub status: &'static str,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

impl From<&Order> for OrderWire {
    fn from(o: &Order) -> Self {
        let id = o.id.to_string();
        Self {
            links: SelfLinks::to(format!("/v1/customers/{}/orders/{id}", o.customer_id)),
            reference_customer_id: o.customer_id.to_string(),
            line_items: o
                .line_items
                .iter()
                .map(|l| LineItemWire {
                    line_item_number: l.line_number,
                    offer_id: l.offer_id.to_string(),
                    subscription_id: l.subscription_id.to_string(),
                    friendly_name: l.friendly_name.clone(),
                    quantity: l.quantity,
                    partner_id_on_record: o.reseller_id.map(|r| r.to_string()),
                })
                .collect(),
            creation_date: time(o.created_at),
            status: "completed",
            attributes: Attributes::of("Order"),
            id,
        }
    }
}

/// `POST /v1/customers/{id}/orders`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct NewOrderBody {
    #[schema(rename = "lineItems")]
    pub lineitems: Vec<LineItemBody>,
}

impl NewOrderBody {
    /// The lines of the order, in `lineItemNumber` order (unnumbered lines last), and the
    /// reseller on record. `partnerIdOnRecord` (an indirect provider naming one of its
    /// resellers) must be the same on every line that names one; a malformed id is refused
    /// naming its property.
    pub fn into_lines(self) -> ApiResult<(Vec<LineInput>, Option<PartnerId>)> {
        let mut lines = self.lineitems;
        lines.sort_by_key(|l| l.lineitemnumber.unwrap_or(i64::MAX));
        let mut reseller: Option<PartnerId> = None;
        let mut inputs = Vec::with_capacity(lines.len());
        for (i, line) in lines.into_iter().enumerate() {
            let offer_id: OfferId = id_property(&line.offerid, &format!("lineItems[{i}].offerId"))?;
            if let Some(raw) = line.partneridonrecord.as_deref().filter(|s| !s.trim().is_empty()) {
                let p: PartnerId = id_property(raw, "partnerIdOnRecord")?;
                if reseller.is_some_and(|r| r != p) {
                    return Err(ApiError::invalid_property(
                        "partnerIdOnRecord",
                        Why::other("must be the same on every line of an order"),
                    ));
                }
                reseller = Some(p);
            }
            inputs.push(LineInput {
                offer_id,
                quantity: line.quantity,
                friendly_name: line.friendlyname,
            });
        }
        Ok((inputs, reseller))
    }
}

/// One line of a new order.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct LineItemBody {
    #[schema(rename = "lineItemNumber")]
    pub lineitemnumber: Option<i64>,
    #[schema(rename = "offerId")]
    pub offerid: String,
    pub quantity: i64,
    #[schema(rename = "friendlyName")]
    pub friendlyname: Option<String>,
    #[schema(rename = "partnerIdOnRecord")]
    pub partneridonrecord: Option<String>,
}

/// The `Offer` resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferWire {
    pub id: String,
    pub name: String,
    pub description: String,
    pub minimum_quantity: i64,
    pub maximum_quantity: i64,
    pub unit_type: String,
    pub term_duration: &'static str,
    /// Price of one unit for one term, in the currency's minor units (cents).
    pub unit_price_minor: i64,
    pub currency_code: String,
    /// Where it is sold (ISO 3166-1 alpha-2).
    pub countries: Vec<String>,
    pub is_available_for_purchase: bool,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

impl From<&Offer> for OfferWire {
    fn from(o: &Offer) -> Self {
        let id = o.id.to_string();
        Self {
            links: SelfLinks::to(format!("/v1/offers/{id}")),
            name: o.name.as_str().to_string(),
            description: o.description.clone(),
            minimum_quantity: o.min_quantity,
            maximum_quantity: o.max_quantity,
            unit_type: o.unit_type.clone(),
            term_duration: o.term.as_str(),
            unit_price_minor: o.unit_price_minor,
            currency_code: o.currency.clone(),
            countries: o.countries.iter().map(|c| c.as_str().to_string()).collect(),
            is_available_for_purchase: o.is_available,
            attributes: Attributes::versioned("Offer", o.version),
            id,
        }
    }
}

/// One country or several (`"US"` or `["US", "RU"]`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values as a list.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(s) => vec![s],
            Self::Many(v) => v,
        }
    }
}

/// `POST /v1/offers` and `PATCH /v1/offers/{id}` (absent fields keep their value on PATCH).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct OfferBody {
    #[schema(min_length = 1)]
    pub name: Option<String>,
    pub description: Option<String>,
    pub country: Option<OneOrMany>,
    pub countries: Option<Vec<String>>,
    #[schema(rename = "minimumQuantity")]
    pub minimumquantity: Option<i64>,
    #[schema(rename = "maximumQuantity")]
    pub maximumquantity: Option<i64>,
    #[schema(rename = "unitType")]
    pub unittype: Option<String>,
    /// Price of one unit in major units (e.g. `12.5`).
    pub price: Option<f64>,
    /// Price of one unit in minor units (e.g. `1250`); wins over `price`.
    #[schema(rename = "unitPriceMinor")]
    pub unitpriceminor: Option<i64>,
    #[schema(rename = "currencyCode")]
    pub currencycode: Option<String>,
    pub currency: Option<String>,
    #[schema(rename = "termDuration")]
    pub termduration: Option<String>,
    #[schema(rename = "isAvailableForPurchase")]
    pub isavailableforpurchase: Option<bool>,
}

impl OfferBody {
    /// The change the body asks for: the fields sent. `country` may be one code or a
    /// list; a negative or absurd `price` is refused naming it.
    pub fn into_patch(self) -> ApiResult<OfferPatch> {
        let unit_price_minor = price_minor(&self)?;
        let countries = match (self.countries, self.country) {
            (Some(list), _) => Some(list),
            (None, Some(one_or_many)) => Some(one_or_many.into_vec()),
            (None, None) => None,
        };
        Ok(OfferPatch {
            name: self.name,
            description: self.description,
            unit_type: self.unittype,
            term_duration: self.termduration,
            unit_price_minor,
            currency: self.currencycode.or(self.currency),
            min_quantity: self.minimumquantity,
            max_quantity: self.maximumquantity,
            countries,
            is_available: self.isavailableforpurchase,
        })
    }

    /// A new offer: the fields sent, with the catalog's defaults for the rest.
    pub fn into_input(self) -> ApiResult<OfferInput> {
        let p = self.into_patch()?;
        Ok(OfferInput {
            name: p.name.unwrap_or_default(),
            description: p.description.unwrap_or_default(),
            unit_type: p.unit_type.unwrap_or_else(|| "Licenses".into()),
            term_duration: p.term_duration.unwrap_or_else(|| "P1M".into()),
            unit_price_minor: p.unit_price_minor.unwrap_or(0),
            currency: p.currency.unwrap_or_else(|| "USD".into()),
            min_quantity: p.min_quantity.unwrap_or(1),
            max_quantity: p.max_quantity.unwrap_or(10_000),
            countries: p.countries.unwrap_or_default(),
            is_available: p.is_available.unwrap_or(true),
        })
    }
}

/// The price in minor units: `unitPriceMinor`, else `price` in major units.
fn price_minor(body: &OfferBody) -> ApiResult<Option<i64>> {
    if let Some(minor) = body.unitpriceminor {
        return Ok(Some(minor));
    }
    match body.price {
        None => Ok(None),
        Some(p) if (0.0..1e13).contains(&p) => Ok(Some((p * 100.0).round() as i64)),
        Some(_) => Err(ApiError::invalid_property(
            "price",
            Why::other("must be a non-negative amount"),
        )),
    }
}
