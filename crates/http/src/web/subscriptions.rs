//! Customer → Subscriptions: the list with status badges; select several and suspend (or
//! reactivate) them together; select one for its detail, with a status choice (Active /
//! Suspended) and Submit, as the source material's path describes.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use partnerdesk_app::subscriptions::SubscriptionPatch;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::offer::{Offer, TermDuration};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::{CustomerId, OfferId, PartnerId, SubscriptionId};

use super::account::load_customer;
use super::form::{Fields, Form};
use super::pages::{describe, render, Chrome, PageResult};
use super::path_id::{PageId, PageIds};
use super::refusal::{FormError, Refusal};
use super::session::{Notice, SignedIn, Visit};
use super::tr::Tr;
use crate::error::ApiError;
use crate::state::AppState;

/// One row of the list.
pub struct Row {
    pub id: String,
    pub name: String,
    pub offer: String,
    pub quantity: i64,
    pub status: &'static str,
    pub status_text: String,
    pub changeable: bool,
}

#[derive(Template)]
#[template(path = "web/subscriptions.html")]
struct ListPage {
    chrome: Chrome,
    tab: &'static str,
    customer_id: String,
    customer_name: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "web/subscription.html")]
struct DetailPage {
    chrome: Chrome,
    tab: &'static str,
    customer_id: String,
    customer_name: String,
    id: String,
    name: String,
    offer: String,
    quantity: i64,
    term: String,
    created: String,
    status: &'static str,
    status_text: String,
    changeable: bool,
    /// Why the last change was refused (`status`, `supportTenantId` or the whole form).
    error: FormError,
    /// The customer's available support contacts, the assigned one marked.
    contacts: Vec<Contact>,
    /// The assigned support contact's name, if one is.
    support: Option<String>,
}

/// A support contact the subscription can be assigned to.
struct Contact {
    id: String,
    name: String,
    selected: bool,
}

fn status_text(tr: &Tr, status: SubscriptionStatus) -> String {
    tr.t(&format!("status-{}", status.as_str()))
}

/// Only active and suspended subscriptions can move between the two.
fn changeable(s: &Subscription) -> bool {
    matches!(s.status, SubscriptionStatus::Active | SubscriptionStatus::Suspended)
}

async fn offers(state: &AppState, caller: &Caller) -> HashMap<OfferId, Offer> {
    match state.app.list_offers(caller, None).await {
        Ok(offers) => offers.into_iter().map(|o| (o.id, o)).collect(),
        Err(e) => {
            // The list still shows without offer names.
            tracing::warn!(error = %e, "offers could not be read for a page");
            HashMap::new()
        }
    }
}

fn offer_name(offers: &HashMap<OfferId, Offer>, id: OfferId) -> String {
    offers
        .get(&id)
        .map_or_else(|| id.to_string(), |o| o.name.as_str().to_string())
}

/// `GET /customers/{id}/subscriptions`.
pub async fn list(Visit(state, visitor, caller): Visit, PageId(id): PageId<CustomerId>) -> PageResult {
    let (id, view) = load_customer(&state, &visitor, &caller, id).await?;
    let subscriptions = state.app.list_subscriptions(&caller, id).await?;
    let offers = offers(&state, &caller).await;
    let tr = visitor.tr;
    let rows = subscriptions
        .iter()
        .map(|s| Row {
            id: s.id.to_string(),
            name: s.friendly_name.clone(),
            offer: offer_name(&offers, s.offer_id),
            quantity: s.quantity,
            status: s.status.as_str(),
            status_text: status_text(&tr, s.status),
            changeable: changeable(s),
        })
        .collect();
    let name = view.customer.company.company_name.as_str().to_string();
    let title = format!("{name} · {}", tr.t("subscriptions-title"));
    let chrome = Chrome::of(&visitor, "customers", title);
    Ok(render(
        &visitor,
        StatusCode::OK,
        &ListPage {
            chrome,
            tab: "subscriptions",
            customer_id: id.to_string(),
            customer_name: name,
            rows,
        },
    ))
}

/// The status a form asks for: `active` or `suspended`.
fn asked_status(form: &Fields) -> Option<SubscriptionStatus> {
    match form.get("status") {
        Some("active") => Some(SubscriptionStatus::Active),
        Some("suspended") => Some(SubscriptionStatus::Suspended),
        _ => None,
    }
}

/// `POST /customers/{id}/subscriptions`: the selected subscriptions to one status, each
/// on its own; the notice says how many changed and how many were refused.
pub async fn bulk(
    Visit(state, visitor, caller): Visit,
    PageId(id): PageId<CustomerId>,
    Form(form): Form,
) -> PageResult {
    let (id, _) = load_customer(&state, &visitor, &caller, id).await?;
    let back = format!("/customers/{id}/subscriptions");
    let tr = visitor.tr;
    let ids: Vec<SubscriptionId> = form.all("ids").iter().filter_map(|s| s.parse().ok()).collect();
    let Some(status) = asked_status(&form).filter(|_| !ids.is_empty()) else {
        return Ok(visitor.redirect_with(&back, Some(Notice::warning(tr.t("subscriptions-bulk-none")))));
    };
    let results = state
        .app
        .bulk_update_subscription_status(&caller, id, &ids, status)
        .await?;
    let changed = results
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|o| o.changed))
        .count() as i64;
    let refused: Vec<String> = results
        .into_iter()
        .filter_map(|(_, r)| r.err())
        .map(|e| describe(&tr, e))
        .collect();
    let mut notice = crate::i18n::message(
        tr.lang,
        "subscriptions-bulk-done",
        &[("changed", changed.into()), ("refused", (refused.len() as i64).into())],
    );
    let partly = !refused.is_empty();
    for why in refused {
        notice.push(' ');
        notice.push_str(&why);
    }
    let notice = if partly {
        Notice::warning(notice)
    } else {
        Notice::success(notice)
    };
    Ok(visitor.redirect_with(&back, Some(notice)))
}

async fn detail_page(
    state: &AppState,
    signed: &SignedIn,
    id: CustomerId,
    sid: SubscriptionId,
    error: FormError,
    status: StatusCode,
) -> PageResult {
    let SignedIn { visitor, caller } = signed;
    let (id, view) = load_customer(state, visitor, caller, id).await?;
    let sub = state.app.get_subscription(caller, id, sid).await?;
    let offers = offers(state, caller).await;
    let contacts: Vec<Contact> = state
        .app
        .available_support_contacts(caller, id)
        .await?
        .into_iter()
        .map(|p| Contact {
            id: p.id.to_string(),
            name: p.name.as_str().to_string(),
            selected: sub.support_partner_id == Some(p.id),
        })
        .collect();
    let support = contacts.iter().find(|c| c.selected).map(|c| c.name.clone());
    let tr = visitor.tr;
    let term = match offers.get(&sub.offer_id).map(|o| o.term) {
        Some(TermDuration::Monthly) => tr.t("term-monthly"),
        Some(_) => tr.t("term-yearly"),
        None => String::new(),
    };
    let name = view.customer.company.company_name.as_str().to_string();
    let chrome = Chrome::of(visitor, "customers", format!("{} · {name}", sub.friendly_name));
    Ok(render(
        visitor,
        status,
        &DetailPage {
            chrome,
            tab: "subscriptions",
            customer_id: id.to_string(),
            customer_name: name,
            id: sub.id.to_string(),
            name: sub.friendly_name.clone(),
            offer: offer_name(&offers, sub.offer_id),
            quantity: sub.quantity,
            term,
            created: tr.date(&sub.created_at),
            status: sub.status.as_str(),
            status_text: status_text(&tr, sub.status),
            changeable: changeable(&sub),
            error,
            contacts,
            support,
        },
    ))
}

#[derive(Template)]
#[template(path = "web/subscription_cancel.html")]
struct CancelPage {
    chrome: Chrome,
    customer_id: String,
    customer_name: String,
    id: String,
    name: String,
    offer: String,
    quantity: i64,
}

/// `GET /customers/{id}/subscriptions/{sid}/cancel`: the confirmation, saying what
/// cancelling means (the seats end now, for good; suspending is the way back). A
/// subscription that can no longer be cancelled goes back to its page.
pub async fn confirm_cancel(
    Visit(state, visitor, caller): Visit,
    PageIds(id, sid): PageIds<CustomerId, SubscriptionId>,
) -> PageResult {
    let (id, view) = load_customer(&state, &visitor, &caller, id).await?;
    let sub = state.app.get_subscription(&caller, id, sid).await?;
    if !changeable(&sub) {
        return Ok(visitor.redirect(&format!("/customers/{id}/subscriptions/{sid}"), None));
    }
    let offers = offers(&state, &caller).await;
    let tr = visitor.tr;
    let title = tr.t1("subscription-cancel-title", "name", &sub.friendly_name);
    Ok(render(
        &visitor,
        StatusCode::OK,
        &CancelPage {
            chrome: Chrome::of(&visitor, "customers", title),
            customer_id: id.to_string(),
            customer_name: view.customer.company.company_name.as_str().to_string(),
            id: sub.id.to_string(),
            name: sub.friendly_name.clone(),
            offer: offer_name(&offers, sub.offer_id),
            quantity: sub.quantity,
        },
    ))
}

/// `POST /customers/{id}/subscriptions/{sid}/cancel`: the subscription is deleted (as
/// the API's `status: deleted`), then its page says so; refused, its page says why.
pub async fn cancel(
    State(state): State<AppState>,
    signed: SignedIn,
    PageIds(id, sid): PageIds<CustomerId, SubscriptionId>,
    Form(_): Form,
) -> PageResult {
    let visitor = &signed.visitor;
    let patch = SubscriptionPatch {
        status: Some(SubscriptionStatus::Deleted),
        ..SubscriptionPatch::default()
    };
    match state
        .app
        .update_subscription(&signed.caller, id, sid, patch, None)
        .await
    {
        Ok(sub) => {
            let notice = visitor.tr.t1("subscription-cancelled", "name", &sub.friendly_name);
            Ok(visitor.redirect(&format!("/customers/{id}/subscriptions/{sid}"), Some(notice)))
        }
        Err(e @ AppError::Domain(_)) => {
            let why = FormError::of(&visitor.tr, &e);
            detail_page(&state, &signed, id, sid, why, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /customers/{id}/subscriptions/{sid}/support`: the support contact chosen among
/// the customer's available ones; then the subscription's page says who it is. Refused,
/// the page says why beside the choice.
pub async fn assign_support(
    State(state): State<AppState>,
    signed: SignedIn,
    PageIds(id, sid): PageIds<CustomerId, SubscriptionId>,
    Form(form): Form,
) -> PageResult {
    let visitor = &signed.visitor;
    let tr = visitor.tr;
    let Some(support) = form.get("support").and_then(|s| s.parse::<PartnerId>().ok()) else {
        let why = Refusal::of_field("supportTenantId", tr.t("subscription-support-choose")).into();
        return detail_page(&state, &signed, id, sid, why, StatusCode::BAD_REQUEST).await;
    };
    match state
        .app
        .update_subscription_support_contact(&signed.caller, id, sid, support)
        .await
    {
        Ok(_) => {
            let notice = tr.t("subscription-support-saved");
            Ok(visitor.redirect(&format!("/customers/{id}/subscriptions/{sid}"), Some(notice)))
        }
        Err(e @ AppError::Domain(_)) => {
            let status = ApiError::from(e.clone()).status();
            let why = FormError::of(&tr, &e);
            detail_page(&state, &signed, id, sid, why, status).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /customers/{id}/subscriptions/{sid}`.
pub async fn detail(
    State(state): State<AppState>,
    signed: SignedIn,
    PageIds(id, sid): PageIds<CustomerId, SubscriptionId>,
) -> PageResult {
    detail_page(&state, &signed, id, sid, FormError::none(), StatusCode::OK).await
}

/// `POST /customers/{id}/subscriptions/{sid}`: the status chosen, then the detail again
/// with a notice; refused, the detail says why.
pub async fn change_status(
    State(state): State<AppState>,
    signed: SignedIn,
    PageIds(id, sid): PageIds<CustomerId, SubscriptionId>,
    body: Bytes,
) -> PageResult {
    let form = Fields::parse(&body);
    let visitor = &signed.visitor;
    visitor.check_csrf(form.get("_csrf"))?;
    let tr = visitor.tr;
    let Some(status) = asked_status(&form) else {
        let why = Refusal::of_field("status", tr.t("subscription-choose-status")).into();
        return detail_page(&state, &signed, id, sid, why, StatusCode::BAD_REQUEST).await;
    };
    let result = state
        .app
        .bulk_update_subscription_status(&signed.caller, id, &[sid], status)
        .await
        .map(|mut results| results.pop().map(|(_, r)| r));
    Ok(match result {
        Ok(Some(Ok(outcome))) => {
            let notice = if outcome.changed {
                tr.t1("subscription-saved", "status", &status_text(&tr, status).to_lowercase())
            } else {
                tr.t("subscription-unchanged")
            };
            visitor.redirect(&format!("/customers/{id}/subscriptions/{sid}"), Some(notice))
        }
        Ok(Some(Err(e))) | Err(e) => {
            let why = FormError::of(&tr, &e);
            detail_page(&state, &signed, id, sid, why, StatusCode::CONFLICT).await?
        }
        Ok(None) => return Err(AppError::NotFound("subscription").into()),
    })
}
