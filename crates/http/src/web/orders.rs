//! Customer → Orders: the partner's orders for the customer (newest first, each line linked
//! to the subscription it created), and a form to buy from the catalog: an offer sold in the
//! customer's country, a number of seats within the offer's range, and an optional name for
//! the new subscription. A refusal is shown on the form, with what was typed kept.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use partnerdesk_app::orders::LineInput;
use partnerdesk_app::AppError;
use partnerdesk_domain::offer::{Offer, TermDuration};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{CustomerId, OfferId};

use super::account::load_customer;
use super::form::Fields;
use super::pages::{describe, render, Chrome, PageResult};
use super::path_id::PageId;
use super::refusal::{FormError, Refusal};
use super::session::SignedIn;
use super::tr::Tr;
use crate::error::ApiError;
use crate::i18n::{self, Arg};
use crate::state::AppState;

/// One line of one order, as a row of the list.
pub struct OrderRow {
    pub placed: String,
    pub offer: String,
    pub quantity: i64,
    pub subscription_id: String,
    pub subscription_name: String,
}

/// An offer the customer may be sold, as an option of the form.
pub struct OfferChoice {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

/// What the form holds: empty at first, what was typed after a refusal.
#[derive(Debug, Default)]
pub struct OrderForm {
    pub offer: String,
    pub quantity: String,
    pub friendly_name: String,
}

#[derive(Template)]
#[template(path = "web/customer_orders.html")]
struct OrdersPage {
    chrome: Chrome,
    tab: &'static str,
    customer_id: String,
    customer_name: String,
    country: String,
    rows: Vec<OrderRow>,
    offers: Vec<OfferChoice>,
    /// Why this user may not order (role or partner type), instead of the form.
    refusal: Option<String>,
    /// Why the last attempt was refused (`offerId`, `quantity`, `friendlyName` or the
    /// whole form).
    error: FormError,
    form: OrderForm,
    /// The allowed number of seats, said on the form.
    range_hint: String,
    /// The bounds of the only offer, put on the input too.
    bounds: Option<(i64, i64)>,
}

/// A price in minor units as people of this language write it: `12.50 USD`, `12,50 USD`.
fn price(tr: &Tr, minor: i64, currency: &str) -> String {
    let sep = if tr.code() == "ru" { ',' } else { '.' };
    format!("{}{sep}{:02} {currency}", minor / 100, (minor % 100).abs())
}

/// A term inside a sentence (lower case in Russian: «срок: месяц»).
fn term(tr: &Tr, term: TermDuration) -> String {
    match term {
        TermDuration::Monthly => tr.t("term-monthly-inline"),
        TermDuration::Annual => tr.t("term-yearly-inline"),
    }
}

/// An option of the offer list: name, range of seats, price and term.
fn offer_label(tr: &Tr, o: &Offer) -> String {
    i18n::message(
        tr.lang,
        "orders-offer-option",
        &[
            ("name", Arg::from(o.name.as_str())),
            ("min", Arg::from(o.min_quantity)),
            ("max", Arg::from(o.max_quantity)),
            ("unit", Arg::from(o.unit_type.as_str())),
            ("price", Arg::from(price(tr, o.unit_price_minor, &o.currency))),
            ("term", Arg::from(term(tr, o.term))),
        ],
    )
}

/// The Orders tab with `form` filled in and `error` said, answered with `status`.
async fn orders_page(
    state: &AppState,
    signed: &SignedIn,
    id: CustomerId,
    form: OrderForm,
    error: FormError,
    status: StatusCode,
) -> PageResult {
    let SignedIn { visitor, caller } = signed;
    let (id, view) = load_customer(state, visitor, caller, id).await?;
    let orders = state.app.list_orders(caller, id).await?;
    let catalog = state.app.list_offers(caller, None).await?;
    let tr = visitor.tr;
    let country = view.customer.company.country.clone();
    let names: HashMap<OfferId, String> = catalog.iter().map(|o| (o.id, o.name.as_str().to_string())).collect();
    let rows = orders
        .iter()
        .rev()
        .flat_map(|o| {
            let placed = tr.date(&o.created_at);
            let names = &names;
            o.line_items.iter().map(move |l| OrderRow {
                placed: placed.clone(),
                offer: names
                    .get(&l.offer_id)
                    .cloned()
                    .unwrap_or_else(|| l.offer_id.to_string()),
                quantity: l.quantity,
                subscription_id: l.subscription_id.to_string(),
                subscription_name: l.friendly_name.clone(),
            })
        })
        .collect();
    let sellable: Vec<&Offer> = catalog
        .iter()
        .filter(|o| o.is_available && o.countries.contains(&country))
        .collect();
    let offers = sellable
        .iter()
        .enumerate()
        .map(|(i, o)| OfferChoice {
            id: o.id.to_string(),
            label: offer_label(&tr, o),
            selected: if form.offer.is_empty() {
                i == 0
            } else {
                form.offer == o.id.to_string()
            },
        })
        .collect();
    let bounds = match sellable.as_slice() {
        [only] => Some((only.min_quantity, only.max_quantity)),
        _ => None,
    };
    let range_hint = match bounds {
        Some((min, max)) => i18n::message(
            tr.lang,
            "orders-quantity-range",
            &[("min", Arg::from(min)), ("max", Arg::from(max))],
        ),
        None => tr.t("orders-quantity-range-each"),
    };
    let refusal = caller.authorize(Action::CreateOrder).err().map(|e| describe(&tr, e));
    let name = view.customer.company.company_name.as_str().to_string();
    let title = format!("{name} · {}", tr.t("orders-title"));
    let chrome = Chrome::of(visitor, "customers", title);
    Ok(render(
        visitor,
        status,
        &OrdersPage {
            chrome,
            tab: "orders",
            customer_id: id.to_string(),
            customer_name: name,
            country: country.as_str().to_string(),
            rows,
            offers,
            refusal,
            error,
            form,
            range_hint,
            bounds,
        },
    ))
}

/// `GET /customers/{id}/orders`.
pub async fn list(State(state): State<AppState>, signed: SignedIn, PageId(id): PageId<CustomerId>) -> PageResult {
    orders_page(
        &state,
        &signed,
        id,
        OrderForm::default(),
        FormError::none(),
        StatusCode::OK,
    )
    .await
}

/// `POST /customers/{id}/orders`: places the order, then the Orders tab says what was
/// bought. Refused (bad number, out of range, no longer allowed): the form again, with
/// what was typed and why.
pub async fn place(
    State(state): State<AppState>,
    signed: SignedIn,
    PageId(id): PageId<CustomerId>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let visitor = &signed.visitor;
    visitor.check_csrf(fields.get("_csrf"))?;
    let tr = visitor.tr;
    let form = OrderForm {
        offer: fields.get("offer").unwrap_or_default().trim().to_string(),
        quantity: fields.get("quantity").unwrap_or_default().trim().to_string(),
        friendly_name: fields.get("friendly_name").unwrap_or_default().trim().to_string(),
    };
    let Ok(offer_id) = form.offer.parse::<OfferId>() else {
        let why = Refusal::of_field("offerId", tr.t("orders-choose-offer")).into();
        return orders_page(&state, &signed, id, form, why, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let Ok(quantity) = form.quantity.parse::<i64>() else {
        let why = Refusal::of_field("quantity", tr.t("orders-quantity-not-a-number")).into();
        return orders_page(&state, &signed, id, form, why, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let (customer, _) = load_customer(&state, visitor, &signed.caller, id).await?;
    let line = LineInput {
        offer_id,
        quantity,
        friendly_name: Some(form.friendly_name.clone()).filter(|n| !n.is_empty()),
    };
    Ok(
        match state.app.create_order(&signed.caller, customer, vec![line], None).await {
            Ok(placed) => {
                let offer = state
                    .app
                    .get_offer(&signed.caller, offer_id)
                    .await
                    .map(|o| o.name.as_str().to_string())
                    .unwrap_or_else(|_| offer_id.to_string());
                let name = placed
                    .subscriptions
                    .first()
                    .map(|s| s.friendly_name.clone())
                    .unwrap_or_default();
                let notice = i18n::message(
                    tr.lang,
                    "orders-placed",
                    &[
                        ("quantity", Arg::from(quantity)),
                        ("offer", Arg::from(offer)),
                        ("name", Arg::from(name)),
                    ],
                );
                visitor.redirect(&format!("/customers/{customer}/orders"), Some(notice))
            }
            Err(e @ AppError::Domain(_)) => {
                let status = ApiError::from(e.clone()).status();
                let why = FormError::of(&tr, &e);
                orders_page(&state, &signed, id, form, why, status).await?
            }
            Err(e) => return Err(e.into()),
        },
    )
}
