//! `/v1/auditrecords` and `/auditactivity/v1/auditrecords/{id}`: the audit log as Partner
//! Center serves it. A partner reads the records naming it, a customer those naming it, the
//! operator all of them.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use partnerdesk_app::audit_log::{AuditCursor, AuditSearch};
use partnerdesk_app::AppError;
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::{AuditId, CustomerId};
use serde::Deserialize;

use super::{id_property, ApiQuery, Id, ListFilter, Paging};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Why};
use crate::state::AppState;
use crate::wire::audit::AuditRecordWire;

/// Days a query without `startDate` reaches back.
pub const DEFAULT_DAYS: u64 = 30;

/// Query of `GET /v1/auditrecords`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The first day, `yyyy-mm-dd` (UTC); without it, 30 days before `endDate`.
    #[serde(rename = "startDate", alias = "startdate")]
    #[param(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub start_date: Option<String>,
    /// The last day, `yyyy-mm-dd` (UTC), included; without it, up to now.
    #[serde(rename = "endDate", alias = "enddate")]
    #[param(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub end_date: Option<String>,
    /// URL-encoded JSON `{"Field", "Value", "Operator"}`: `CompanyName` with `substring`
    /// (any case and script), `CustomerId` with `equals`, or `ResourceType` with `equals`
    /// and a PascalCase resource type (`PartnerCustomerRelationship`).
    pub filter: Option<String>,
    /// Records a page (default 100, at most 500).
    pub size: Option<u32>,
    /// `Next` (in any case), with the `MS-ContinuationToken` of the page before.
    #[serde(rename = "seekOperation", alias = "seekoperation")]
    #[param(pattern = "^[Nn][Ee][Xx][Tt]$")]
    pub seek_operation: Option<String>,
}

/// A day of the query, `yyyy-mm-dd`, named by its property when malformed. Years are
/// 0001 to 9999, as written with four digits: chrono reads years far beyond them, where the
/// 30 days before a day are no longer a date and the database has no timestamp.
fn day(raw: &str, property: &'static str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1..=9999).contains(&d.year()))
        .ok_or_else(|| {
            ApiError::invalid_property(property, Why::other("must be a date such as 2026-12-01 (yyyy-mm-dd)"))
        })
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// A PascalCase resource type (`PartnerCustomerRelationship`) as stored (`partner_customer_relationship`).
pub fn resource_type_of(pascal: &str) -> Option<String> {
    let pascal = pascal.trim();
    let mut chars = pascal.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_uppercase()) || !pascal.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// What the query asks for: the dates (none: the last 30 days) and the filter.
pub fn search_of(
    start: Option<&str>,
    end: Option<&str>,
    filter: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<AuditSearch> {
    let start = start
        .filter(|s| !s.trim().is_empty())
        .map(|s| day(s, "startDate"))
        .transpose()?;
    let end = end
        .filter(|s| !s.trim().is_empty())
        .map(|s| day(s, "endDate"))
        .transpose()?;
    // Without an end, up to now: the end of today, as nothing is recorded later than now.
    let end = end.unwrap_or_else(|| now.date_naive());
    let to = start_of(end.checked_add_days(Days::new(1)).unwrap_or(end));
    let from = match start {
        Some(start) => start_of(start),
        None => to - chrono::Duration::days(DEFAULT_DAYS as i64),
    };
    if from >= to {
        return Err(ApiError::invalid_property(
            "startDate",
            Why::other("must not be after endDate"),
        ));
    }
    let mut search = AuditSearch {
        from,
        to,
        customer: None,
        resource_type: None,
        company_contains: None,
    };
    let Some(f) = ListFilter::read(filter)? else {
        return Ok(search);
    };
    let operator = f.operator.as_deref().map(str::to_ascii_lowercase);
    let expect = |wanted: &'static str, message: &'static str| match operator.as_deref() {
        None => Ok(()),
        Some(op) if op == wanted => Ok(()),
        Some(_) => Err(ApiError::invalid_property("filter.Operator", Why::other(message))),
    };
    match f.field.to_ascii_lowercase().as_str() {
        "companyname" => {
            expect("substring", "CompanyName is searched with substring")?;
            search.company_contains = SearchText::parse("filter.Value", &f.value).map_err(AppError::Domain)?;
        }
        "customerid" => {
            expect("equals", "CustomerId is searched with equals")?;
            search.customer = Some(id_property::<CustomerId>(&f.value, "filter.Value")?);
        }
        "resourcetype" => {
            expect("equals", "ResourceType is searched with equals")?;
            let resource_type = resource_type_of(&f.value).ok_or_else(|| {
                ApiError::invalid_property(
                    "filter.Value",
                    Why::other("must be a resource type in PascalCase, such as PartnerCustomerRelationship"),
                )
            })?;
            search.resource_type = Some(resource_type);
        }
        _ => {
            return Err(ApiError::invalid_property(
                "filter.Field",
                Why::other("must be CompanyName, CustomerId or ResourceType"),
            ))
        }
    }
    Ok(search)
}

#[utoipa::path(
    get,
    path = "/v1/auditrecords",
    tag = "audit",
    summary = "List audit records",
    params(
        crate::api::audit::AuditQuery,
    ),
    responses(
        (status = 200, description = "A page of audit records, oldest first",
         body = crate::wire::Collection<crate::wire::audit::AuditRecordWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/auditrecords`: the audit records the caller may see, written between the
/// dates, a page at a time.
pub async fn list_audit_records(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Response> {
    let search = search_of(
        q.start_date.as_deref(),
        q.end_date.as_deref(),
        q.filter.as_deref(),
        state.app.now(),
    )?;
    let kept = [
        ("startDate", q.start_date.as_deref()),
        ("endDate", q.end_date.as_deref()),
        ("filter", q.filter.as_deref()),
    ];
    let paging = (q.size, q.seek_operation.as_deref());
    let (paging, after) = Paging::read::<AuditCursor>(&caller, "/v1/auditrecords", paging, &headers, &kept)?;
    let page = state.app.audit_records(&caller, &search, after, paging.size).await?;
    let items: Vec<AuditRecordWire> = page.items.iter().map(AuditRecordWire::from).collect();
    let count = items.len() as i64;
    Ok(Json(paging.collection(items, count, page.next)).into_response())
}

#[utoipa::path(
    get,
    path = "/auditactivity/v1/auditrecords/{id}",
    tag = "audit",
    summary = "Get an audit record",
    params(
        ("id" = String, Path, description = "The audit record id"),
    ),
    responses(
        (status = 200, description = "The audit record", body = crate::wire::audit::AuditRecordWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /auditactivity/v1/auditrecords/{id}`: one record the caller may see.
pub async fn get_audit_record(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Id(id): Id<AuditId>,
) -> ApiResult<Response> {
    let record = state.app.audit_record(&caller, id).await?;
    Ok(Json(AuditRecordWire::from(&record)).into_response())
}

#[cfg(test)]
mod tests {
    use super::resource_type_of;

    #[test]
    fn a_pascal_case_resource_type_is_read_as_its_stored_name() {
        assert_eq!(
            resource_type_of("PartnerCustomerRelationship").as_deref(),
            Some("partner_customer_relationship")
        );
        assert_eq!(resource_type_of("Subscription").as_deref(), Some("subscription"));
        assert_eq!(resource_type_of("partner_customer"), None);
        assert_eq!(resource_type_of(""), None);
        assert_eq!(resource_type_of("Sub-scription"), None);
    }
}
