//! Audit records as Partner Center sends them (`AuditRecord`), and their CSV rows.

use chrono::SecondsFormat;
use partnerdesk_domain::audit::AuditRecord;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Attributes, SelfLinks};

/// One audit record.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecordWire {
    pub id: String,
    /// The partner the change concerns, if any.
    pub partner_id: Option<String>,
    pub customer_id: Option<String>,
    /// The customer's name when the change was made.
    pub customer_name: Option<String>,
    /// The acting user's e-mail; none for a change the system made.
    pub user_principal_name: Option<String>,
    /// What the change came through: `dashboard`, `api_token:<name>`, `oauth`, `cli` or `job`.
    pub application_id: Option<String>,
    /// Snake case, e.g. `partner_customer_relationship`.
    pub resource_type: String,
    /// The id of the resource changed.
    pub resource_id: String,
    /// The resource before the change: a string holding JSON.
    pub resource_old_value: Option<String>,
    /// The resource after the change: a string holding JSON.
    pub resource_new_value: Option<String>,
    /// Snake case, e.g. `remove_partner_customer_relationship`.
    pub operation_type: String,
    /// `succeeded`: a refused change leaves no record.
    pub operation_status: String,
    /// The `MS-CorrelationId` of the request that made the change.
    pub original_correlation_id: Option<String>,
    /// RFC 3339 UTC, to the microsecond.
    pub operation_date: String,
    pub attributes: Attributes,
    pub links: SelfLinks,
}

impl From<&AuditRecord> for AuditRecordWire {
    fn from(r: &AuditRecord) -> Self {
        Self {
            id: r.id.to_string(),
            partner_id: r.partner_id.map(|p| p.to_string()),
            customer_id: r.customer_id.map(|c| c.to_string()),
            customer_name: r.customer_name.clone(),
            user_principal_name: r.actor_upn.clone(),
            application_id: r.application.clone(),
            resource_type: r.resource_type.clone(),
            resource_id: r.resource_id.clone(),
            resource_old_value: r.before.clone(),
            resource_new_value: r.after.clone(),
            operation_type: r.operation.clone(),
            operation_status: r.status.clone(),
            original_correlation_id: r.correlation_id.clone(),
            operation_date: r.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            attributes: Attributes::of("AuditRecord"),
            links: SelfLinks::to(format!("/auditactivity/v1/auditrecords/{}", r.id)),
        }
    }
}

/// The CSV export's header line.
pub const CSV_HEADER: &str = "operationDate,operationType,resourceType,resourceId,customerId,customerName,\
userPrincipalName,applicationId,operationStatus,originalCorrelationId,resourceOldValue,resourceNewValue,id\r\n";

/// One record as a CSV line (quoted and defused as the customer export's cells).
pub fn csv_row(r: &AuditRecord) -> String {
    let date = r.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let customer = r.customer_id.map(|c| c.to_string()).unwrap_or_default();
    let id = r.id.to_string();
    let cells: [&str; 13] = [
        &date,
        &r.operation,
        &r.resource_type,
        &r.resource_id,
        &customer,
        r.customer_name.as_deref().unwrap_or(""),
        r.actor_upn.as_deref().unwrap_or(""),
        r.application.as_deref().unwrap_or(""),
        &r.status,
        r.correlation_id.as_deref().unwrap_or(""),
        r.before.as_deref().unwrap_or(""),
        r.after.as_deref().unwrap_or(""),
        &id,
    ];
    let mut line = cells.map(super::customers::csv_cell).join(",");
    line.push_str("\r\n");
    line
}
