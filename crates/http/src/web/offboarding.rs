//! Customer → Offboarding: the preview of everything offboarding does (the active
//! subscriptions it suspends, the support assignments that go, the delegated admin rights
//! that end: DAP and GDAP), then one confirmed action. The partner confirms by typing the
//! customer's company name; a mismatch changes nothing and says so.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use partnerdesk_app::removal::OffboardingPreview;
use partnerdesk_app::AppError;
use partnerdesk_domain::CustomerId;

use super::account::load_customer;
use super::form::Fields;
use super::pages::{describe, render, Chrome, PageResult};
use super::path_id::PageId;
use super::refusal::{FormError, Refusal};
use super::session::SignedIn;
use super::tr::Tr;
use crate::error::ApiError;
use crate::state::AppState;

/// A subscription the preview names, linked to its detail.
pub struct SubscriptionItem {
    pub id: String,
    pub name: String,
    pub quantity: i64,
}

/// A delegated admin right that ends.
pub struct RightItem {
    pub text: String,
}

/// The preview, as the page lists it.
pub struct Preview {
    pub suspend: Vec<SubscriptionItem>,
    pub support: Vec<SubscriptionItem>,
    pub rights: Vec<RightItem>,
}

#[derive(Template)]
#[template(path = "web/customer_offboarding.html")]
struct OffboardingPage {
    chrome: Chrome,
    tab: &'static str,
    customer_id: String,
    customer_name: String,
    /// `None` when this user may not offboard; `refusal` says why.
    preview: Option<Preview>,
    refusal: Option<String>,
    /// Why the last attempt was refused (`confirmName`, `reason` or the whole form).
    error: FormError,
    typed_name: String,
    reason: String,
}

fn preview_items(tr: &Tr, p: &OffboardingPreview) -> Preview {
    let item = |s: &partnerdesk_domain::subscription::Subscription| SubscriptionItem {
        id: s.id.to_string(),
        name: s.friendly_name.clone(),
        quantity: s.quantity,
    };
    let mut rights: Vec<RightItem> = p
        .dap_to_end
        .iter()
        .map(|d| RightItem {
            text: tr.t1("offboard-dap-item", "date", &tr.date(&d.granted_at)),
        })
        .collect();
    rights.extend(p.gdap_to_terminate.iter().map(|g| RightItem {
        text: crate::i18n::message(
            tr.lang,
            "offboard-gdap-item",
            &[
                ("name", g.display_name.as_str().into()),
                ("status", g.status.as_str().into()),
                ("roles", (g.roles.len() as i64).into()),
            ],
        ),
    }));
    Preview {
        suspend: p.subscriptions_to_suspend.iter().map(item).collect(),
        support: p.support_assignments_to_clear.iter().map(item).collect(),
        rights,
    }
}

/// The Offboarding tab, with what was typed and why it was refused, answered with `status`.
async fn offboarding_page(
    state: &AppState,
    signed: &SignedIn,
    id: CustomerId,
    (typed_name, reason): (String, String),
    error: FormError,
    status: StatusCode,
) -> PageResult {
    let SignedIn { visitor, caller } = signed;
    let (id, view) = load_customer(state, visitor, caller, id).await?;
    let tr = visitor.tr;
    let (preview, refusal) = match state.app.offboarding_preview(caller, id).await {
        Ok(p) => (Some(preview_items(&tr, &p)), None),
        // Not allowed for this user (role, partner type): the tab says why.
        Err(e @ AppError::Domain(_)) => (None, Some(describe(&tr, e))),
        Err(e) => return Err(e.into()),
    };
    let name = view.customer.company.company_name.as_str().to_string();
    let title = format!("{name} · {}", tr.t("offboard-title"));
    let chrome = Chrome::of(visitor, "customers", title);
    Ok(render(
        visitor,
        status,
        &OffboardingPage {
            chrome,
            tab: "offboarding",
            customer_id: id.to_string(),
            customer_name: name,
            preview,
            refusal,
            error,
            typed_name,
            reason,
        },
    ))
}

/// `GET /customers/{id}/offboarding`.
pub async fn preview(State(state): State<AppState>, signed: SignedIn, PageId(id): PageId<CustomerId>) -> PageResult {
    let empty = (String::new(), String::new());
    offboarding_page(&state, &signed, id, empty, FormError::none(), StatusCode::OK).await
}

/// `POST /customers/{id}/offboarding`: with the company name typed exactly, suspends every
/// active subscription and removes the relationship in one step, then the customer list
/// says so. A mismatch, or a refusal, shows the tab again and changes nothing.
pub async fn offboard(
    State(state): State<AppState>,
    signed: SignedIn,
    PageId(id): PageId<CustomerId>,
    body: Bytes,
) -> PageResult {
    let form = Fields::parse(&body);
    let visitor = &signed.visitor;
    visitor.check_csrf(form.get("_csrf"))?;
    let (customer, view) = load_customer(&state, visitor, &signed.caller, id).await?;
    let tr = visitor.tr;
    let name = view.customer.company.company_name.as_str().to_string();
    let typed = form.get("confirm_name").unwrap_or_default().trim().to_string();
    // Browsers send a textarea's line breaks as CR LF.
    let reason = form.get("reason").unwrap_or_default().replace("\r\n", "\n");
    let kept = (typed.clone(), reason.clone());
    if typed != name {
        let why = Refusal::of_field("confirmName", tr.t1("offboard-name-mismatch", "name", &name)).into();
        return offboarding_page(&state, &signed, id, kept, why, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    Ok(
        match state.app.offboard_customer(&signed.caller, customer, reason).await {
            Ok(removed) => {
                let suspended = removed.plan.subscriptions_to_suspend.len();
                let notice = crate::i18n::message(
                    tr.lang,
                    "offboard-done",
                    &[("name", name.as_str().into()), ("count", (suspended as i64).into())],
                );
                visitor.redirect("/customers", Some(notice))
            }
            Err(e @ AppError::Domain(_)) => {
                let status = ApiError::from(e.clone()).status();
                let why = FormError::of(&tr, &e);
                offboarding_page(&state, &signed, id, kept, why, status).await?
            }
            Err(e) => return Err(e.into()),
        },
    )
}

#[cfg(test)]
mod tests {
    use crate::i18n::{message, Lang};

    #[test]
    fn a_gdap_relationship_that_ends_is_described_in_both_languages() {
        let args = |status: &str| {
            [
                ("name", "Helpdesk access".into()),
                ("status", status.into()),
                ("roles", 2i64.into()),
            ]
        };
        assert_eq!(
            message(Lang::En, "offboard-gdap-item", &args("approvalPending")),
            "GDAP relationship “Helpdesk access” (awaiting approval, 2 roles) will be terminated"
        );
        assert_eq!(
            message(Lang::Ru, "offboard-gdap-item", &args("active")),
            "Отношения GDAP «Helpdesk access» (активны, 2 роли) будут завершены"
        );
    }
}
