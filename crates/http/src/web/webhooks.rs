//! Webhooks, for whoever may manage them (partner and customer admins; the operator sees
//! every organisation's): the registrations with the state of their last delivery, a new
//! one (its HMAC secret shown once), editing, deletion after a confirmation, a test event,
//! and a registration's recent deliveries with redelivery of parked ones.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::webhook::{DeliveryStatus, WebhookDelivery, WebhookRegistration};
use partnerdesk_domain::{WebhookDeliveryId, WebhookRegistrationId};

use super::form::Fields;
use super::pages::{form_status, render, Chrome, PageError};
use super::path_id::PageId;
use super::refusal::{refusal, refused_or_page, Refusal};
use super::session::{Notice, SignedIn, Visitor};
use super::tr::Tr;
use crate::platform::idempotency::ReplayAs;
use crate::state::AppState;

/// Deliveries a registration's page shows.
const RECENT_DELIVERIES: u32 = 50;

/// What the add and edit forms hold: what was typed, kept when refused.
#[derive(Debug, Clone, Default)]
pub struct HookForm {
    pub url: String,
    pub events: Vec<String>,
}

impl HookForm {
    fn read(fields: &Fields) -> Self {
        Self {
            url: fields.get("url").unwrap_or("").trim().to_string(),
            events: fields.all("events").into_iter().map(str::to_string).collect(),
        }
    }

    fn of(r: &WebhookRegistration) -> Self {
        Self {
            url: r.url.as_str().to_string(),
            events: r.events.clone(),
        }
    }
}

/// An event as a check box: its name, what it means, whether it is ticked.
pub struct EventChoice {
    pub name: &'static str,
    pub help: String,
    pub checked: bool,
}

fn choices(state: &AppState, tr: &Tr, form: &HookForm) -> Vec<EventChoice> {
    state
        .app
        .webhook_events()
        .iter()
        .map(|&name| EventChoice {
            name,
            help: tr.t(&format!("webhook-event-{name}")),
            checked: form.events.iter().any(|e| e == name),
        })
        .collect()
}

/// A delivery's state in the page's words, and its badge's class.
fn delivery_state(tr: &Tr, d: &WebhookDelivery) -> (String, &'static str) {
    match d.status() {
        DeliveryStatus::Delivered => (tr.t("webhook-state-delivered"), "active"),
        DeliveryStatus::Parked => (tr.t("webhook-state-parked"), "revoked"),
        DeliveryStatus::Pending if d.attempts > 0 => (tr.t("webhook-state-failed"), "suspended"),
        DeliveryStatus::Pending => (tr.t("webhook-state-pending"), "closed"),
    }
}

/// A registration, as a row of the list.
pub struct HookRow {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub created: String,
    /// The organisation it belongs to, shown to the operator only.
    pub org: Option<String>,
    /// The state of its latest delivery, if it had one, and its badge's class.
    pub last: Option<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "web/webhooks.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<HookRow>,
    worker_off: bool,
    form: HookForm,
    events: Vec<EventChoice>,
    error: Option<Refusal>,
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    form: HookForm,
    error: Option<Refusal>,
) -> Result<Response, PageError> {
    let tr = visitor.tr;
    let mut rows = Vec::new();
    for r in state.app.webhook_registrations(caller).await? {
        let last = state.app.webhook_deliveries(caller, r.id, 1).await?;
        rows.push(HookRow {
            id: r.id.to_string(),
            url: r.url.as_str().to_string(),
            events: r.events.clone(),
            created: tr.date(&r.created_at),
            org: caller.is_operator().then(|| r.org_id.to_string()),
            last: last.first().map(|d| delivery_state(&tr, d)),
        });
    }
    let status = form_status(error.is_some(), false);
    let chrome = Chrome::of(visitor, "webhooks", tr.t("webhooks-title"));
    let events = choices(state, &tr, &form);
    let page = ListPage {
        chrome,
        rows,
        worker_off: !state.config.webhook_worker,
        form,
        events,
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `GET /webhooks`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
) -> Result<Response, PageError> {
    list_page(&state, &visitor, &caller, HookForm::default(), None).await
}

#[derive(Template)]
#[template(path = "web/webhook_created.html")]
struct CreatedPage {
    chrome: Chrome,
    id: String,
    url: String,
    secret: String,
}

/// `POST /webhooks`: a new registration, then the one page that shows its secret.
pub async fn create(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = Fields::checked(&visitor, &body)?;
    let tr = visitor.tr;
    let form = HookForm::read(&fields);
    let created = state
        .app
        .create_webhook_registration(&caller, &form.url, &form.events)
        .await;
    match refused_or_page(created)? {
        Ok(r) => {
            let chrome = Chrome::of(&visitor, "webhooks", tr.t("webhook-created-title"));
            let id = r.id.to_string();
            // The secret is on this page once: a repeat of the form goes to the registration.
            let replay = ReplayAs::redirect(&format!("/webhooks/{id}"));
            let page = CreatedPage {
                chrome,
                id,
                url: r.url.as_str().to_string(),
                secret: r.secret,
            };
            let mut page = render(&visitor, StatusCode::OK, &page);
            page.extensions_mut().insert(replay);
            Ok(page)
        }
        Err(e) => list_page(&state, &visitor, &caller, form, Some(refusal(&tr, &e))).await,
    }
}

/// A delivery, as a row of a registration's page.
pub struct DeliveryRow {
    pub id: String,
    pub event: String,
    pub state: String,
    pub badge: &'static str,
    pub attempts: u32,
    pub next_attempt: String,
    pub last_error: String,
    pub http_status: String,
    pub parked: bool,
}

#[derive(Template)]
#[template(path = "web/webhook.html")]
struct HookPage {
    chrome: Chrome,
    id: String,
    url: String,
    created: String,
    worker_off: bool,
    form: HookForm,
    events: Vec<EventChoice>,
    deliveries: Vec<DeliveryRow>,
    any_parked: bool,
    error: Option<Refusal>,
}

/// A registration's page; `typed` keeps a refused edit.
async fn hook_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    hid: WebhookRegistrationId,
    typed: Option<HookForm>,
    error: Option<Refusal>,
) -> Result<Response, PageError> {
    let tr = visitor.tr;
    let r = state.app.webhook_registration(caller, hid).await?;
    let deliveries: Vec<DeliveryRow> = state
        .app
        .webhook_deliveries(caller, hid, RECENT_DELIVERIES)
        .await?
        .iter()
        .map(|d| {
            let (state, badge) = delivery_state(&tr, d);
            let waiting = d.status() == DeliveryStatus::Pending;
            DeliveryRow {
                id: d.id.to_string(),
                event: d.event_type.clone(),
                state,
                badge,
                attempts: d.attempts,
                next_attempt: if waiting {
                    tr.date(&d.next_attempt_at)
                } else {
                    String::new()
                },
                last_error: d.last_error.clone().unwrap_or_default(),
                http_status: d.http_status.map(|s| s.to_string()).unwrap_or_default(),
                parked: d.status() == DeliveryStatus::Parked,
            }
        })
        .collect();
    let status = form_status(error.is_some(), false);
    let chrome = Chrome::of(visitor, "webhooks", tr.t("webhook-title"));
    let form = typed.unwrap_or_else(|| HookForm::of(&r));
    let events = choices(state, &tr, &form);
    let page = HookPage {
        chrome,
        id: hid.to_string(),
        url: r.url.as_str().to_string(),
        created: tr.date(&r.created_at),
        worker_off: !state.config.webhook_worker,
        form,
        events,
        any_parked: deliveries.iter().any(|d| d.parked),
        deliveries,
        error,
    };
    Ok(render(visitor, status, &page))
}

/// `GET /webhooks/{hid}`: the registration, its edit form and its recent deliveries.
pub async fn detail(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(hid): PageId<WebhookRegistrationId>,
) -> Result<Response, PageError> {
    hook_page(&state, &visitor, &caller, hid, None, None).await
}

/// `POST /webhooks/{hid}`: a new URL and events (the secret stays).
pub async fn update(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(hid): PageId<WebhookRegistrationId>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = Fields::checked(&visitor, &body)?;
    let tr = visitor.tr;
    let form = HookForm::read(&fields);
    let updated = state
        .app
        .update_webhook_registration(&caller, hid, &form.url, &form.events)
        .await;
    match refused_or_page(updated)? {
        Ok(_) => Ok(visitor.redirect(&format!("/webhooks/{hid}"), Some(tr.t("webhook-saved")))),
        Err(e) => hook_page(&state, &visitor, &caller, hid, Some(form), Some(refusal(&tr, &e))).await,
    }
}

/// `POST /webhooks/{hid}/test`: a `test-created` event for this registration alone; its
/// delivery then shows among the registration's deliveries.
pub async fn send_test(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(hid): PageId<WebhookRegistrationId>,
    body: Bytes,
) -> Result<Response, PageError> {
    Fields::checked(&visitor, &body)?;
    state.app.send_webhook_test(&caller, Some(hid)).await?;
    let notice = visitor.tr.t("webhook-test-sent");
    Ok(visitor.redirect(&format!("/webhooks/{hid}#deliveries"), Some(notice)))
}

/// `POST /webhooks/{hid}/redeliver`: one parked delivery (field `delivery`) or every
/// parked one of the registration, sent again from a fresh count of attempts.
pub async fn redeliver(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(hid): PageId<WebhookRegistrationId>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = Fields::checked(&visitor, &body)?;
    let tr = visitor.tr;
    let back = format!("/webhooks/{hid}#deliveries");
    let only = match fields.get("delivery").filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match d.parse::<WebhookDeliveryId>() {
            Ok(id) => Some(id),
            Err(_) => return Err(AppError::NotFound("webhook delivery").into()),
        },
    };
    let n = state.app.redeliver_webhooks(&caller, hid, only).await?;
    let notice = if n == 0 {
        Notice::refusal(tr.t("webhook-redeliver-none"))
    } else {
        Notice::success(tr.tn("webhook-redelivered", "count", usize::try_from(n).unwrap_or(usize::MAX)))
    };
    Ok(visitor.redirect_with(&back, Some(notice)))
}

#[derive(Template)]
#[template(path = "web/webhook_delete.html")]
struct DeletePage {
    chrome: Chrome,
    id: String,
    url: String,
    events: Vec<String>,
}

/// `GET /webhooks/{hid}/delete`: what deleting the registration stops, before it is done.
pub async fn confirm_delete(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(hid): PageId<WebhookRegistrationId>,
) -> Result<Response, PageError> {
    let r = state.app.webhook_registration(&caller, hid).await?;
    let chrome = Chrome::of(&visitor, "webhooks", visitor.tr.t("webhook-delete-title"));
    let page = DeletePage {
        chrome,
        id: hid.to_string(),
        url: r.url.as_str().to_string(),
        events: r.events,
    };
    Ok(render(&visitor, StatusCode::OK, &page))
}

/// `POST /webhooks/{hid}/delete`: deletes it with its deliveries.
pub async fn delete(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    PageId(hid): PageId<WebhookRegistrationId>,
    body: Bytes,
) -> Result<Response, PageError> {
    Fields::checked(&visitor, &body)?;
    state.app.delete_webhook_registration(&caller, hid).await?;
    Ok(visitor.redirect("/webhooks", Some(visitor.tr.t("webhook-deleted"))))
}
