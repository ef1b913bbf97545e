//! The partner's security groups: groups of its own users that GDAP access assignments give
//! roles in a customer's tenant. Create a group, rename it, delete it after a confirmation;
//! add and remove members from the partner's users.

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::{SecurityGroupId, UserId};

use super::form::{Fields, Form};
use super::pages::{form_status, render, require_partner, Chrome, PageResult};
use super::path_id::PageId;
use super::refusal::{is_stale, refusal, refused_or_page, Refusal};
use super::session::{Notice, Visit, Visitor};
use crate::state::AppState;

/// A group, as a row.
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "web/security_groups.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<GroupRow>,
    name: String,
    error: Option<Refusal>,
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    name: String,
    error: Option<Refusal>,
) -> PageResult {
    require_partner(visitor, caller)?;
    let tr = visitor.tr;
    let rows = state
        .app
        .security_groups(caller)
        .await?
        .into_iter()
        .map(|g| GroupRow {
            id: g.id.to_string(),
            name: g.display_name,
            created: tr.date(&g.created_at),
        })
        .collect();
    let status = form_status(error.is_some(), false);
    let chrome = Chrome::of(visitor, "gdap", tr.t("sg-title"));
    Ok(render(
        visitor,
        status,
        &ListPage {
            chrome,
            rows,
            name,
            error,
        },
    ))
}

/// `GET /security-groups`.
pub async fn list(Visit(state, visitor, caller): Visit) -> PageResult {
    list_page(&state, &visitor, &caller, String::new(), None).await
}

/// `POST /security-groups`: a new group, then its page.
pub async fn create(Visit(state, visitor, caller): Visit, Form(fields): Form) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let name = fields.get("name").unwrap_or("").trim().to_string();
    if name.is_empty() {
        let error = Refusal::of_field("displayName", tr.t("sg-name-required"));
        return list_page(&state, &visitor, &caller, name, Some(error)).await;
    }
    match refused_or_page(state.app.create_security_group(&caller, &name).await)? {
        Ok(g) => Ok(visitor.redirect(
            &format!("/security-groups/{}", g.id),
            Some(tr.t1("sg-created", "name", &g.display_name)),
        )),
        Err(e) => list_page(&state, &visitor, &caller, name, Some(name_refusal(&tr, &e))).await,
    }
}

/// A user of the partner.
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
}

#[derive(Template)]
#[template(path = "web/security_group.html")]
struct GroupPage {
    chrome: Chrome,
    id: String,
    /// The name in the rename form (what was typed, when refused).
    name: String,
    /// The version the group was read at.
    version: String,
    members: Vec<UserRow>,
    others: Vec<UserRow>,
    /// A refused rename, beside the name.
    error: Option<Refusal>,
}

/// The group's page; `typed` keeps a refused rename's name and version.
async fn group_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    gid: SecurityGroupId,
    typed: Option<(String, String)>,
    (error, status): (Option<Refusal>, StatusCode),
) -> PageResult {
    require_partner(visitor, caller)?;
    let group = state.app.security_group(caller, gid).await?;
    let users = state.app.list_users(caller, caller.org_id).await?;
    let mut by_id: HashMap<UserId, UserRow> = users
        .into_iter()
        .map(|u| {
            (
                u.id,
                UserRow {
                    id: u.id.to_string(),
                    name: u.display_name.as_str().to_string(),
                    email: u.email.as_str().to_string(),
                },
            )
        })
        .collect();
    let members = group.members.iter().filter_map(|m| by_id.remove(&m.user_id)).collect();
    let mut others: Vec<UserRow> = by_id.into_values().collect();
    others.sort_by(|a, b| a.email.cmp(&b.email));
    let (name, version) = typed.unwrap_or_else(|| (group.group.display_name.clone(), group.group.version.to_string()));
    let chrome = Chrome::of(visitor, "gdap", group.group.display_name.clone());
    let page = GroupPage {
        chrome,
        id: gid.to_string(),
        name,
        version,
        members,
        others,
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `GET /security-groups/{gid}`: its members, and the partner's other users to add.
pub async fn detail(Visit(state, visitor, caller): Visit, PageId(gid): PageId<SecurityGroupId>) -> PageResult {
    group_page(&state, &visitor, &caller, gid, None, (None, StatusCode::OK)).await
}

/// `POST /security-groups/{gid}/rename`: a new name, at the version the page was read at;
/// a page read before someone else's change is refused and shows the current name.
pub async fn rename(
    Visit(state, visitor, caller): Visit,
    PageId(gid): PageId<SecurityGroupId>,
    Form(fields): Form,
) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    let name = fields.get("name").unwrap_or("").trim().to_string();
    let version = fields.get("version").unwrap_or("").to_string();
    if name.is_empty() {
        let error = Refusal::of_field("displayName", tr.t("sg-name-required"));
        let typed = Some((name, version));
        return group_page(
            &state,
            &visitor,
            &caller,
            gid,
            typed,
            (Some(error), StatusCode::BAD_REQUEST),
        )
        .await;
    }
    let expected = Some(version.parse::<i64>().unwrap_or(0));
    let (typed, shown) = match refused_or_page(state.app.rename_security_group(&caller, gid, expected, &name).await)? {
        Ok(g) => {
            let notice = tr.t1("sg-renamed", "name", &g.display_name);
            return Ok(visitor.redirect(&format!("/security-groups/{gid}"), Some(notice)));
        }
        Err(e) if is_stale(&e) => (None, (Some(refusal(&tr, &e)), StatusCode::CONFLICT)),
        Err(e) => (
            Some((name, version)),
            (Some(name_refusal(&tr, &e)), StatusCode::BAD_REQUEST),
        ),
    };
    group_page(&state, &visitor, &caller, gid, typed, shown).await
}

/// A refused name, beside the name field.
fn name_refusal(tr: &super::tr::Tr, e: &AppError) -> Refusal {
    let mut error = refusal(tr, e);
    error.field = Some("displayName");
    error
}

#[derive(Template)]
#[template(path = "web/security_group_delete.html")]
struct DeletePage {
    chrome: Chrome,
    id: String,
    name: String,
    members: usize,
    error: Option<Refusal>,
}

async fn delete_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    gid: SecurityGroupId,
    (error, status): (Option<Refusal>, StatusCode),
) -> PageResult {
    require_partner(visitor, caller)?;
    let group = state.app.security_group(caller, gid).await?;
    let name = group.group.display_name;
    let chrome = Chrome::of(visitor, "gdap", visitor.tr.t1("sg-delete-title", "name", &name));
    let page = DeletePage {
        chrome,
        id: gid.to_string(),
        name,
        members: group.members.len(),
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `GET /security-groups/{gid}/delete`: what deleting the group does, before it is done.
pub async fn confirm_delete(Visit(state, visitor, caller): Visit, PageId(gid): PageId<SecurityGroupId>) -> PageResult {
    delete_page(&state, &visitor, &caller, gid, (None, StatusCode::OK)).await
}

/// `POST /security-groups/{gid}/delete`: deletes it with its members; refused while an
/// access assignment gives it roles.
pub async fn delete(
    Visit(state, visitor, caller): Visit,
    PageId(gid): PageId<SecurityGroupId>,
    Form(_): Form,
) -> PageResult {
    require_partner(&visitor, &caller)?;
    let tr = visitor.tr;
    match state.app.delete_security_group(&caller, gid).await {
        Ok(()) => Ok(visitor.redirect("/security-groups", Some(tr.t("sg-deleted")))),
        Err(AppError::Conflict(_)) => {
            let error = Some(Refusal::general(tr.t("sg-delete-in-use")));
            delete_page(&state, &visitor, &caller, gid, (error, StatusCode::CONFLICT)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn change_member(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    gid: SecurityGroupId,
    fields: &Fields,
    add: bool,
) -> PageResult {
    require_partner(visitor, caller)?;
    let back = format!("/security-groups/{gid}");
    let tr = visitor.tr;
    let Some(user) = fields.get("user").and_then(|u| u.parse::<UserId>().ok()) else {
        return Ok(visitor.redirect_with(&back, Some(Notice::refusal(tr.t("sg-user-required")))));
    };
    let outcome = if add {
        state.app.add_security_group_member(caller, gid, user).await.map(|_| ())
    } else {
        state.app.remove_security_group_member(caller, gid, user).await
    };
    match outcome {
        Ok(()) => {
            let done = if add { "sg-member-added" } else { "sg-member-removed" };
            Ok(visitor.redirect(&back, Some(tr.t(done))))
        }
        Err(e @ (AppError::Conflict(_) | AppError::NotFound("user") | AppError::Domain(_))) => {
            Ok(visitor.redirect_with(&back, Some(Notice::refusal(refusal(&tr, &e).text))))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /security-groups/{gid}/members`: adds a user.
pub async fn add_member(
    Visit(state, visitor, caller): Visit,
    PageId(gid): PageId<SecurityGroupId>,
    Form(fields): Form,
) -> PageResult {
    change_member(&state, &visitor, &caller, gid, &fields, true).await
}

/// `POST /security-groups/{gid}/members/remove`: takes a user out.
pub async fn remove_member(
    Visit(state, visitor, caller): Visit,
    PageId(gid): PageId<SecurityGroupId>,
    Form(fields): Form,
) -> PageResult {
    change_member(&state, &visitor, &caller, gid, &fields, false).await
}
