//! The operator's catalog (offers) and the orders partners place from it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Reason};
use crate::ids::{CustomerId, OfferId, OrderId, PartnerId, SubscriptionId, UserId};
use crate::values::{Country, Name};

/// How long one term of an offer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TermDuration {
    /// `P1M`
    #[serde(rename = "P1M")]
    Monthly,
    /// `P1Y`
    #[serde(rename = "P1Y")]
    Annual,
}

impl TermDuration {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monthly => "P1M",
            Self::Annual => "P1Y",
        }
    }
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "P1M" => Ok(Self::Monthly),
            "P1Y" => Ok(Self::Annual),
            _ => Err(DomainError::invalid("termDuration", Reason::NotATerm)),
        }
    }
    /// Adds one term to a start date.
    pub fn end_from(self, start: DateTime<Utc>) -> DateTime<Utc> {
        let months = match self {
            Self::Monthly => 1,
            Self::Annual => 12,
        };
        start.checked_add_months(chrono::Months::new(months)).unwrap_or(start)
    }
}

/// An item of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    pub name: Name,
    pub description: String,
    /// What one unit is, e.g. `Licenses`.
    pub unit_type: String,
    pub term: TermDuration,
    /// Price of one unit for one term, in minor units (cents).
    pub unit_price_minor: i64,
    pub currency: String,
    pub min_quantity: i64,
    pub max_quantity: i64,
    /// Countries where it is sold.
    pub countries: Vec<Country>,
    /// Offers taken off sale stay for existing subscriptions but cannot be ordered.
    pub is_available: bool,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// The fields an operator sets on an offer, validated together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferTerms {
    pub min_quantity: i64,
    pub max_quantity: i64,
    pub unit_price_minor: i64,
}

impl OfferTerms {
    pub fn parse(min_quantity: i64, max_quantity: i64, unit_price_minor: i64) -> Result<Self, DomainError> {
        if min_quantity < 1 {
            return Err(DomainError::invalid("minimumQuantity", Reason::BelowMinimum { min: 1 }));
        }
        if max_quantity < min_quantity {
            return Err(DomainError::invalid("maximumQuantity", Reason::BelowMinimumQuantity));
        }
        if unit_price_minor < 0 {
            return Err(DomainError::invalid("price", Reason::Negative));
        }
        Ok(Self {
            min_quantity,
            max_quantity,
            unit_price_minor,
        })
    }
}

impl Offer {
    /// Refuses a quantity outside the offer's bounds.
    pub fn check_quantity(&self, quantity: i64) -> Result<(), DomainError> {
        if quantity < self.min_quantity || quantity > self.max_quantity {
            return Err(DomainError::QuantityOutOfRange {
                quantity,
                minimum: self.min_quantity,
                maximum: self.max_quantity,
            });
        }
        Ok(())
    }

    /// Refuses an offer that is off sale or not sold in the customer's country.
    pub fn check_orderable(&self, country: &Country) -> Result<(), DomainError> {
        if !self.is_available {
            return Err(DomainError::invalid("offerId", Reason::OfferNotSold(self.id)));
        }
        if !self.countries.iter().any(|c| c == country) {
            return Err(DomainError::invalid(
                "offerId",
                Reason::OfferNotSoldIn {
                    offer: self.id,
                    country: country.as_str().to_string(),
                },
            ));
        }
        Ok(())
    }
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    pub line_number: i64,
    pub offer_id: OfferId,
    pub quantity: i64,
    pub friendly_name: String,
    /// The subscription this line created.
    pub subscription_id: SubscriptionId,
}

/// A purchase of offers made by a partner on behalf of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    pub customer_id: CustomerId,
    pub partner_id: PartnerId,
    pub reseller_id: Option<PartnerId>,
    pub line_items: Vec<LineItem>,
    pub created_at: DateTime<Utc>,
    pub created_by: UserId,
}
