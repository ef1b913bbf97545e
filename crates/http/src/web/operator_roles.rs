//! The operator's role catalogue: the roles GDAP relationships and access assignments name.
//! The list with a form to add a role (its id made when left empty), and a role's page to
//! rename or redescribe it at the version it was read at. Roles are never deleted.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use partnerdesk_app::roles::{AdminRole, NewRole, RolePatch};
use partnerdesk_app::{AppError, Caller};

use super::form::{Fields, Form};
use super::operator::require_operator;
use super::pages::{form_status, render, Chrome, PageResult};
use super::refusal::{is_stale, refused_or_page, FormError, Refusal};
use super::session::{Visit, Visitor};
use crate::state::AppState;

/// What a role's form holds (kept when the app refuses it).
#[derive(Default)]
pub struct RoleForm {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The version the role was read at (editing only).
    pub version: String,
}

impl RoleForm {
    fn read(fields: &Fields) -> Self {
        let get = |name: &str| fields.get(name).unwrap_or("").trim().to_string();
        Self {
            id: get("id"),
            name: get("name"),
            description: get("description"),
            version: get("version"),
        }
    }

    fn of(role: &AdminRole) -> Self {
        Self {
            id: role.id.clone(),
            name: role.name.clone(),
            description: role.description.clone(),
            version: role.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "web/operator_roles.html")]
struct ListPage {
    chrome: Chrome,
    roles: Vec<AdminRole>,
    form: RoleForm,
    error: FormError,
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    form: RoleForm,
    error: FormError,
) -> PageResult {
    require_operator(visitor, caller)?;
    let roles = state.app.roles().await?;
    let status = form_status(error.is_some(), false);
    let chrome = Chrome::of(visitor, "roles", visitor.tr.t("op-roles-title"));
    let page = ListPage {
        chrome,
        roles,
        form,
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `GET /operator/roles`: the catalogue, by name, and the form to add a role.
pub async fn list(Visit(state, visitor, caller): Visit) -> PageResult {
    list_page(&state, &visitor, &caller, RoleForm::default(), FormError::none()).await
}

/// `POST /operator/roles`: adds a role, then the list again.
pub async fn create(Visit(state, visitor, caller): Visit, Form(fields): Form) -> PageResult {
    require_operator(&visitor, &caller)?;
    let form = RoleForm::read(&fields);
    let tr = visitor.tr;
    let input = NewRole {
        id: Some(form.id.clone()).filter(|id| !id.is_empty()),
        name: form.name.clone(),
        description: form.description.clone(),
    };
    match refused_or_page(state.app.create_role(&caller, input).await)? {
        Ok(role) => Ok(visitor.redirect("/operator/roles", Some(tr.t1("op-role-saved", "name", &role.name)))),
        Err(e) => {
            let error = if matches!(e, AppError::Conflict(_)) {
                // The only conflict a new role meets: its id is taken.
                Refusal::of_field("id", tr.t("op-role-id-taken")).into()
            } else {
                FormError::of(&tr, &e)
            };
            list_page(&state, &visitor, &caller, form, error).await
        }
    }
}

#[derive(Template)]
#[template(path = "web/operator_role.html")]
struct RolePage {
    chrome: Chrome,
    form: RoleForm,
    error: FormError,
}

fn role_page(visitor: &Visitor, form: RoleForm, error: FormError, stale: bool) -> Response {
    let status = form_status(error.is_some(), stale);
    let chrome = Chrome::of(visitor, "roles", visitor.tr.t("op-role-edit-title"));
    render(visitor, status, &RolePage { chrome, form, error })
}

/// The role of id `id`, or the page of an unknown one.
async fn role(state: &AppState, id: &str) -> Result<AdminRole, AppError> {
    state
        .app
        .roles()
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound("role"))
}

/// `GET /operator/roles/{role}`.
pub async fn edit(Visit(state, visitor, caller): Visit, Path(id): Path<String>) -> PageResult {
    require_operator(&visitor, &caller)?;
    let role = role(&state, &id).await?;
    Ok(role_page(&visitor, RoleForm::of(&role), FormError::none(), false))
}

/// `POST /operator/roles/{role}`: its name and description, at the version the form was read
/// at; a form read before someone else's change is refused and shows the current values.
pub async fn update(Visit(state, visitor, caller): Visit, Path(id): Path<String>, Form(fields): Form) -> PageResult {
    require_operator(&visitor, &caller)?;
    let tr = visitor.tr;
    let current = role(&state, &id).await?;
    let form = RoleForm {
        id: current.id.clone(),
        ..RoleForm::read(&fields)
    };
    let patch = RolePatch {
        name: Some(form.name.clone()),
        description: Some(form.description.clone()),
    };
    let version = form.version.parse::<i64>().unwrap_or(0);
    match refused_or_page(state.app.update_role(&caller, &id, version, patch).await)? {
        Ok(role) => Ok(visitor.redirect("/operator/roles", Some(tr.t1("op-role-saved", "name", &role.name)))),
        Err(e) if is_stale(&e) => {
            let now = role(&state, &id).await?;
            Ok(role_page(&visitor, RoleForm::of(&now), FormError::of(&tr, &e), true))
        }
        Err(e) => Ok(role_page(&visitor, form, FormError::of(&tr, &e), false)),
    }
}
