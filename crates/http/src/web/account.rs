//! Customer → Account: the company and billing profile, the relationship, delegated admin,
//! and **Remove reseller relationship**: inactive while any subscription is active (with the
//! reason and the blocking subscriptions linked), otherwise a confirmation page that states
//! every effect of removal (DESIGN.md §2 rule 4) before the partner confirms.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use partnerdesk_app::customers::CustomerView;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::CustomerId;

use super::form::Form;
use super::pages::{describe, render, require_partner, Chrome, PageResult};
use super::path_id::PageId;
use super::refusal::FormError;
use super::session::{Notice, SignedIn, Visit, Visitor};
use crate::error::ApiError;
use crate::state::AppState;

/// A subscription that blocks removal, linked from the account page.
pub struct Blocker {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "web/customer_account.html")]
struct AccountPage {
    chrome: Chrome,
    tab: &'static str,
    customer_id: String,
    customer_name: String,
    domain: String,
    country: String,
    culture: String,
    contact: String,
    billing_email: String,
    address: String,
    since: String,
    dap: String,
    blockers: Vec<Blocker>,
}

#[derive(Template)]
#[template(path = "web/customer_remove.html")]
struct RemovePage {
    chrome: Chrome,
    customer_id: String,
    customer_name: String,
    support_count: i64,
    /// DAP grants that end (none: the page does not mention DAP).
    dap_count: i64,
    gdap_count: i64,
    /// The reason typed, kept when the form is refused.
    reason: String,
    /// Why the form was refused (`reason`).
    error: FormError,
}

/// The customer of the path, as the signed-in partner sees it; a page for anything else.
pub async fn load_customer(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    id: CustomerId,
) -> PageResult<(CustomerId, CustomerView)> {
    require_partner(visitor, caller)?;
    let view = state.app.get_customer(caller, id).await?;
    Ok((id, view))
}

/// `GET /customers/{id}`: the account page is a customer's first tab.
pub async fn customer(SignedIn { visitor, .. }: SignedIn, PageId(id): PageId<CustomerId>) -> Response {
    visitor.redirect(&format!("/customers/{id}/account"), None)
}

/// `GET /customers/{id}/account`.
pub async fn account(Visit(state, visitor, caller): Visit, PageId(id): PageId<CustomerId>) -> PageResult {
    let (id, view) = load_customer(&state, &visitor, &caller, id).await?;
    let subscriptions = state.app.list_subscriptions(&caller, id).await?;
    let blockers = subscriptions
        .iter()
        .filter(|s| s.status == SubscriptionStatus::Active)
        .map(|s| Blocker {
            id: s.id.to_string(),
            name: s.friendly_name.clone(),
        })
        .collect();
    let tr = visitor.tr;
    let c = &view.customer;
    let since = view
        .relationship
        .as_ref()
        .map(|r| tr.t1("relationship-since", "date", &tr.date(&r.created_at)))
        .unwrap_or_default();
    let dap = if view.delegated_access {
        tr.t("delegated-admin-active")
    } else if view.relationship.as_ref().is_some_and(|r| r.dap_consented) {
        tr.t("delegated-admin-consented")
    } else {
        tr.t("delegated-admin-none")
    };
    let name = c.company.company_name.as_str().to_string();
    let chrome = Chrome::of(&visitor, "customers", name.clone());
    Ok(render(
        &visitor,
        StatusCode::OK,
        &AccountPage {
            chrome,
            tab: "account",
            customer_id: id.to_string(),
            customer_name: name,
            domain: c.company.domain.as_str().to_string(),
            country: c.company.country.as_str().to_string(),
            culture: c.company.culture.as_str().to_string(),
            contact: c.billing.contact_name.as_str().to_string(),
            billing_email: c.billing.email.as_str().to_string(),
            address: c.billing.address.as_str().to_string(),
            since,
            dap,
            blockers,
        },
    ))
}

/// `GET /customers/{id}/remove`: the confirmation, stating every effect. While anything
/// blocks removal, back to the account page, which says what.
pub async fn confirm_removal(Visit(state, visitor, caller): Visit, PageId(id): PageId<CustomerId>) -> PageResult {
    let form = (String::new(), FormError::none());
    removal_page(&state, &visitor, &caller, id, form, StatusCode::OK).await
}

/// The removal confirmation with the reason typed and why it was refused, if it was.
async fn removal_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    id: CustomerId,
    (reason, error): (String, FormError),
    status: StatusCode,
) -> PageResult {
    let (id, view) = load_customer(state, visitor, caller, id).await?;
    let preview = state.app.offboarding_preview(caller, id).await?;
    let account = format!("/customers/{id}/account");
    if !preview.subscriptions_to_suspend.is_empty() {
        return Ok(visitor.redirect(&account, None));
    }
    let name = view.customer.company.company_name.as_str().to_string();
    let title = visitor.tr.t1("remove-title", "name", &name);
    let chrome = Chrome::of(visitor, "customers", title);
    Ok(render(
        visitor,
        status,
        &RemovePage {
            chrome,
            customer_id: id.to_string(),
            customer_name: name,
            support_count: preview.support_assignments_to_clear.len() as i64,
            dap_count: preview.dap_to_end.len() as i64,
            gdap_count: preview.gdap_to_terminate.len() as i64,
            reason,
            error,
        },
    ))
}

/// `POST /customers/{id}/remove`: removes the relationship, then the customer list says so.
/// A reason refused: the confirmation again, keeping it, with why beside it. Refused for
/// anything else (a subscription became active meanwhile): back to the account page with why.
pub async fn remove(
    Visit(state, visitor, caller): Visit,
    PageId(id): PageId<CustomerId>,
    Form(form): Form,
) -> PageResult {
    let (id, view) = load_customer(&state, &visitor, &caller, id).await?;
    let typed = form.get("reason").unwrap_or_default().to_string();
    let reason = Some(typed.trim()).filter(|r| !r.is_empty());
    let name = view.customer.company.company_name.as_str().to_string();
    Ok(match state.app.remove_relationship(&caller, id, reason, None).await {
        Ok(_) => visitor.redirect("/customers", Some(visitor.tr.t1("removed", "name", &name))),
        Err(e @ AppError::Domain(_)) => {
            let error = FormError::of(&visitor.tr, &e);
            if error.is_about("reason") {
                let status = ApiError::from(e).status();
                return removal_page(&state, &visitor, &caller, id, (typed, error), status).await;
            }
            let text = describe(&visitor.tr, e);
            visitor.redirect_with(&format!("/customers/{id}/account"), Some(Notice::refusal(text)))
        }
        Err(e) => return Err(e.into()),
    })
}
