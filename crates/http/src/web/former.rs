//! Former customers: the customers a partner no longer works with (every relationship
//! with them closed), a page at a time, and each one's relationship history, read-only.
//! Removing a customer promises that its relationship stays in the history; this is where.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use partnerdesk_domain::CustomerId;
use serde::Deserialize;

use super::history::{row, HistoryRow};
use super::pages::{render, require_partner, Chrome, PageResult};
use super::path_id::PageId;
use super::session::Visit;

/// Former customers on one page of the list.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    after: Option<String>,
}

/// One former customer, as a row.
pub struct FormerRow {
    pub id: String,
    pub name: String,
    pub domain: String,
}

#[derive(Template)]
#[template(path = "web/customers_former.html")]
struct FormerPage {
    chrome: Chrome,
    rows: Vec<FormerRow>,
    first_page: bool,
    next_href: Option<String>,
}

#[derive(Template)]
#[template(path = "web/customer_former_history.html")]
struct FormerHistoryPage {
    chrome: Chrome,
    customer_name: String,
    rows: Vec<HistoryRow>,
}

/// `GET /customers/former?after=`.
pub async fn list(Visit(state, visitor, caller): Visit, Query(query): Query<ListQuery>) -> PageResult {
    require_partner(&visitor, &caller)?;
    let after = query.after.as_deref().and_then(|a| a.parse::<CustomerId>().ok());
    let page = state.app.list_former_customers(&caller, after, PAGE_SIZE).await?;
    let rows = page
        .items
        .into_iter()
        .map(|c| FormerRow {
            id: c.id.to_string(),
            name: c.company_name,
            domain: c.domain,
        })
        .collect();
    let tr = visitor.tr;
    let chrome = Chrome::of(&visitor, "customers", tr.t("former-title"));
    Ok(render(
        &visitor,
        StatusCode::OK,
        &FormerPage {
            chrome,
            rows,
            first_page: after.is_none(),
            next_href: page.next.map(|id| format!("/customers/former?after={id}")),
        },
    ))
}

/// `GET /customers/former/{id}`: a former customer's relationship history, newest first.
pub async fn history(Visit(state, visitor, caller): Visit, PageId(id): PageId<CustomerId>) -> PageResult {
    require_partner(&visitor, &caller)?;
    let (customer, mut entries) = state.app.former_customer_history(&caller, id).await?;
    entries.sort_by_key(|e| std::cmp::Reverse((e.relationship.created_at, e.relationship.id)));
    let tr = visitor.tr;
    let rows = entries.iter().map(|e| row(&tr, e)).collect();
    let title = format!("{} · {}", customer.company_name, tr.t("history-title"));
    let chrome = Chrome::of(&visitor, "customers", title);
    Ok(render(
        &visitor,
        StatusCode::OK,
        &FormerHistoryPage {
            chrome,
            customer_name: customer.company_name,
            rows,
        },
    ))
}
