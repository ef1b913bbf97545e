//! The partner's granular delegated admin (GDAP) relationships: the list (by status, or
//! those ending within 30 days, which the home page counts), a new relationship (roles from
//! the catalogue, duration in days, auto-extension, optionally one of the partner's
//! customers), sending it for approval (the page then shows the link to give the
//! customer's global admin), its detail (roles by name, dates, access assignments with
//! their security groups), deletion while not yet sent and termination, each after a
//! confirmation, extension (auto-extension by 180 days) of one or of several at once with
//! a result per relationship.

use std::collections::HashMap;

use askama::Template;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use partnerdesk_app::gdap::{
    GdapAction, GdapFilter, GdapPatch, GdapRelationship, GdapStatus, NewGdapRelationship, MAX_PAGE,
};
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::gdap::{AdminRole, AUTO_EXTEND_DAYS};
use partnerdesk_domain::{AssignmentId, CustomerId, GdapId, SecurityGroupId};

use super::form::{Fields, Form};
use super::pages::{form_status, render, require_partner, Chrome, PageResult};
use super::path_id::{PageId, PageIds};
use super::refusal::{is_stale, refusal, refused_or_page, Refusal};
use super::session::{Notice, Visit, Visitor};
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
    /// Where the last one seen ends (paging the relationships ending soon, by end).
    after_end: Option<DateTime<Utc>>,
}

fn list_query(query: Option<&str>) -> ListQuery {
    let mut q = ListQuery::default();
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match &*name {
            "status" => q.status = GdapStatus::parse(&value),
            "customer" => q.customer = value.parse().ok(),
            "ending" => q.ending_soon = value == "soon",
            "after" => q.after = value.parse().ok(),
            "end" => q.after_end = DateTime::parse_from_rfc3339(&value).ok().map(|d| d.with_timezone(&Utc)),
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
) -> PageResult {
    require_partner(visitor, caller)?;
    let tr = visitor.tr;
    let roles = catalogue(state).await?;
    let (list, next) = if q.ending_soon {
        let page = state
            .app
            .gdap_ending_soon(caller, q.after_end.zip(q.after), MAX_PAGE)
            .await?;
        let next = page
            .last()
            .filter(|_| page.len() == MAX_PAGE)
            .and_then(|g| Some((g.ends_at?, g.id)))
            .map(|(end, id)| {
                form_urlencoded::Serializer::new(String::from("/gdap?"))
                    .append_pair("ending", "soon")
                    .append_pair("end", &end.to_rfc3339())
                    .append_pair("after", &id.to_string())
                    .finish()
            });
        (page, next)
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
pub async fn list(Visit(state, visitor, caller): Visit, RawQuery(query): RawQuery) -> PageResult {
    list_page(&state, &visitor, &caller, list_query(query.as_deref()), Vec::new()).await
}

/// `POST /gdap/extend`: auto-extension for every relationship ticked, each on its own; the
/// list again with a result per relationship.
pub async fn bulk_extend(Visit(state, visitor, caller): Visit, Form(fields): Form) -> PageResult {
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
    /// The version the form was read at (editing only).
    pub version: String,
}

impl NewForm {
    /// As the visitor filled it in.
    fn read(fields: &Fields) -> Self {
        Self {
            name: fields.get("name").unwrap_or("").trim().to_string(),
            days: fields.get("days").unwrap_or("").trim().to_string(),
            auto_extend: fields.get("auto_extend") == Some("yes"),
            customer: fields.get("customer").unwrap_or("").trim().to_string(),
            roles: fields.all("roles").into_iter().map(str::to_string).collect(),
            version: fields.get("version").unwrap_or("").to_string(),
        }
    }

    /// Relationship `g` as it is now.
    fn of(g: &GdapRelationship) -> Self {
        Self {
            name: g.display_name.clone(),
            days: g.duration_days.to_string(),
            auto_extend: g.auto_extend_days > 0,
            customer: g.customer_id.map(|c| c.to_string()).unwrap_or_default(),
            roles: g.roles.clone(),
            version: g.version.to_string(),
        }
    }

    /// The auto-extension chosen, as the app takes it.
    fn auto_extend_duration(&self) -> String {
        if self.auto_extend {
            format!("P{AUTO_EXTEND_DAYS}D")
        } else {
            "PT0S".into()
        }
    }

    /// What the page refuses before the app is asked: `basics` when the name and the
    /// duration are on the form.
    fn refusal(&self, tr: &Tr, basics: bool) -> Option<Refusal> {
        let beside = |field: &'static str, id: &str| Some(Refusal::of_field(field, tr.t(id)));
        if basics && self.name.is_empty() {
            beside("displayName", "gdap-name-required")
        } else if self.roles.is_empty() {
            beside("roles", "gdap-roles-required")
        } else if basics && self.days.parse::<u32>().is_err() {
            beside("duration", "refusal-gdap-duration")
        } else {
            None
        }
    }
}

/// What a relationship form may change, and where it posts.
pub struct FormKind {
    /// `/gdap/new` or `/gdap/{id}/edit`.
    pub action: String,
    /// The relationship's page, when editing one.
    pub back: Option<String>,
    /// The name and the duration: a new relationship, or one still `created`.
    pub basics: bool,
    /// The customer: a new relationship.
    pub customer: bool,
    /// The roles and the auto-extension: anything but one waiting for the customer or ended.
    pub editable: bool,
}

impl FormKind {
    fn new() -> Self {
        Self {
            action: "/gdap/new".into(),
            back: None,
            basics: true,
            customer: true,
            editable: true,
        }
    }

    /// Editing `g`: what its status lets change (the domain's patch rules).
    fn edit(g: &GdapRelationship) -> Self {
        let created = g.status == GdapStatus::Created;
        Self {
            action: format!("/gdap/{}/edit", g.id),
            back: Some(format!("/gdap/{}", g.id)),
            basics: created,
            customer: false,
            editable: created || g.status.is_in_force(),
        }
    }
}

#[derive(Template)]
#[template(path = "web/gdap_new.html")]
struct NewPage {
    chrome: Chrome,
    kind: FormKind,
    form: NewForm,
    roles: Vec<RoleChoice>,
    customers: Vec<CustomerChoice>,
    error: Option<Refusal>,
}

/// A refused app error beside the form field it is about (the app's names of the roles
/// are the form's `roles`).
fn app_refusal(tr: &Tr, e: &AppError) -> Refusal {
    let mut error = refusal(tr, e);
    if matches!(error.field, Some("roleDefinitionId" | "accessDetails")) {
        error.field = Some("roles");
    }
    error
}

async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    (kind, form): (FormKind, NewForm),
    error: Option<Refusal>,
    status: StatusCode,
) -> PageResult {
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
    let customers = if kind.customer {
        state
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
            .collect()
    } else {
        Vec::new()
    };
    let title = if kind.customer {
        visitor.tr.t("gdap-new-title")
    } else {
        visitor.tr.t("gdap-edit-title")
    };
    let chrome = Chrome::of(visitor, "gdap", title);
    let page = NewPage {
        chrome,
        kind,
        form,
        roles,
        customers,
        error,
    };
    Ok(render(visitor, status, &page))
}

async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    form: NewForm,
    error: Option<Refusal>,
) -> PageResult {
    let status = form_status(error.is_some(), false);
    form_page(state, visitor, caller, (FormKind::new(), form), error, status).await
}

/// `GET /gdap/new` (`?customer=` chooses the customer).
pub async fn new(Visit(state, visitor, caller): Visit, RawQuery(query): RawQuery) -> PageResult {
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
        version: String::new(),
    };
    new_page(&state, &visitor, &caller, form, None).await
}

/// `POST /gdap/new`: creates the relationship, then shows it (to send for approval).
pub async fn create(Visit(state, visitor, caller): Visit, Form(fields): Form) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let form = NewForm::read(&fields);
    let customer = if form.customer.is_empty() {
        None
    } else {
        match form.customer.parse::<CustomerId>() {
            Ok(c) => Some(c),
            Err(_) => {
                let error = Refusal::of_field("customer", tr.t("gdap-customer-unknown"));
                return new_page(&state, &visitor, &caller, form, Some(error)).await;
            }
        }
    };
    if let Some(error) = form.refusal(&tr, true) {
        return new_page(&state, &visitor, &caller, form, Some(error)).await;
    }
    let input = NewGdapRelationship {
        display_name: form.name.clone(),
        duration: format!("P{}D", form.days),
        roles: form.roles.clone(),
        customer,
        auto_extend: Some(form.auto_extend_duration()),
    };
    match state.app.create_gdap_relationship(&caller, input).await {
        Ok(g) => {
            let notice = tr.t1("gdap-created", "name", &g.display_name);
            Ok(visitor.redirect(&format!("/gdap/{}", g.id), Some(notice)))
        }
        Err(AppError::NotFound("customer")) => {
            let error = Refusal::of_field("customer", tr.t("gdap-customer-unknown"));
            new_page(&state, &visitor, &caller, form, Some(error)).await
        }
        Err(e @ (AppError::Domain(_) | AppError::AlreadyInUse { .. } | AppError::Conflict(_))) => {
            let error = app_refusal(&tr, &e);
            new_page(&state, &visitor, &caller, form, Some(error)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /gdap/{gid}/edit`: what its status lets change (a relationship still `created`:
/// name, duration, roles, auto-extension; one in force: roles and auto-extension).
pub async fn edit(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>) -> PageResult {
    require_partner(&visitor, &caller)?;
    let g = state.app.gdap_relationship(&caller, gid).await?;
    let form = (FormKind::edit(&g), NewForm::of(&g));
    form_page(&state, &visitor, &caller, form, None, StatusCode::OK).await
}

/// `POST /gdap/{gid}/edit`: the change, at the version the form was read at. A form read
/// before someone else's change is refused and shown again with the current values.
pub async fn update(
    Visit(state, visitor, caller): Visit,
    PageId(gid): PageId<GdapId>,
    Form(fields): Form,
) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let g = state.app.gdap_relationship(&caller, gid).await?;
    let kind = FormKind::edit(&g);
    let form = NewForm::read(&fields);
    if let Some(error) = form.refusal(&tr, kind.basics) {
        return form_page(
            &state,
            &visitor,
            &caller,
            (kind, form),
            Some(error),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let patch = GdapPatch {
        display_name: kind.basics.then(|| form.name.clone()),
        duration: kind.basics.then(|| format!("P{}D", form.days)),
        roles: Some(form.roles.clone()),
        customer: None,
        auto_extend: Some(form.auto_extend_duration()),
    };
    // A form without a version cannot say what it was read at: stale, as an old one is.
    let version = form.version.parse::<i64>().unwrap_or(0);
    let updated = state.app.update_gdap_relationship(&caller, gid, version, patch).await;
    match refused_or_page(updated)? {
        Ok(g) => {
            let notice = tr.t1("gdap-saved", "name", &g.display_name);
            Ok(visitor.redirect(&format!("/gdap/{gid}"), Some(notice)))
        }
        Err(e) if is_stale(&e) => {
            let now = state.app.gdap_relationship(&caller, gid).await?;
            let current = (FormKind::edit(&now), NewForm::of(&now));
            let error = Some(refusal(&tr, &e));
            form_page(&state, &visitor, &caller, current, error, StatusCode::CONFLICT).await
        }
        Err(e) => {
            let error = Some(app_refusal(&tr, &e));
            form_page(&state, &visitor, &caller, (kind, form), error, StatusCode::BAD_REQUEST).await
        }
    }
}

/// An access assignment, as a row.
pub struct AssignmentRow {
    pub id: String,
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
    /// Still `created`: it can be deleted (after a confirmation).
    can_delete: bool,
    /// Still `created` or in force: something of it can change.
    can_edit: bool,
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
pub async fn detail(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>) -> PageResult {
    detail_page(&state, &visitor, &caller, gid, None).await
}

async fn detail_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    gid: GdapId,
    error: Option<Refusal>,
) -> PageResult {
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
            id: a.id.to_string(),
            group: group_names
                .get(&a.security_group_id)
                .cloned()
                .unwrap_or_else(|| a.security_group_id.to_string()),
            roles: role_names(&roles, &a.roles).join(", "),
            status: tr.t1("gdap-assignment-status", "status", a.status.as_str()),
        })
        .collect();
    let chrome = Chrome::of(visitor, "gdap", g.display_name.clone());
    let status = form_status(error.is_some(), false);
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
        can_delete: g.status == GdapStatus::Created,
        can_edit: FormKind::edit(&g).editable,
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
pub async fn send(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>, Form(_): Form) -> PageResult {
    require_partner(&visitor, &caller)?;
    let back = format!("/gdap/{gid}");
    act(
        &state,
        &visitor,
        &caller,
        (gid, GdapAction::LockForApproval),
        (&back, "gdap-sent"),
    )
    .await
}

/// Asks the app for `action` on relationship `gid`, then goes `back` saying `done`, or
/// the app's refusal.
pub async fn act(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    (gid, action): (GdapId, GdapAction),
    (back, done): (&str, &str),
) -> PageResult {
    match state.app.request_gdap_action(caller, gid, action).await {
        Ok(_) => Ok(visitor.redirect(back, Some(visitor.tr.t(done)))),
        Err(e @ AppError::Domain(_)) => {
            let notice = Notice::refusal(refusal(&visitor.tr, &e).text);
            Ok(visitor.redirect_with(back, Some(notice)))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /gdap/{gid}/extend`: auto-extension by 180 days.
pub async fn extend(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>, Form(_): Form) -> PageResult {
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
    Visit(state, visitor, caller): Visit,
    PageId(gid): PageId<GdapId>,
    Form(fields): Form,
) -> PageResult {
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
pub async fn confirm_terminate(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>) -> PageResult {
    require_partner(&visitor, &caller)?;
    let g = state.app.gdap_relationship(&caller, gid).await?;
    let tr = visitor.tr;
    let roles = catalogue(&state).await?;
    let chrome = Chrome::of(&visitor, "gdap", tr.t("gdap-terminate-title"));
    let row = row(&tr, &roles, &g);
    Ok(render(&visitor, StatusCode::OK, &TerminatePage { chrome, row }))
}

/// `POST /gdap/{gid}/terminate`: ends it at once; its access assignments end with it.
pub async fn terminate(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>, Form(_): Form) -> PageResult {
    require_partner(&visitor, &caller)?;
    let back = format!("/gdap/{gid}");
    act(
        &state,
        &visitor,
        &caller,
        (gid, GdapAction::Terminate),
        (&back, "gdap-terminated"),
    )
    .await
}

#[derive(Template)]
#[template(path = "web/gdap_delete.html")]
struct DeletePage {
    chrome: Chrome,
    row: Row,
    /// The version the confirmation was read at: a change since refuses the deletion.
    version: String,
    error: Option<Refusal>,
}

async fn delete_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    gid: GdapId,
    (error, status): (Option<Refusal>, StatusCode),
) -> PageResult {
    require_partner(visitor, caller)?;
    let g = state.app.gdap_relationship(caller, gid).await?;
    let tr = visitor.tr;
    let roles = catalogue(state).await?;
    let page = DeletePage {
        chrome: Chrome::of(visitor, "gdap", tr.t("gdap-delete-title")),
        row: row(&tr, &roles, &g),
        version: g.version.to_string(),
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `GET /gdap/{gid}/delete`: what deleting a relationship not yet sent does, before it is
/// done.
pub async fn confirm_delete(Visit(state, visitor, caller): Visit, PageId(gid): PageId<GdapId>) -> PageResult {
    delete_page(&state, &visitor, &caller, gid, (None, StatusCode::OK)).await
}

/// `POST /gdap/{gid}/delete`: deletes it while still `created`, at the version the
/// confirmation was read at; a refusal shows the confirmation again with the reason.
pub async fn delete(
    Visit(state, visitor, caller): Visit,
    PageId(gid): PageId<GdapId>,
    Form(fields): Form,
) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let version = fields.get("version").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    match refused_or_page(state.app.delete_gdap_relationship(&caller, gid, version).await)? {
        Ok(()) => Ok(visitor.redirect("/gdap", Some(tr.t("gdap-deleted")))),
        Err(e) => {
            let shown = (Some(refusal(&tr, &e)), form_status(true, is_stale(&e)));
            delete_page(&state, &visitor, &caller, gid, shown).await
        }
    }
}

/// What an access assignment's page keeps of a refused form: the roles ticked and the
/// version it was read at.
struct Kept {
    roles: Vec<String>,
    version: String,
}

#[derive(Template)]
#[template(path = "web/gdap_access.html")]
struct AccessPage {
    chrome: Chrome,
    gdap_id: String,
    gdap_name: String,
    id: String,
    group: String,
    version: String,
    /// The relationship's roles, those of the assignment ticked.
    roles: Vec<RoleChoice>,
    /// Its roles can change (the relationship is in force).
    in_force: bool,
    /// The confirmation of its removal, not the roles' form.
    removing: bool,
    error: Option<Refusal>,
}

async fn access_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    (gid, aid): (GdapId, AssignmentId),
    removing: bool,
    (kept, error, status): (Option<Kept>, Option<Refusal>, StatusCode),
) -> PageResult {
    require_partner(visitor, caller)?;
    let g = state.app.gdap_relationship(caller, gid).await?;
    let a = state.app.access_assignment(caller, gid, aid).await?;
    let names = catalogue(state).await?;
    let group = state
        .app
        .security_groups(caller)
        .await?
        .into_iter()
        .find(|s| s.id == a.security_group_id)
        .map_or_else(|| a.security_group_id.to_string(), |s| s.display_name);
    let kept = kept.unwrap_or_else(|| Kept {
        roles: a.roles.clone(),
        version: a.version.to_string(),
    });
    let roles = g
        .roles
        .iter()
        .map(|r| RoleChoice {
            id: r.clone(),
            name: role_names(&names, std::slice::from_ref(r)).remove(0),
            description: names.get(r).map(|n| n.description.clone()).unwrap_or_default(),
            checked: kept.roles.contains(r),
        })
        .collect();
    let title = if removing {
        visitor.tr.t1("gdap-access-remove-title", "name", &group)
    } else {
        visitor.tr.t1("gdap-access-edit-title", "name", &group)
    };
    let page = AccessPage {
        chrome: Chrome::of(visitor, "gdap", title),
        gdap_id: gid.to_string(),
        gdap_name: g.display_name,
        id: aid.to_string(),
        group,
        version: kept.version,
        roles,
        in_force: g.status.is_in_force(),
        removing,
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `GET /gdap/{gid}/access/{aid}`: an access assignment's roles, to change.
pub async fn access(
    Visit(state, visitor, caller): Visit,
    PageIds(gid, aid): PageIds<GdapId, AssignmentId>,
) -> PageResult {
    let shown = (None, None, StatusCode::OK);
    access_page(&state, &visitor, &caller, (gid, aid), false, shown).await
}

/// `POST /gdap/{gid}/access/{aid}`: its new roles, at the version the form was read at.
pub async fn update_access(
    Visit(state, visitor, caller): Visit,
    PageIds(gid, aid): PageIds<GdapId, AssignmentId>,
    Form(fields): Form,
) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let kept = Kept {
        roles: fields.all("roles").into_iter().map(str::to_string).collect(),
        version: fields.get("version").unwrap_or("").to_string(),
    };
    let ids = (gid, aid);
    if kept.roles.is_empty() {
        let error = Refusal::of_field("roles", tr.t("gdap-roles-required"));
        let shown = (Some(kept), Some(error), StatusCode::BAD_REQUEST);
        return access_page(&state, &visitor, &caller, ids, false, shown).await;
    }
    let version = kept.version.parse::<i64>().unwrap_or(0);
    let roles = kept.roles.clone();
    let updated = state
        .app
        .update_access_assignment(&caller, gid, aid, version, roles)
        .await;
    let shown = match refused_or_page(updated)? {
        Ok(_) => return Ok(visitor.redirect(&format!("/gdap/{gid}"), Some(tr.t("gdap-access-saved")))),
        Err(e) if is_stale(&e) => (None, Some(refusal(&tr, &e)), StatusCode::CONFLICT),
        Err(e) => (Some(kept), Some(app_refusal(&tr, &e)), StatusCode::BAD_REQUEST),
    };
    access_page(&state, &visitor, &caller, ids, false, shown).await
}

/// `GET /gdap/{gid}/access/{aid}/remove`: what removing the assignment does, before it is
/// done.
pub async fn confirm_remove_access(
    Visit(state, visitor, caller): Visit,
    PageIds(gid, aid): PageIds<GdapId, AssignmentId>,
) -> PageResult {
    let shown = (None, None, StatusCode::OK);
    access_page(&state, &visitor, &caller, (gid, aid), true, shown).await
}

/// `POST /gdap/{gid}/access/{aid}/remove`: the group's members lose these roles at once.
pub async fn remove_access(
    Visit(state, visitor, caller): Visit,
    PageIds(gid, aid): PageIds<GdapId, AssignmentId>,
    Form(fields): Form,
) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let version = fields.get("version").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    match refused_or_page(state.app.delete_access_assignment(&caller, gid, aid, version).await)? {
        Ok(()) => Ok(visitor.redirect(&format!("/gdap/{gid}"), Some(tr.t("gdap-access-removed")))),
        Err(e) => {
            let shown = (None, Some(refusal(&tr, &e)), form_status(true, is_stale(&e)));
            access_page(&state, &visitor, &caller, (gid, aid), true, shown).await
        }
    }
}
