//! Customer → Partner relationships: the customer's partners with their rights (reseller,
//! DAP, GDAP), active first, closed ones as history. Its global admin may remove a
//! partner's admin roles at any time, and end a reseller relationship under the same
//! precondition as the partner's removal (DESIGN.md §2 rules 3, 4 and 8): while the partner
//! has active subscriptions with the customer the action is inactive, saying why and which
//! ones; otherwise a confirmation page states every effect before the admin confirms.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use partnerdesk_app::partners_of_customer::EndRelationshipPreview;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{DomainError, PartnerId};

use super::form::Form;
use super::pages::{describe, render, require_customer, Chrome, PageResult};
use super::path_id::PageId;
use super::refusal::FormError;
use super::session::{Notice, Visit, Visitor};
use crate::error::ApiError;
use crate::state::AppState;

/// A partner the customer works with now.
pub struct ActivePartner {
    pub id: String,
    pub name: String,
    pub since: String,
    pub dap: bool,
    pub gdap: usize,
    /// The partner's active subscriptions with the customer: they block ending (rule 3).
    pub blockers: Vec<String>,
}

impl ActivePartner {
    fn has_admin_roles(&self) -> bool {
        self.dap || self.gdap > 0
    }
}

/// A relationship that ended.
pub struct ClosedPartner {
    pub name: String,
    pub since: String,
    pub closed: String,
}

#[derive(Template)]
#[template(path = "web/my_partners.html")]
struct MyPartnersPage {
    chrome: Chrome,
    active: Vec<ActivePartner>,
    closed: Vec<ClosedPartner>,
    /// The caller may end relationships and remove admin roles (the global admin).
    can_change: bool,
}

#[derive(Template)]
#[template(path = "web/my_partner_end.html")]
struct EndPage {
    chrome: Chrome,
    partner_id: String,
    partner_name: String,
    support_count: usize,
    dap_count: usize,
    gdap_count: usize,
    /// The reason typed, kept when the form is refused.
    reason: String,
    /// Why the form was refused (`reason`).
    error: FormError,
}

#[derive(Template)]
#[template(path = "web/my_partner_admin_roles.html")]
struct AdminRolesPage {
    chrome: Chrome,
    partner_id: String,
    partner_name: String,
    dap_count: usize,
    gdap_count: usize,
}

/// `GET /partners`.
pub async fn list(Visit(state, visitor, caller): Visit) -> PageResult {
    require_customer(&visitor, &caller)?;
    let partners = state.app.list_my_partners(&caller, true).await?;
    let tr = visitor.tr;
    let mut active = Vec::new();
    let mut closed = Vec::new();
    for p in partners {
        let name = p.partner.name.as_str().to_string();
        let since = tr.date(&p.since);
        match p.closed_at {
            Some(at) => closed.push((
                at,
                ClosedPartner {
                    name,
                    since,
                    closed: tr.date(&at),
                },
            )),
            None => {
                let preview = state
                    .app
                    .end_relationship_as_customer_preview(&caller, p.partner.id)
                    .await?;
                active.push(ActivePartner {
                    id: p.partner.id.to_string(),
                    name,
                    since,
                    dap: p.dap,
                    gdap: p.gdap_active,
                    blockers: preview
                        .blocking_subscriptions
                        .iter()
                        .map(|s| s.friendly_name.clone())
                        .collect(),
                });
            }
        }
    }
    active.sort_by_key(|a| a.name.to_lowercase());
    // The most recently ended first.
    closed.sort_by_key(|c| std::cmp::Reverse(c.0));
    let chrome = Chrome::of(&visitor, "my-partners", tr.t("mypartners-title"));
    Ok(render(
        &visitor,
        StatusCode::OK,
        &MyPartnersPage {
            chrome,
            active,
            closed: closed.into_iter().map(|(_, c)| c).collect(),
            can_change: caller.authorize(Action::EndRelationshipAsCustomer).is_ok(),
        },
    ))
}

/// The partner of the path as the signed-in customer's admin sees it before changing
/// anything; a page for anything else (not a customer, not allowed, not its partner).
async fn load_partner(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    id: PartnerId,
    action: Action,
) -> PageResult<(PartnerId, EndRelationshipPreview)> {
    require_customer(visitor, caller)?;
    caller.authorize(action)?;
    let preview = state.app.end_relationship_as_customer_preview(caller, id).await?;
    Ok((id, preview))
}

/// `GET /partners/{id}/end`: the confirmation, stating every effect. While the partner's
/// active subscriptions block it, back to the list, which says what.
pub async fn confirm_end(Visit(state, visitor, caller): Visit, PageId(id): PageId<PartnerId>) -> PageResult {
    let (id, preview) = load_partner(&state, &visitor, &caller, id, Action::EndRelationshipAsCustomer).await?;
    let form = (String::new(), FormError::none());
    Ok(end_page(&visitor, id, &preview, form, StatusCode::OK))
}

/// The confirmation with the reason typed and why it was refused, if it was.
fn end_page(
    visitor: &Visitor,
    id: PartnerId,
    preview: &EndRelationshipPreview,
    (reason, error): (String, FormError),
    status: StatusCode,
) -> Response {
    if !preview.blocking_subscriptions.is_empty() {
        return visitor.redirect("/partners", None);
    }
    let name = preview.partner.name.as_str().to_string();
    let title = visitor.tr.t1("mypartners-end-title", "partner", &name);
    let chrome = Chrome::of(visitor, "my-partners", title);
    render(
        visitor,
        status,
        &EndPage {
            chrome,
            partner_id: id.to_string(),
            partner_name: name,
            support_count: preview.support_assignments_to_clear.len(),
            dap_count: preview.dap_to_end.len(),
            gdap_count: preview.gdap_to_terminate.len(),
            reason,
            error,
        },
    )
}

/// `POST /partners/{id}/end`: ends the relationship, then the list says so. A reason
/// refused: the confirmation again, keeping it, with why beside it. Refused for anything
/// else (a subscription became active meanwhile): back to the list with why.
pub async fn end(Visit(state, visitor, caller): Visit, PageId(id): PageId<PartnerId>, Form(form): Form) -> PageResult {
    let (id, preview) = load_partner(&state, &visitor, &caller, id, Action::EndRelationshipAsCustomer).await?;
    let name = preview.partner.name.as_str().to_string();
    let typed = form.get("reason").unwrap_or_default().to_string();
    let reason = Some(typed.trim()).filter(|r| !r.is_empty());
    let tr = visitor.tr;
    Ok(
        match state.app.end_relationship_as_customer(&caller, id, reason).await {
            Ok(_) => visitor.redirect("/partners", Some(tr.t1("mypartners-ended", "partner", &name))),
            Err(AppError::Domain(DomainError::ActiveSubscriptionsExist { ids })) => {
                let text = tr.tnt("mypartners-end-refused", "count", ids.len(), "partner", &name);
                visitor.redirect_with("/partners", Some(Notice::refusal(text)))
            }
            Err(e @ AppError::Domain(_)) => {
                let error = FormError::of(&tr, &e);
                if error.is_about("reason") {
                    let status = ApiError::from(e).status();
                    return Ok(end_page(&visitor, id, &preview, (typed, error), status));
                }
                visitor.redirect_with("/partners", Some(Notice::refusal(describe(&tr, e))))
            }
            Err(e) => return Err(e.into()),
        },
    )
}

/// `GET /partners/{id}/adminroles`: the confirmation, naming the roles that end and that
/// the reseller relationship stays.
pub async fn confirm_remove_admin_roles(
    Visit(state, visitor, caller): Visit,
    PageId(id): PageId<PartnerId>,
) -> PageResult {
    let (id, preview) = load_partner(&state, &visitor, &caller, id, Action::RemovePartnerAdminRoles).await?;
    let name = preview.partner.name.as_str().to_string();
    let title = visitor.tr.t1("mypartners-roles-title", "partner", &name);
    let chrome = Chrome::of(&visitor, "my-partners", title);
    Ok(render(
        &visitor,
        StatusCode::OK,
        &AdminRolesPage {
            chrome,
            partner_id: id.to_string(),
            partner_name: name,
            dap_count: preview.dap_to_end.len(),
            gdap_count: preview.gdap_to_terminate.len(),
        },
    ))
}

/// `POST /partners/{id}/adminroles`: ends the partner's DAP and GDAP; the list says what.
pub async fn remove_admin_roles(
    Visit(state, visitor, caller): Visit,
    PageId(id): PageId<PartnerId>,
    Form(_): Form,
) -> PageResult {
    let (id, preview) = load_partner(&state, &visitor, &caller, id, Action::RemovePartnerAdminRoles).await?;
    let name = preview.partner.name.as_str().to_string();
    let tr = visitor.tr;
    Ok(match state.app.remove_partner_admin_roles(&caller, id).await {
        Ok(ended) => {
            let text = tr.tnt(
                "mypartners-roles-removed",
                "count",
                ended.dap_ended + ended.gdap_terminated,
                "partner",
                &name,
            );
            visitor.redirect("/partners", Some(text))
        }
        Err(e @ AppError::Domain(_)) => visitor.redirect_with("/partners", Some(Notice::refusal(describe(&tr, e)))),
        Err(e) => return Err(e.into()),
    })
}
