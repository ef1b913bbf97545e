//! The audit log: the records the visitor's organisation may read (the operator: all), by
//! date range, company name, customer and resource type, a page at a time; one record with
//! its old and new values side by side; and the filtered set as CSV.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, NaiveDate, NaiveTime};
use partnerdesk_app::audit_log::{AuditCursor, AuditSearch, MAX_PAGE};
use partnerdesk_app::{App, Caller};
use partnerdesk_domain::audit::{AuditRecord, Operation};
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::{AuditId, CustomerId};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::pages::{render, Chrome, PageResult};
use super::path_id::PageId;
use super::session::{Visit, Visitor};
use super::tr::Tr;
use crate::csv_download::csv_download;
use crate::wire::audit::{csv_row, CSV_HEADER};

/// Records on one page of the list.
pub const PAGE_SIZE: u32 = 50;

/// The list's query: every field as typed, so a refused one stays in its box.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    customer: String,
    #[serde(default, rename = "type")]
    resource_type: String,
    after: Option<String>,
}

impl AuditQuery {
    /// The query string of the filters (no page position), `?` included when not empty.
    fn filters(&self) -> String {
        let parts: Vec<String> = [
            ("from", &self.from),
            ("to", &self.to),
            ("company", &self.company),
            ("customer", &self.customer),
            ("type", &self.resource_type),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v.trim(), NON_ALPHANUMERIC)))
        .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// One row of the list.
pub struct Row {
    pub id: String,
    pub date: String,
    pub operation: String,
    pub resource_type: String,
    pub customer: String,
    pub user: String,
    pub application: String,
    /// The API token's name, shown as it was given.
    pub token_name: Option<String>,
}

#[derive(Template)]
#[template(path = "web/audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: AuditQuery,
    types: Vec<&'static str>,
    rows: Vec<Row>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
    export_href: String,
    /// The field a refusal is about (`from`, `to`, `company`, `customer`) and its words.
    error: Option<(&'static str, String)>,
}

impl AuditPage {
    /// Whether `resource_type` is the one filtered by.
    fn selected(&self, resource_type: &str) -> bool {
        self.q.resource_type.trim() == resource_type
    }

    fn error_about(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, e)| e.as_str())
    }
}

#[derive(Template)]
#[template(path = "web/audit_record.html")]
struct RecordPage {
    chrome: Chrome,
    row: Row,
    resource_id: String,
    correlation_id: String,
    chain: String,
    before: String,
    after: String,
}

/// Every resource type a record can carry, for the filter's list.
fn resource_types() -> Vec<&'static str> {
    let mut types: Vec<&'static str> = Operation::ALL.iter().map(|op| op.resource_type()).collect();
    types.sort_unstable();
    types.dedup();
    types
}

/// What the application a record came through is called on the page, and the API
/// token's name when it came with one.
fn application_words(tr: &Tr, application: Option<&str>) -> (String, Option<String>) {
    let words = |id| (tr.t(id), None);
    match application {
        None => words("audit-app-unknown"),
        Some("dashboard") => words("audit-app-dashboard"),
        Some("oauth") => words("audit-app-oauth"),
        Some("cli") => words("audit-app-cli"),
        Some("job") => words("audit-app-job"),
        Some(other) => match other.strip_prefix("api_token:") {
            Some(name) => (tr.t("audit-app-api-token"), Some(name.to_string())),
            None => (tr.t("audit-app-unknown"), Some(other.to_string())),
        },
    }
}

fn row_of(tr: &Tr, r: &AuditRecord) -> Row {
    let (application, token_name) = application_words(tr, r.application.as_deref());
    Row {
        id: r.id.to_string(),
        date: format!("{} {} UTC", tr.date(&r.at), r.at.format("%H:%M:%S")),
        operation: r.operation.clone(),
        resource_type: r.resource_type.clone(),
        customer: r.customer_name.clone().unwrap_or_default(),
        user: r.actor_upn.clone().unwrap_or_default(),
        application,
        token_name,
    }
}

fn day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The search a query asks for, or the field it cannot be read from and why.
fn search_of(tr: &Tr, app: &App, q: &AuditQuery) -> Result<AuditSearch, (&'static str, String)> {
    let from = match q.from.trim() {
        "" => None,
        raw => Some(day(raw).ok_or(("from", tr.t("audit-invalid-date")))?),
    };
    let to = match q.to.trim() {
        "" => None,
        raw => Some(day(raw).ok_or(("to", tr.t("audit-invalid-date")))?),
    };
    // Without an end, up to now: the end of today, as nothing is recorded later than now.
    let to = to.unwrap_or_else(|| app.now().date_naive());
    let to = (to + Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    let from = from.map_or_else(
        || to - Duration::days(crate::api::audit::DEFAULT_DAYS as i64),
        |d| d.and_time(NaiveTime::MIN).and_utc(),
    );
    if from >= to {
        return Err(("from", tr.t("audit-invalid-range")));
    }
    let company = SearchText::parse("company", &q.company).map_err(|_| ("company", tr.t("audit-invalid-company")))?;
    let customer = match q.customer.trim() {
        "" => None,
        raw => Some(
            raw.parse::<CustomerId>()
                .map_err(|_| ("customer", tr.t("audit-invalid-customer")))?,
        ),
    };
    let resource_type = Some(q.resource_type.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    Ok(AuditSearch {
        from,
        to,
        customer,
        resource_type,
        company_contains: company,
    })
}

fn page(visitor: &Visitor, status: StatusCode, page: AuditPage) -> Response {
    render(visitor, status, &page)
}

/// `GET /audit?from=&to=&company=&customer=&type=&after=`.
pub async fn list(Visit(state, visitor, caller): Visit, Query(q): Query<AuditQuery>) -> PageResult {
    let tr = visitor.tr;
    let chrome = Chrome::of(&visitor, "audit", tr.t("audit-title"));
    let filters = q.filters();
    let first_href = format!("/audit{filters}");
    let export_href = format!("/audit/export.csv{filters}");
    let search = match search_of(&tr, &state.app, &q) {
        Ok(search) => search,
        Err(error) => {
            return Ok(page(
                &visitor,
                StatusCode::BAD_REQUEST,
                AuditPage {
                    chrome,
                    q,
                    types: resource_types(),
                    rows: Vec::new(),
                    first_page: true,
                    first_href,
                    next_href: None,
                    export_href,
                    error: Some(error),
                },
            ))
        }
    };
    // A malformed `after` (edited by hand) starts from the first page.
    let after: Option<AuditCursor> = q.after.as_deref().and_then(|a| a.parse().ok());
    let found = state.app.audit_records(&caller, &search, after, PAGE_SIZE).await?;
    let next_href = found.next.map(|next| {
        let sep = if filters.is_empty() { '?' } else { '&' };
        format!(
            "{first_href}{sep}after={}",
            utf8_percent_encode(&next.to_string(), NON_ALPHANUMERIC)
        )
    });
    let rows = found.items.iter().map(|r| row_of(&tr, r)).collect();
    Ok(page(
        &visitor,
        StatusCode::OK,
        AuditPage {
            chrome,
            first_page: after.is_none(),
            q,
            types: resource_types(),
            rows,
            first_href,
            next_href,
            export_href,
            error: None,
        },
    ))
}

/// `GET /audit/{record}`: one record, its old and new values side by side.
pub async fn record(Visit(state, visitor, caller): Visit, PageId(id): PageId<AuditId>) -> PageResult {
    let r = state.app.audit_record(&caller, id).await?;
    let tr = visitor.tr;
    let pretty = |value: &Option<String>| {
        value.as_deref().map_or_else(String::new, |raw| {
            serde_json::from_str::<serde_json::Value>(raw)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or_else(|_| raw.to_string())
        })
    };
    let chrome = Chrome::of(&visitor, "audit", tr.t("audit-record-title"));
    Ok(render(
        &visitor,
        StatusCode::OK,
        &RecordPage {
            chrome,
            resource_id: r.resource_id.clone(),
            correlation_id: r.correlation_id.clone().unwrap_or_default(),
            chain: r
                .link
                .as_ref()
                .map_or_else(String::new, |l| format!("{} #{}", l.chain_id, l.seq)),
            before: pretty(&r.before),
            after: pretty(&r.after),
            row: row_of(&tr, &r),
        },
    ))
}

/// Where the export stands between pages.
struct Export {
    app: App,
    caller: Caller,
    search: AuditSearch,
    after: Option<AuditCursor>,
}

/// `GET /audit/export.csv?...`: every record of the filters as CSV (UTF-8 with a BOM),
/// streamed a page at a time.
pub async fn export(Visit(state, visitor, caller): Visit, Query(q): Query<AuditQuery>) -> PageResult {
    let tr = visitor.tr;
    let Ok(search) = search_of(&tr, &state.app, &q) else {
        // The list shows what is wrong with the filters.
        return list(Visit(state, visitor, caller), Query(q)).await;
    };
    let app = state.app.clone();
    let first = app.audit_records(&caller, &search, None, MAX_PAGE).await?;
    let mut head = String::from("\u{feff}");
    head.push_str(CSV_HEADER);
    for r in &first.items {
        head.push_str(&csv_row(r));
    }
    let rest = first.next.map(|after| Export {
        app,
        caller,
        search,
        after: Some(after),
    });
    Ok(csv_download("audit.csv", head, rest, |mut st: Export| async move {
        let page = st.app.audit_records(&st.caller, &st.search, st.after, MAX_PAGE).await?;
        let rows: String = page.items.iter().map(csv_row).collect();
        let next = page.next.map(|after| {
            st.after = Some(after);
            st
        });
        Ok::<_, partnerdesk_app::AppError>((rows, next))
    }))
}
