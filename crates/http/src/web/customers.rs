//! Customers: the partner's list, searched by name or domain (any script), a page at a
//! time, and exported to CSV (UTF-8 with a BOM, so spreadsheets read Cyrillic right).

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use partnerdesk_app::customers::{CustomerSearch, CustomerStanding};
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::CustomerId;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::pages::{render, require_partner, Chrome, PageResult};
use super::session::{Visit, Visitor};

/// Customers on one page of the list.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    after: Option<String>,
}

/// One row of the list.
pub struct Row {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub country: String,
    /// Since when the relationship is active, in the page's words ("—" when it ended
    /// between the list's two reads).
    pub since: String,
    /// Whether the partner holds delegated admin (DAP) over the customer.
    pub dap: Option<bool>,
}

#[derive(Template)]
#[template(path = "web/customers.html")]
struct CustomersPage {
    chrome: Chrome,
    query: String,
    total: i64,
    rows: Vec<Row>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
    export_href: String,
    /// Why the search was refused (the text stays in the search box).
    error: Option<String>,
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?q={}", utf8_percent_encode(query, NON_ALPHANUMERIC))
    }
}

/// `GET /customers?q=&after=`.
pub async fn list(Visit(state, visitor, caller): Visit, Query(q): Query<ListQuery>) -> PageResult {
    require_partner(&visitor, &caller)?;
    let query = q.q.trim().to_string();
    let search = search_text(&visitor, &query)?;
    // A malformed `after` (edited by hand) starts from the first page.
    let after: Option<CustomerId> = q.after.as_deref().and_then(|a| a.parse().ok());
    // The whole list by name; a search's matches in the order the search reads them.
    let page = match search.as_ref() {
        None => state.app.list_customers_by_name(&caller, after, PAGE_SIZE).await,
        Some(search) => state.app.list_customers(&caller, Some(search), after, PAGE_SIZE).await,
    };
    let page = page?;
    // The status column: one query for the whole page, never one a row.
    let ids: Vec<CustomerId> = page.items.iter().map(|c| c.id).collect();
    let standings: HashMap<CustomerId, CustomerStanding> = state
        .app
        .customer_standings(&caller, &ids)
        .await?
        .into_iter()
        .map(|s| (s.customer_id, s))
        .collect();
    let tr = visitor.tr;
    let first_href = with_query("/customers", &query);
    let next_href = page.next.map(|next| {
        let sep = if query.is_empty() { '?' } else { '&' };
        format!("{first_href}{sep}after={next}")
    });
    let rows = page
        .items
        .iter()
        .map(|c| Row {
            id: c.id.to_string(),
            name: c.company.company_name.as_str().to_string(),
            domain: c.company.domain.as_str().to_string(),
            country: c.company.country.as_str().to_string(),
            since: standings.get(&c.id).map_or_else(
                || tr.t("customers-status-unknown"),
                |s| tr.t1("customers-status-since", "date", &tr.date(&s.since)),
            ),
            dap: standings.get(&c.id).map(|s| s.delegated_admin),
        })
        .collect();
    let chrome = Chrome::of(&visitor, "customers", visitor.tr.t("customers-title"));
    Ok(render(
        &visitor,
        StatusCode::OK,
        &CustomersPage {
            chrome,
            export_href: with_query("/customers/export.csv", &query),
            query,
            total: page.total_count,
            rows,
            first_page: after.is_none(),
            first_href,
            next_href,
            error: None,
        },
    ))
}

/// The search of `?q=`; text that cannot be searched for is refused on the Customers
/// page, with the text kept in the search box to correct.
fn search_text(visitor: &Visitor, query: &str) -> Result<Option<CustomerSearch>, Response> {
    SearchText::parse("q", query)
        .map(|q| q.map(CustomerSearch::Contains))
        .map_err(|_| {
            let chrome = Chrome::of(visitor, "customers", visitor.tr.t("customers-title"));
            render(
                visitor,
                StatusCode::BAD_REQUEST,
                &CustomersPage {
                    chrome,
                    query: query.to_string(),
                    total: 0,
                    rows: Vec::new(),
                    first_page: true,
                    first_href: "/customers".to_string(),
                    next_href: None,
                    export_href: "/customers/export.csv".to_string(),
                    error: Some(visitor.tr.t("customers-search-invalid")),
                },
            )
        })
}

/// `GET /customers/export.csv?q=`: every customer (of the search), streamed.
pub async fn export(Visit(state, visitor, caller): Visit, Query(q): Query<ListQuery>) -> PageResult {
    require_partner(&visitor, &caller)?;
    let search = search_text(&visitor, q.q.trim())?;
    Ok(
        crate::api::customers::export_customers(state.app.clone(), caller, search)
            .await
            .map_err(|e| e.in_lang(visitor.tr.lang))
            .into_response(),
    )
}
