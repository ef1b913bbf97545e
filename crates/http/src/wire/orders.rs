//! Orders and offers on the wire.

use partnerdesk_domain::offer::{Offer, Order};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{time, Attributes, SelfLinks};

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
