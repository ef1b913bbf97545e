//! The partner's granular delegated admin (GDAP) relationships: the list (by status, or
//! those ending within 30 days, which the home page counts), a new relationship (roles from
//! the catalogue, duration in days, auto-extension, optionally one of the partner's
//! customers), sending it for approval (the page then shows the link to give the
//! customer's global admin), its detail (roles by name, dates, access assignments with
//! their security groups), termination after a confirmation, extension (auto-extension by
//! 180 days) of one or of several at once with a result per relationship.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use partnerdesk_app::gdap::{GdapFilter, GdapPatch, GdapRelationship, GdapStatus, NewGdapRelationship, MAX_PAGE};
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::gdap::{AdminRole, AUTO_EXTEND_DAYS, EXPIRY_WARNING_DAYS, GLOBAL_ADMINISTRATOR_ROLE};
use partnerdesk_domain::{CustomerId, GdapId, SecurityGroupId};

use super::form::Fields;
use super::pages::{render, require_partner, Chrome, PageError};
use super::path_id::PageId;
use super::refusal::{refusal, Refusal};
use super::session::{Notice, SignedIn, Visitor};
use super::tr::Tr;
use crate::state::AppState;

/// The customers offered in the new-relationship form.
const CUSTOMER_CHOICES: u32 = 300;

/// The link a customer's global admin opens to approve or reject relationship `id`.
pub fn approval_link(state: &AppState, id: GdapId) -> String {
    format!(
        "{}/partners/admin-relationships/{id}",
        state.app.config().public_url.trim_end_matches('/')
    )
}

/// A status in the page's words.
pub fn status_words(tr: &Tr, status: GdapStatus) -> String {
    tr.t1("gdap-status", "status", status.as_str())
}

/// Role ids as their catalogue names (an id the catalogue no longer has stays as it is).
pub fn role_names(catalogue: &HashMap<String, AdminRole>, roles: &[String]) -> Vec<String> {
    roles
        .iter()
        .map(|r| catalogue.get(r).map_or_else(|| r.clone(), |role| role.name.clone()))
        .collect()
}

/// The role catalogue by id.
pub async fn catalogue(state: &AppState) -> Result<HashMap<String, AdminRole>, AppError> {
    Ok(state
        .app
        .roles()
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// Whether `g` ends within the warning window without extending itself (what the home
/// page counts).
fn ends_soon(g: &GdapRelationship, now: chrono::DateTime<chrono::Utc>) -> bool {
    let will_extend = g.auto_extend_days > 0 && !g.roles.iter().any(|r| r == GLOBAL_ADMINISTRATOR_ROLE);
    g.status.is_in_force()
        && !will_extend
        && g.ends_at
            .is_some_and(|end| end >= now && end < now + Duration::days(EXPIRY_WARNING_DAYS))
}

/// One relationship, as a row.
pub struct Row {
    pub id: String,
    pub name: String,
    pub customer: String,
    pub status: String,
    pub roles: String,
    pub ends: String,
    /// In force: it can be extended.
    pub in_force: bool,
}

fn customer_words(tr: &Tr, g: &GdapRelationship) -> String {
    g.customer_display_name
        .clone()
        .or_else(|| g.customer_id.map(|c| c.to_string()))
        .unwrap_or_else(|| tr.t("gdap-any-customer"))
}

fn row(tr: &Tr, catalogue: &HashMap<String, AdminRole>, g: &GdapRelationship) -> Row {
    Row {
        id: g.id.to_string(),
        name: g.display_name.clone(),
        customer: customer_words(tr, g),
        status: status_words(tr, g.status),
        roles: role_names(catalogue, &g.roles).join(", "),
        ends: g.ends_at.map(|e| tr.date(&e)).unwrap_or_else(|| "—".into()),
        in_force: g.status.is_in_force(),
    }
}

/// A status to filter by.
pub struct StatusChoice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

/// The outcome of one relationship of a bulk extension.
pub struct BulkResult {
    pub name: String,
    pub ok: bool,
    pub text: String,
}

#[derive(Template)]
#[template(path = "web/gdap_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    statuses: Vec<StatusChoice>,
    ending_soon: bool,
    /// The customer the list is narrowed to (kept when the status changes).
    customer: Option<String>,
    next: Option<String>,
    results: Vec<BulkResult>,
}

/// What the list shows: a status, or those ending soon; and where the page starts.
#[derive(Default)]
struct ListQuery {
    status: Option<GdapStatus>,
    customer: Option<CustomerId>,
    ending_soon: bool,
    after: Option<GdapId>,
}

fn list_query(query: Option<&str>) -> ListQuery {
    let mut q = ListQuery::default();
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match &*name {
            "status" => q.status = GdapStatus::parse(&value),
            "customer" => q.customer = value.parse().ok(),
            "ending" => q.ending_soon = value == "soon",
            "after" => q.after = value.parse().ok(),
            _ => {}
        }
    }
    q
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    q: ListQuery,
    results: Vec<BulkResult>,
) -> Result<Response, PageError> {
    require_partner(visitor, caller)?;
    let tr = visitor.tr;
    let roles = catalogue(state).await?;
    let (list, next) = if q.ending_soon {
        let now = state.app.now();
        let mut all = Vec::new();
        for status in [GdapStatus::Active, GdapStatus::Expiring] {
            let mut after = None;
            loop {
                let filter = GdapFilter {
                    status: Some(status),
                    customer: None,
                };
                let page = state.app.gdap_relationships(caller, filter, after, MAX_PAGE).await?;
                let full = page.len() == MAX_PAGE;
                after = page.last().map(|g| g.id);
                all.extend(page.into_iter().filter(|g| ends_soon(g, now)));
                if !full {
                    break;
                }
            }
        }
        all.sort_by_key(|g| g.ends_at);
        (all, None)
    } else {
        let filter = GdapFilter {
            status: q.status,
            customer: q.customer,
        };
        let page = state.app.gdap_relationships(caller, filter, q.after, MAX_PAGE).await?;
        let next = (page.len() == MAX_PAGE).then(|| {
            let mut next = form_urlencoded::Serializer::new(String::from("/gdap?"));
            if let Some(s) = q.status {
                next.append_pair("status", s.as_str());
            }
            if let Some(c) = q.customer {
                next.append_pair("customer", &c.to_string());
            }
            next.append_pair("after", &page.last().map(|g| g.id.to_string()).unwrap_or_default());
            next.finish()
        });
        (page, next)
    };
    let statuses = GdapStatus::ALL
        .iter()
        .map(|s| StatusChoice {
            value: s.as_str(),
            label: status_words(&tr, *s),
            selected: q.status == Some(*s),
        })
        .collect();
    let title = if q.ending_soon {
        tr.t("gdap-ending-title")
    } else {
        tr.t("gdap-title")
    };
    let chrome = Chrome::of(visitor, "gdap", title);
    Ok(render(
        visitor,
        StatusCode::OK,
        &ListPage {
            chrome,
            rows: list.iter().map(|g| row(&tr, &roles, g)).collect(),
            statuses,
            ending_soon: q.ending_soon,
            customer: q.customer.map(|c| c.to_string()),
            next,
            results,
        },
    ))
}

/// `GET /gdap`: the partner's relationships; `?status=` one status, `?ending=soon` those
/// ending within 30 days.
pub async fn list(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    list_page(&state, &visitor, &caller, list_query(query.as_deref()), Vec::new()).await
}

/// `POST /gdap/extend`: auto-extension for every relationship ticked, each on its own; the
/// list again with a result per relationship.
pub async fn bulk_extend(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = Fields::checked(&visitor, &body)?;
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let ids: Vec<&str> = fields.all("ids");
    if ids.is_empty() {
        let notice = Notice::refusal(tr.t("gdap-bulk-none"));
        return Ok(visitor.redirect_with("/gdap", Some(notice)));
    }
    let mut results = Vec::new();
    let mut items = Vec::new();
    for raw in ids {
        match raw.parse::<GdapId>() {
            Ok(id) => items.push((
                id,
                GdapPatch {
                    auto_extend: Some(format!("P{AUTO_EXTEND_DAYS}D")),
                    ..GdapPatch::default()
                },
            )),
            Err(_) => results.push(BulkResult {
                name: raw.to_string(),
                ok: false,
                text: tr.t("refusal-not-found"),
            }),
        }
    }
    // Each relationship by its name in the results (its id when the partner has none such).
    let mut names = Vec::with_capacity(items.len());
    for (id, _) in &items {
        names.push(match state.app.gdap_relationship(&caller, *id).await {
            Ok(g) => g.display_name,
            Err(AppError::NotFound(_)) => id.to_string(),
            Err(e) => return Err(e.into()),
        });
    }
    let outcomes = state.app.bulk_update_gdap(&caller, items).await?;
    for (name, outcome) in names.into_iter().zip(outcomes) {
        let (ok, text) = match outcome {
            Ok(_) => (true, tr.t("gdap-extended")),
            Err(e) => (false, refusal(&tr, &e).text),
        };
        results.push(BulkResult { name, ok, text });
    }
    list_page(&state, &visitor, &caller, ListQuery::default(), results).await
}

/// A role to tick in the form.
pub struct RoleChoice {
    pub id: String,
    pub name: String,
    pub description: String,
    pub checked: bool,
}

/// A customer to choose.
pub struct CustomerChoice {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

/// What the form holds (kept when it is refused).
pub struct NewForm {
    pub name: String,
    pub days: String,
    pub auto_extend: bool,
    pub customer: String,
    pub roles: Vec<String>,
}

#[derive(Template)]
#[template(path = "web/gdap_new.html")]
struct NewPage {
    chrome: Chrome,
    form: NewForm,
    roles: Vec<RoleChoice>,
    customers: Vec<CustomerChoice>,
    error: Option<Refusal>,
}

async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    form: NewForm,
    error: Option<Refusal>,
) -> Result<Response, PageError> {
    require_partner(visitor, caller)?;
    let mut roles: Vec<AdminRole> = state.app.roles().await?;
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    let roles = roles
        .into_iter()
        .map(|r| RoleChoice {
            checked: form.roles.contains(&r.id),
            id: r.id,
            name: r.name,
            description: r.description,
        })
        .collect();
    let customers = state
        .app
        .list_customers_by_name(caller, None, CUSTOMER_CHOICES)
        .await?
        .items
        .into_iter()
        .map(|c| CustomerChoice {
            selected: form.customer == c.id.to_string(),
            id: c.id.to_string(),
            name: c.company.company_name.as_str().to_string(),
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let chrome = Chrome::of(visitor, "gdap", visitor.tr.t("gdap-new-title"));
    Ok(render(
        visitor,
        status,
        &NewPage {
            chrome,
            form,
            roles,
            customers,
            error,
        },
    ))
}

/// `GET /gdap/new` (`?customer=` chooses the customer).
pub async fn new(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let customer = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "customer")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let form = NewForm {
        name: String::new(),
        days: "730".into(),
        auto_extend: false,
        customer,
        roles: Vec::new(),
    };
    new_page(&state, &visitor, &caller, form, None).await
}

/// `POST /gdap/new`: creates the relationship, then shows it (to send for approval).
pub async fn create(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = Fields::checked(&visitor, &body)?;
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let form = NewForm {
        name: fields.get("name").unwrap_or("").trim().to_string(),
        days: fields.get("days").unwrap_or("").trim().to_string(),
        auto_extend: fields.get("auto_extend") == Some("yes"),
        customer: fields.get("customer").unwrap_or("").trim().to_string(),
        roles: fields.all("roles").into_iter().map(str::to_string).collect(),
    };
    let refuse = |field: &'static str, id: &str| {
        Some(Refusal {
            field: Some(field),
            text: tr.t(id),
        })
    };
    let error = if form.name.is_empty() {
        refuse("displayName", "gdap-name-required")
    } else if form.roles.is_empty() {
        refuse("roles", "gdap-roles-required")
    } else if form.days.parse::<u32>().is_err() {
        refuse("duration", "refusal-gdap-duration")
    } else {
        None
    };
    let customer = if form.customer.is_empty() {
        None
    } else {
        match form.customer.parse::<CustomerId>() {
            Ok(c) => Some(c),
            Err(_) => {
                let error = refuse("customer", "gdap-customer-unknown");
                return new_page(&state, &visitor, &caller, form, error).await;
            }
        }
    };
    if error.is_some() {
        return new_page(&state, &visitor, &caller, form, error).await;
    }
    let input = NewGdapRelationship {
        display_name: form.name.clone(),
        duration: format!("P{}D", form.days),
        roles: form.roles.clone(),
        customer,
        auto_extend: Some(if form.auto_extend {
            format!("P{AUTO_EXTEND_DAYS}D")
        } else {
            "PT0S".into()
        }),
    };
    match state.app.create_gdap_relationship(&caller, input).await {
        Ok(g) => {
            let notice = tr.t1("gdap-created", "name", &g.display_name);
            Ok(visitor.redirect(&format!("/gdap/{}", g.id), Some(notice)))
        }
        Err(AppError::NotFound("customer")) => {
            let error = refuse("customer", "gdap-customer-unknown");
            new_page(&state, &visitor, &caller, form, error).await
        }
        Err(e @ (AppError::Domain(_) | AppError::AlreadyInUse { .. } | AppError::Conflict(_))) => {
            let mut error = refusal(&tr, &e);
            if error.field == Some("roleDefinitionId") || error.field == Some("accessDetails") {
                error.field = Some("roles");
            }
            new_page(&state, &visitor, &caller, form, Some(error)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// An access assignment, as a row.
pub struct AssignmentRow {
    pub group: String,
    pub roles: String,
    pub status: String,
}

/// A security group to give access to.
pub struct GroupChoice {
    pub id: String,
    pub name: String,
}

/// A role of the relationship, by name.
pub struct RoleRow {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "web/gdap_detail.html")]
struct DetailPage {
    chrome: Chrome,
    id: String,
    name: String,
    customer: String,
    status: String,
    roles: Vec<RoleRow>,
    duration_days: i64,
    auto_extend_days: i64,
    created: String,
    activated: Option<String>,
    ends: Option<String>,
    ended: Option<String>,
    /// Still `created`: it can be sent for approval.
    can_lock: bool,
    /// Waiting for the customer: the link to give.
    approval_link: Option<String>,
    in_force: bool,
    can_terminate: bool,
    assignments: Vec<AssignmentRow>,
    groups: Vec<GroupChoice>,
    /// A refused access assignment, beside its field.
    error: Option<Refusal>,
}

/// `GET /gdap/{gid}`.
pub async fn detail(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(gid): PageId<GdapId>,
) -> Result<Response, PageError> {
    detail_page(&state, &visitor, &caller, gid, None).await
}

async fn detail_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    gid: GdapId,
    error: Option<Refusal>,
) -> Result<Response, PageError> {
    require_partner(visitor, caller)?;
    let g = state.app.gdap_relationship(caller, gid).await?;
    let tr = visitor.tr;
    let roles = catalogue(state).await?;
    let groups = state.app.security_groups(caller).await?;
    let group_names: HashMap<SecurityGroupId, String> = groups.iter().map(|s| (s.id, s.display_name.clone())).collect();
    let assignments = state
        .app
        .access_assignments(caller, gid)
        .await?
        .into_iter()
        .map(|a| AssignmentRow {
            group: group_names
                .get(&a.security_group_id)
                .cloned()
                .unwrap_or_else(|| a.security_group_id.to_string()),
            roles: role_names(&roles, &a.roles).join(", "),
            status: tr.t1("gdap-assignment-status", "status", a.status.as_str()),
        })
        .collect();
    let chrome = Chrome::of(visitor, "gdap", g.display_name.clone());
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = DetailPage {
        chrome,
        id: g.id.to_string(),
        name: g.display_name.clone(),
        customer: customer_words(&tr, &g),
        status: status_words(&tr, g.status),
        roles: g
            .roles
            .iter()
            .map(|r| RoleRow {
                id: r.clone(),
                name: role_names(&roles, std::slice::from_ref(r)).remove(0),
            })
            .collect(),
        duration_days: g.duration_days,
        auto_extend_days: g.auto_extend_days,
        created: tr.date(&g.created_at),
        activated: g.activated_at.map(|d| tr.date(&d)),
        ends: g.ends_at.map(|d| tr.date(&d)),
        ended: g.ended_at.map(|d| tr.date(&d)),
        can_lock: g.status == GdapStatus::Created,
        approval_link: (g.status == GdapStatus::ApprovalPending).then(|| approval_link(state, g.id)),
        in_force: g.status.is_in_force(),
        can_terminate: g.status.is_in_force(),
        assignments,
        groups: groups
            .into_iter()
            .map(|s| GroupChoice {
                id: s.id.to_string(),
                name: s.display_name,
            })
            .collect(),
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `POST /gdap/{gid}/send`: locks it for approval; the detail then shows the link.
pub async fn send(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(gid): PageId<GdapId>,
    body: Bytes,
) -> Result<Response, PageError> {
    Fields::checked(&visitor, &body)?;
    require_partner(&visitor, &caller)?;
    let back = format!("/gdap/{gid}");
    match state
        .app
        .request_gdap_action(&caller, gid, partnerdesk_app::gdap::GdapAction::LockForApproval)
        .await
    {
        Ok(_) => Ok(visitor.redirect(&back, Some(visitor.tr.t("gdap-sent")))),
        Err(e @ AppError::Domain(_)) => {
            let notice = Notice::refusal(refusal(&visitor.tr, &e).text);
            Ok(visitor.redirect_with(&back, Some(notice)))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /gdap/{gid}/extend`: auto-extension by 180 days.
pub async fn extend(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(gid): PageId<GdapId>,
    body: Bytes,
) -> Result<Response, PageError> {
    Fields::checked(&visitor, &body)?;
    require_partner(&visitor, &caller)?;
    let back = format!("/gdap/{gid}");
    let patch = GdapPatch {
        auto_extend: Some(format!("P{AUTO_EXTEND_DAYS}D")),
        ..GdapPatch::default()
    };
    let mut out = state.app.bulk_update_gdap(&caller, vec![(gid, patch)]).await?;
    match out.pop() {
        Some(Ok(_)) => Ok(visitor.redirect(&back, Some(visitor.tr.t("gdap-extended")))),
        Some(Err(e @ AppError::Domain(_))) => {
            let notice = Notice::refusal(refusal(&visitor.tr, &e).text);
            Ok(visitor.redirect_with(&back, Some(notice)))
        }
        Some(Err(e)) => Err(e.into()),
        None => Err(AppError::NotFound("GDAP relationship").into()),
    }
}

/// `POST /gdap/{gid}/access`: gives a security group some of the relationship's roles.
pub async fn assign(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(gid): PageId<GdapId>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = Fields::checked(&visitor, &body)?;
    require_partner(&visitor, &caller)?;
    let back = format!("/gdap/{gid}");
    let tr = visitor.tr;
    let beside = |field: &'static str, text: String| {
        Some(Refusal {
            field: Some(field),
            text,
        })
    };
    let Some(group) = fields.get("group").and_then(|g| g.parse::<SecurityGroupId>().ok()) else {
        let error = beside("group", tr.t("gdap-group-required"));
        return detail_page(&state, &visitor, &caller, gid, error).await;
    };
    let roles: Vec<String> = fields.all("roles").into_iter().map(str::to_string).collect();
    if roles.is_empty() {
        let error = beside("roles", tr.t("gdap-roles-required"));
        return detail_page(&state, &visitor, &caller, gid, error).await;
    }
    match state.app.create_access_assignment(&caller, gid, group, roles).await {
        Ok(_) => Ok(visitor.redirect(&back, Some(tr.t("gdap-assigned")))),
        Err(AppError::NotFound("security group")) => {
            let error = beside("group", tr.t("gdap-group-required"));
            detail_page(&state, &visitor, &caller, gid, error).await
        }
        Err(e @ (AppError::Domain(_) | AppError::Conflict(_))) => {
            let mut error = refusal(&tr, &e);
            if error.field.is_some() {
                error.field = Some("roles");
            }
            detail_page(&state, &visitor, &caller, gid, Some(error)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "web/gdap_terminate.html")]
struct TerminatePage {
    chrome: Chrome,
    row: Row,
}

/// `GET /gdap/{gid}/terminate`: what terminating does, before it is done.
pub async fn confirm_terminate(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(gid): PageId<GdapId>,
) -> Result<Response, PageError> {
    require_partner(&visitor, &caller)?;
    let g = state.app.gdap_relationship(&caller, gid).await?;
    let tr = visitor.tr;
    let roles = catalogue(&state).await?;
    let chrome = Chrome::of(&visitor, "gdap", tr.t("gdap-terminate-title"));
    let row = row(&tr, &roles, &g);
    Ok(render(&visitor, StatusCode::OK, &TerminatePage { chrome, row }))
}

/// `POST /gdap/{gid}/terminate`: ends it at once; its access assignments end with it.
pub async fn terminate(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(gid): PageId<GdapId>,
    body: Bytes,
) -> Result<Response, PageError> {
    Fields::checked(&visitor, &body)?;
    require_partner(&visitor, &caller)?;
    let back = format!("/gdap/{gid}");
    match state
        .app
        .request_gdap_action(&caller, gid, partnerdesk_app::gdap::GdapAction::Terminate)
        .await
    {
        Ok(_) => Ok(visitor.redirect(&back, Some(visitor.tr.t("gdap-terminated")))),
        Err(e @ AppError::Domain(_)) => {
            let notice = Notice::refusal(refusal(&visitor.tr, &e).text);
            Ok(visitor.redirect_with(&back, Some(notice)))
        }
        Err(e) => Err(e.into()),
    }
}
