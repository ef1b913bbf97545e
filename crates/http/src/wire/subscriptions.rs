//! Subscriptions on the wire: the `Subscription` resource, the PATCH body, support
//! contacts and the bulk status change.

use partnerdesk_domain::org::Partner;
use partnerdesk_domain::subscription::Subscription;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{time, Attributes, Link, SelfLinks};

/// `links` of a subscription: itself and its offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionLinks {
    #[serde(rename = "self")]
    pub self_link: Link,
    pub offer: Link,
}

/// The `Subscription` resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionWire {
    pub id: String,
    pub offer_id: String,
    pub order_id: String,
    pub friendly_name: String,
    pub quantity: i64,
    pub status: &'static str,
    pub auto_renew_enabled: bool,
    pub billing_type: &'static str,
    pub creation_date: String,
    pub effective_start_date: String,
    pub commitment_end_date: String,
    /// The indirect reseller of record, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    pub links: SubscriptionLinks,
    pub attributes: Attributes,
}

impl From<&Subscription> for SubscriptionWire {
    fn from(s: &Subscription) -> Self {
        let id = s.id.to_string();
        Self {
            links: SubscriptionLinks {
                self_link: Link::get(format!("/v1/customers/{}/subscriptions/{id}", s.customer_id)),
                offer: Link::get(format!("/v1/offers/{}", s.offer_id)),
            },
            offer_id: s.offer_id.to_string(),
            order_id: s.order_id.to_string(),
            friendly_name: s.friendly_name.clone(),
            quantity: s.quantity,
            status: s.status.as_str(),
            auto_renew_enabled: s.auto_renew,
            billing_type: "license",
            creation_date: time(s.created_at),
            effective_start_date: time(s.effective_start),
            commitment_end_date: time(s.commitment_end),
            partner_id: s.reseller_id.map(|r| r.to_string()),
            attributes: Attributes::versioned("Subscription", s.version),
            id,
        }
    }
}

/// `PATCH /v1/customers/{id}/subscriptions/{sid}`: the fields a client may send (any case;
/// everything else in a full Subscription resource is ignored).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct SubscriptionPatchBody {
    pub status: Option<String>,
    #[schema(rename = "friendlyName")]
    pub friendlyname: Option<String>,
    pub quantity: Option<i64>,
    #[schema(rename = "autoRenewEnabled")]
    pub autorenewenabled: Option<bool>,
}

/// The `SupportContact` resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SupportContactWire {
    pub support_tenant_id: String,
    /// We have no MPN ids; the partner id stands in for it.
    pub support_mpn_id: String,
    pub name: String,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

impl SupportContactWire {
    /// The support contact of subscription `sid` of `customer`.
    pub fn new(customer: &str, sid: &str, p: &Partner) -> Self {
        Self {
            support_tenant_id: p.id.to_string(),
            support_mpn_id: p.id.to_string(),
            name: p.name.as_str().to_string(),
            links: SelfLinks::to(format!("/v1/customers/{customer}/subscriptions/{sid}/supportcontact")),
            attributes: Attributes::of("SupportContact"),
        }
    }
}

/// `PUT .../supportcontact`: the partner is named by `supportTenantId` (or, as we emit
/// it, `supportMpnId`); `name` is read back from the partner, not taken from the body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct SupportContactBody {
    #[schema(rename = "supportTenantId")]
    pub supporttenantid: Option<String>,
    #[schema(rename = "supportMpnId")]
    pub supportmpnid: Option<String>,
}

/// `POST /v1/customers/{id}/subscriptions/bulk`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct BulkStatusBody {
    pub status: String,
    #[schema(rename = "subscriptionIds")]
    pub subscriptionids: Vec<String>,
}

/// What happened to one subscription of a bulk change.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkOutcome {
    Changed,
    Unchanged,
    Refused,
}

/// The error of a refused item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkError {
    pub code: u32,
    pub error_name: &'static str,
    pub description: String,
}

/// One item of a bulk change's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    pub subscription_id: String,
    pub outcome: BulkOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<BulkError>,
}

/// The answer to a bulk change: one result per subscription asked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub items: Vec<BulkItem>,
    pub attributes: Attributes,
}
