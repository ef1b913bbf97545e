//! Subscriptions on the wire: the `Subscription` resource, the PATCH body, support
//! contacts and the bulk status change.

use partnerdesk_app::subscriptions::SubscriptionPatch;
use partnerdesk_domain::org::Partner;
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::{PartnerId, SubscriptionId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{id_property, time, Attributes, Link, SelfLinks};
use crate::error::{ApiError, ApiResult, Why};

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

impl SubscriptionPatchBody {
    /// Reads a PATCH body into the change it really asks for.
    ///
    /// Absent or `null` properties leave a field unchanged. Because the .NET SDK sends every
    /// property of a full Subscription, with the type defaults for the ones the caller did not
    /// set (Partner Center reference §6.3), the defaults are read as "unchanged" too:
    /// - `quantity: 0` never changes the seat count (0 is never a valid count);
    /// - `status: "none"` (the SDK's unset status) changes nothing;
    /// - when the body sets a `status`, `autoRenewEnabled: false` and an empty `friendlyName`
    ///   are the defaults of a status change and are ignored; without a status they apply.
    pub fn into_patch(self) -> ApiResult<SubscriptionPatch> {
        let status = match self.status.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
            None => None,
            Some(s) if s.is_empty() || s == "none" => None,
            Some(s) => match SubscriptionStatus::parse(&s) {
                Some(st) => Some(st),
                None => {
                    return Err(ApiError::invalid_property(
                        "status",
                        Why::other("must be active, suspended or deleted"),
                    ))
                }
            },
        };
        let changes_status = status.is_some();
        let quantity = self.quantity.filter(|q| *q != 0);
        let auto_renew = self.autorenewenabled.filter(|a| *a || !changes_status);
        let friendly_name = self.friendlyname.filter(|n| !(changes_status && n.trim().is_empty()));
        Ok(SubscriptionPatch {
            status,
            friendly_name,
            quantity,
            auto_renew,
        })
    }
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

impl SupportContactBody {
    /// The partner named: `supportTenantId` (or `supportMpnId`), required and a UUID.
    pub fn into_partner_id(self) -> ApiResult<PartnerId> {
        let tenant = self
            .supporttenantid
            .or(self.supportmpnid)
            .ok_or_else(|| ApiError::invalid_property("supportTenantId", Why::Required))?;
        id_property(&tenant, "supportTenantId")
    }
}

/// `POST /v1/customers/{id}/subscriptions/bulk`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct BulkStatusBody {
    pub status: String,
    #[schema(rename = "subscriptionIds")]
    pub subscriptionids: Vec<String>,
}

/// A bulk change as the app takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkChange {
    /// `suspended` or `active`.
    pub status: SubscriptionStatus,
    /// The ids that are UUIDs, in the order sent.
    pub ids: Vec<SubscriptionId>,
    /// The ids that are not, as sent: each is refused as not found.
    pub malformed: Vec<String>,
}

/// Most subscriptions one bulk change may name.
pub const BULK_MAX: usize = 500;

impl BulkStatusBody {
    /// The change the body asks for; a status other than `suspended` or `active`, or more
    /// than [`BULK_MAX`] ids, is refused naming the property.
    pub fn into_change(self) -> ApiResult<BulkChange> {
        let status = match self.status.trim().to_ascii_lowercase().as_str() {
            "suspended" => SubscriptionStatus::Suspended,
            "active" => SubscriptionStatus::Active,
            _ => {
                return Err(ApiError::invalid_property(
                    "status",
                    Why::other("must be suspended or active"),
                ))
            }
        };
        if self.subscriptionids.len() > BULK_MAX {
            return Err(ApiError::invalid_property(
                "subscriptionIds",
                Why::other("at most 500 subscriptions at a time"),
            ));
        }
        let mut ids = Vec::with_capacity(self.subscriptionids.len());
        let mut malformed = Vec::new();
        for raw in self.subscriptionids {
            match raw.trim().parse::<SubscriptionId>() {
                Ok(id) => ids.push(id),
                Err(_) => malformed.push(raw),
            }
        }
        Ok(BulkChange { status, ids, malformed })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn patch_of(json: &str) -> ApiResult<SubscriptionPatch> {
        let body: SubscriptionPatchBody = crate::json::parse_body(json.as_bytes()).expect("parses");
        body.into_patch()
    }

    #[test]
    fn an_sdk_suspend_changes_only_the_status() {
        let p =
            patch_of(r#"{"Id":null,"FriendlyName":null,"Quantity":0,"Status":"suspended","AutoRenewEnabled":false}"#)
                .expect("valid");
        assert_eq!(
            p,
            SubscriptionPatch {
                status: Some(SubscriptionStatus::Suspended),
                ..Default::default()
            }
        );
    }

    #[test]
    fn without_a_status_auto_renew_false_applies() {
        let p = patch_of(r#"{"autoRenewEnabled":false,"quantity":3}"#).expect("valid");
        assert_eq!((p.auto_renew, p.quantity, p.status), (Some(false), Some(3), None));
    }

    #[test]
    fn an_unknown_status_names_the_property() {
        let e = patch_of(r#"{"status":"paused"}"#).expect_err("refused");
        assert_eq!(e.name(), "invalid_property");
    }
}
