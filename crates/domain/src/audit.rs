//! Audit records and outbox events: the append-only trail every change leaves, written in
//! the same transaction as the change. Bodies are JSON text so this crate stays pure.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AuditId, CustomerId, EventId, OrgId, PartnerId, UserId};

/// Who did what, when, to which resource; the resource before and after (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    pub actor_org_id: Option<OrgId>,
    /// Partner Center's operation name, e.g. `remove_partner_customer_relationship`.
    pub operation: String,
    /// Partner Center's resource type, e.g. `partner_customer_relationship`.
    pub resource_type: String,
    pub resource_id: String,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A fact to publish to webhook subscribers once the change has committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEvent {
    pub id: EventId,
    pub at: DateTime<Utc>,
    /// Partner Center's event name, e.g. `reseller-relationship-removed`.
    pub event_type: String,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    /// The event body (JSON).
    pub payload: String,
}
