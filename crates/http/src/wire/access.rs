//! `POST /v1/access/check`: the question and the answer.

use partnerdesk_app::access_check::{AccessDecision, AccessQuery, Subject, Via};
use partnerdesk_domain::{CustomerId, GdapId, PartnerId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{id_property, time};
use crate::error::{ApiError, ApiResult, Why};

/// `{customerId, partnerUserId | partnerId, role}`: exactly one of the two subjects.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct AccessCheckBody {
    #[schema(rename = "customerId")]
    pub customerid: Option<String>,
    #[schema(rename = "partnerUserId")]
    pub partneruserid: Option<String>,
    #[schema(rename = "partnerId")]
    pub partnerid: Option<String>,
    /// A role id of the catalogue (`GET /v1/roles`), e.g. Microsoft Entra's role template id.
    pub role: Option<String>,
}

impl crate::json::FlatBody for AccessCheckBody {
    const NAMES: &'static [&'static str] = &["customerid", "partneruserid", "partnerid", "role"];

    fn from_values(values: Vec<Option<String>>) -> Self {
        let mut values = values.into_iter();
        let mut next = || values.next().flatten();
        Self {
            customerid: next(),
            partneruserid: next(),
            partnerid: next(),
            role: next(),
        }
    }
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl AccessCheckBody {
    /// The question, or the property that is missing or malformed.
    pub fn into_query(self) -> ApiResult<AccessQuery> {
        let customer: CustomerId = match present(&self.customerid) {
            Some(raw) => id_property(raw, "customerId")?,
            None => return Err(ApiError::invalid_property("customerId", Why::Required)),
        };
        let subject = match (present(&self.partneruserid), present(&self.partnerid)) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid_property(
                    "partnerId",
                    Why::other("give partnerUserId or partnerId, not both"),
                ))
            }
            (None, None) => {
                return Err(ApiError::invalid_property(
                    "partnerId",
                    Why::other("give partnerUserId or partnerId"),
                ))
            }
            (Some(u), None) => Subject::User(id_property::<UserId>(u, "partnerUserId")?),
            (None, Some(p)) => Subject::Partner(id_property::<PartnerId>(p, "partnerId")?),
        };
        let Some(role) = present(&self.role) else {
            return Err(ApiError::invalid_property("role", Why::Required));
        };
        Ok(AccessQuery {
            customer,
            subject,
            role: role.to_string(),
        })
    }
}

/// `{allowed, via?, relationshipId?, expiresAt?}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessDecisionWire {
    pub allowed: bool,
    /// `dap` or `gdap`, when allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub via: Option<Via>,
    /// The GDAP relationship that grants it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub relationship_id: Option<GdapId>,
    /// When that relationship ends (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl From<&AccessDecision> for AccessDecisionWire {
    fn from(d: &AccessDecision) -> Self {
        Self {
            allowed: d.allowed,
            via: d.via,
            relationship_id: d.relationship_id,
            expires_at: d.expires_at.map(time),
        }
    }
}
