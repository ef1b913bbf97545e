//! The customer's side of granular delegated admin (GDAP): the list of its partners' admin
//! relationships, and the page a partner's approval link opens: who asks, which roles (by
//! name and what each allows), for how long, whether it extends itself; the customer's
//! global admin approves or rejects it, or terminates one in force after a confirmation
//! (DESIGN.md rule 8: a customer may end its partner's admin roles at any time).

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use partnerdesk_app::gdap::{GdapAction, GdapFilter, GdapRelationship, GdapStatus, MAX_PAGE};
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::gdap::AdminRole;
use partnerdesk_domain::{GdapId, PartnerId};

use super::form::Form;
use super::gdap::{catalogue, role_names, status_words};
use super::pages::{render, require_customer, Chrome, PageResult};
use super::path_id::PageId;
use super::session::{Visit, Visitor};
use super::tr::Tr;
use crate::state::AppState;

/// A relationship as the customer sees it.
pub struct Row {
    pub id: String,
    pub name: String,
    pub partner: String,
    pub status: String,
    pub roles: String,
    pub ends: String,
    pub pending: bool,
    pub in_force: bool,
}

/// A role asked for, by name and what it allows.
pub struct RoleRow {
    pub name: String,
    pub description: String,
}

/// The names of the partners the customer works with (or has worked with).
async fn partner_names(state: &AppState, caller: &Caller) -> Result<HashMap<PartnerId, String>, AppError> {
    Ok(state
        .app
        .list_my_partners(caller, true)
        .await?
        .into_iter()
        .map(|p| (p.partner.id, p.partner.name.as_str().to_string()))
        .collect())
}

fn partner_words(tr: &Tr, names: &HashMap<PartnerId, String>, g: &GdapRelationship) -> String {
    names
        .get(&g.partner_id)
        .cloned()
        .unwrap_or_else(|| tr.t1("gdap-partner-unknown", "id", &g.partner_id.to_string()))
}

fn row(tr: &Tr, names: &HashMap<PartnerId, String>, roles: &HashMap<String, AdminRole>, g: &GdapRelationship) -> Row {
    Row {
        id: g.id.to_string(),
        name: g.display_name.clone(),
        partner: partner_words(tr, names, g),
        status: status_words(tr, g.status),
        roles: role_names(roles, &g.roles).join(", "),
        ends: g.ends_at.map(|e| tr.date(&e)).unwrap_or_else(|| "—".into()),
        pending: g.status == GdapStatus::ApprovalPending,
        in_force: g.status.is_in_force(),
    }
}

#[derive(Template)]
#[template(path = "web/my_gdap.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

/// `GET /partners/admin-relationships`: the partners' admin relationships naming the
/// customer.
pub async fn list(Visit(state, visitor, caller): Visit) -> PageResult {
    require_customer(&visitor, &caller)?;
    let tr = visitor.tr;
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = state
            .app
            .gdap_relationships(&caller, GdapFilter::default(), after, MAX_PAGE)
            .await?;
        let full = page.len() == MAX_PAGE;
        after = page.last().map(|g| g.id);
        all.extend(page);
        if !full {
            break;
        }
    }
    let names = partner_names(&state, &caller).await?;
    let roles = catalogue(&state).await?;
    let rows = all.iter().map(|g| row(&tr, &names, &roles, g)).collect();
    let chrome = Chrome::of(&visitor, "my-partners", tr.t("mygdap-title"));
    Ok(render(&visitor, StatusCode::OK, &ListPage { chrome, rows }))
}

#[derive(Template)]
#[template(path = "web/my_gdap_detail.html")]
struct DetailPage {
    chrome: Chrome,
    row: Row,
    roles: Vec<RoleRow>,
    duration_days: i64,
    auto_extend_days: i64,
    /// The caller may answer (the global admin).
    can_answer: bool,
}

/// `GET /partners/admin-relationships/{gid}`: the approval page of the link a partner
/// gives, and the relationship's detail once answered.
pub async fn view(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>) -> PageResult {
    detail_page(&state, &visitor, &caller, gid).await
}

async fn detail_page(state: &AppState, visitor: &Visitor, caller: &Caller, gid: GdapId) -> PageResult {
    require_customer(visitor, caller)?;
    let g = state.app.gdap_relationship(caller, gid).await?;
    let tr = visitor.tr;
    let names = partner_names(state, caller).await?;
    let catalogue = catalogue(state).await?;
    let roles = g
        .roles
        .iter()
        .map(|r| match catalogue.get(r) {
            Some(role) => RoleRow {
                name: role.name.clone(),
                description: role.description.clone(),
            },
            None => RoleRow {
                name: r.clone(),
                description: String::new(),
            },
        })
        .collect();
    let row = row(&tr, &names, &catalogue, &g);
    let chrome = Chrome::of(
        visitor,
        "my-partners",
        tr.t1("mygdap-detail-title", "name", &g.display_name),
    );
    Ok(render(
        visitor,
        StatusCode::OK,
        &DetailPage {
            chrome,
            row,
            roles,
            duration_days: g.duration_days,
            auto_extend_days: g.auto_extend_days,
            can_answer: caller
                .authorize(partnerdesk_domain::permission::Action::AnswerRequest)
                .is_ok(),
        },
    ))
}

async fn answer(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    gid: GdapId,
    action: GdapAction,
    done: &str,
) -> PageResult {
    require_customer(visitor, caller)?;
    let back = format!("/partners/admin-relationships/{gid}");
    super::gdap::act(state, visitor, caller, (gid, action), (&back, done)).await
}

/// `POST /partners/admin-relationships/{gid}/approve`: the roles are in force at once.
pub async fn approve(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>, Form(_): Form) -> PageResult {
    answer(&state, &visitor, &caller, gid, GdapAction::Approve, "mygdap-approved").await
}

/// `POST /partners/admin-relationships/{gid}/reject`.
pub async fn reject(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>, Form(_): Form) -> PageResult {
    answer(&state, &visitor, &caller, gid, GdapAction::Reject, "mygdap-rejected").await
}

#[derive(Template)]
#[template(path = "web/my_gdap_terminate.html")]
struct TerminatePage {
    chrome: Chrome,
    row: Row,
}

/// `GET /partners/admin-relationships/{gid}/terminate`: what terminating does.
pub async fn confirm_terminate(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>) -> PageResult {
    require_customer(&visitor, &caller)?;
    let g = state.app.gdap_relationship(&caller, gid).await?;
    let tr = visitor.tr;
    let names = partner_names(&state, &caller).await?;
    let catalogue = catalogue(&state).await?;
    let chrome = Chrome::of(&visitor, "my-partners", tr.t("gdap-terminate-title"));
    let row = row(&tr, &names, &catalogue, &g);
    Ok(render(&visitor, StatusCode::OK, &TerminatePage { chrome, row }))
}

/// `POST /partners/admin-relationships/{gid}/terminate`: the partner's roles end at once.
pub async fn terminate(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>, Form(_): Form) -> PageResult {
    answer(&state, &visitor, &caller, gid, GdapAction::Terminate, "gdap-terminated").await
}
