//! Customer → History: the partner's reseller relationships with the customer over time,
//! newest first: active and closed, when each began and ended, who ended it and why. Only
//! the partner's own relationships, and only its own users by name.

use askama::Template;
use axum::http::StatusCode;
use partnerdesk_app::removal::HistoryEntry;
use partnerdesk_domain::relationship::ClosedBySide;
use partnerdesk_domain::CustomerId;

use super::account::load_customer;
use super::pages::{render, Chrome, PageResult};
use super::path_id::PageId;
use super::session::Visit;
use super::tr::Tr;

/// One relationship, as a row.
pub struct HistoryRow {
    pub state: &'static str,
    pub state_text: String,
    pub started: String,
    pub ended: String,
    pub ended_by: String,
    pub reason: String,
    pub dap: String,
}

#[derive(Template)]
#[template(path = "web/customer_history.html")]
struct HistoryPage {
    chrome: Chrome,
    tab: &'static str,
    customer_id: String,
    customer_name: String,
    rows: Vec<HistoryRow>,
}

pub(super) fn row(tr: &Tr, entry: &HistoryEntry) -> HistoryRow {
    let r = &entry.relationship;
    let none = || tr.t("field-none");
    let ended_by = match (&entry.closed_by, r.closed_at) {
        (_, None) => none(),
        (None, Some(_)) => tr.t("history-closed-by-unknown"),
        (Some(c), Some(_)) => match (c.side, &c.name) {
            (_, Some(name)) => tr.t1("history-closed-by-you", "name", name),
            (ClosedBySide::Customer, None) => tr.t("history-closed-by-customer"),
            (ClosedBySide::Partner, None) => tr.t("history-closed-by-provider"),
        },
    };
    HistoryRow {
        state: r.state.as_str(),
        state_text: tr.t(&format!("history-state-{}", r.state.as_str())),
        started: tr.date(&r.created_at),
        ended: r.closed_at.as_ref().map_or_else(none, |at| tr.date(at)),
        ended_by,
        reason: r
            .close_reason
            .clone()
            .filter(|reason| !reason.is_empty())
            .unwrap_or_else(none),
        dap: if r.dap_consented {
            tr.t("history-dap-yes")
        } else {
            tr.t("history-dap-no")
        },
    }
}

/// `GET /customers/{id}/history`.
pub async fn history(Visit(state, visitor, caller): Visit, PageId(id): PageId<CustomerId>) -> PageResult {
    // A customer the partner no longer works with: its history is under Former customers
    // (the removal confirmation promises it stays there).
    if state.app.former_customer_history(&caller, id).await.is_ok() {
        return Ok(visitor.redirect(&format!("/customers/former/{id}"), None));
    }
    let (id, view) = load_customer(&state, &visitor, &caller, id).await?;
    let mut entries = state.app.relationship_history_entries(&caller, id).await?;
    // Newest first; ids are UUIDv7, so they order relationships begun in the same instant.
    entries.sort_by_key(|e| std::cmp::Reverse((e.relationship.created_at, e.relationship.id)));
    let tr = visitor.tr;
    let rows = entries.iter().map(|e| row(&tr, e)).collect();
    let name = view.customer.company.company_name.as_str().to_string();
    let title = format!("{name} · {}", tr.t("history-title"));
    let chrome = Chrome::of(&visitor, "customers", title);
    Ok(render(
        &visitor,
        StatusCode::OK,
        &HistoryPage {
            chrome,
            tab: "history",
            customer_id: id.to_string(),
            customer_name: name,
            rows,
        },
    ))
}
