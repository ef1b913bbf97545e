//! Rows of the catalog (offers), orders with their line items, and subscriptions.

use std::collections::HashMap;

use partnerdesk_domain::offer::{LineItem, Offer, Order, TermDuration};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::{Country, Name};
use partnerdesk_domain::{CustomerId, OfferId, OrderId, PartnerId, SubscriptionId};
use rusqlite::{params, Connection, Row};

use super::rows::{check_version, execute, join, opt_id, query_all, query_opt, split, ts, Cols};
use super::tx::SqliteTx;
use crate::CommerceStore;
use crate::StoreResult;
use async_trait::async_trait;

// --- offers ---

const OFFER_SELECT: &str = "SELECT id, name, description, unit_type, term, unit_price_minor, currency, min_quantity, \
                            max_quantity, countries, is_available, created_at, version FROM offers";

fn read_offer(row: &Row<'_>) -> StoreResult<Offer> {
    let c = Cols::new(row, "offers");
    Ok(Offer {
        id: c.id("id")?,
        name: c.parse("name", |s| Name::parse("name", s))?,
        description: c.text("description")?,
        unit_type: c.text("unit_type")?,
        term: c.parse("term", TermDuration::parse)?,
        unit_price_minor: c.int("unit_price_minor")?,
        currency: c.text("currency")?,
        min_quantity: c.int("min_quantity")?,
        max_quantity: c.int("max_quantity")?,
        countries: c.parse("countries", |s| {
            split(s).map(Country::parse).collect::<Result<Vec<_>, _>>()
        })?,
        is_available: c.bool("is_available")?,
        created_at: c.time("created_at")?,
        version: c.int("version")?,
    })
}

fn countries_text(o: &Offer) -> String {
    join(o.countries.iter().map(Country::as_str))
}

pub(super) fn insert_offer(conn: &Connection, o: &Offer) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO offers (id, name, description, unit_type, term, unit_price_minor, currency, min_quantity, \
         max_quantity, countries, is_available, created_at, version) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            o.id.to_string(),
            o.name.as_str(),
            o.description,
            o.unit_type,
            o.term.as_str(),
            o.unit_price_minor,
            o.currency,
            o.min_quantity,
            o.max_quantity,
            countries_text(o),
            o.is_available,
            ts(&o.created_at),
            o.version
        ],
    )
    .map(drop)
}

pub(super) fn find_offer(conn: &Connection, id: OfferId) -> StoreResult<Option<Offer>> {
    query_opt(
        conn,
        &format!("{OFFER_SELECT} WHERE id = ?1"),
        [id.to_string()],
        read_offer,
    )
}

pub(super) fn update_offer(conn: &Connection, o: &Offer) -> StoreResult<()> {
    let id = o.id.to_string();
    let changed = execute(
        conn,
        "UPDATE offers SET name = ?2, description = ?3, unit_type = ?4, term = ?5, unit_price_minor = ?6, \
         currency = ?7, min_quantity = ?8, max_quantity = ?9, countries = ?10, is_available = ?11, \
         version = version + 1 WHERE id = ?1 AND version = ?12",
        params![
            id,
            o.name.as_str(),
            o.description,
            o.unit_type,
            o.term.as_str(),
            o.unit_price_minor,
            o.currency,
            o.min_quantity,
            o.max_quantity,
            countries_text(o),
            o.is_available,
            o.version
        ],
    )?;
    check_version(conn, changed, "SELECT 1 FROM offers WHERE id = ?1", &id, "offer")
}

pub(super) fn list_offers(conn: &Connection, country: Option<&Country>) -> StoreResult<Vec<Offer>> {
    match country {
        None => query_all(conn, &format!("{OFFER_SELECT} ORDER BY id"), [], read_offer),
        Some(country) => query_all(
            conn,
            &format!("{OFFER_SELECT} WHERE instr(',' || countries || ',', ',' || ?1 || ',') > 0 ORDER BY id"),
            [country.as_str()],
            read_offer,
        ),
    }
}

// --- orders ---

const ORDER_SELECT: &str = "SELECT id, customer_id, partner_id, reseller_id, created_at, created_by FROM orders";

fn read_order(row: &Row<'_>) -> StoreResult<Order> {
    let c = Cols::new(row, "orders");
    Ok(Order {
        id: c.id("id")?,
        customer_id: c.id("customer_id")?,
        partner_id: c.id("partner_id")?,
        reseller_id: c.opt_id("reseller_id")?,
        line_items: Vec::new(),
        created_at: c.time("created_at")?,
        created_by: c.id("created_by")?,
    })
}

fn read_line_item(row: &Row<'_>) -> StoreResult<(OrderId, LineItem)> {
    let c = Cols::new(row, "order_line_items");
    let item = LineItem {
        line_number: c.int("line_number")?,
        offer_id: c.id("offer_id")?,
        quantity: c.int("quantity")?,
        friendly_name: c.text("friendly_name")?,
        subscription_id: c.id("subscription_id")?,
    };
    Ok((c.id("order_id")?, item))
}

pub(super) fn insert_order(conn: &Connection, o: &Order) -> StoreResult<()> {
    let id = o.id.to_string();
    execute(
        conn,
        "INSERT INTO orders (id, customer_id, partner_id, reseller_id, created_at, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            o.customer_id.to_string(),
            o.partner_id.to_string(),
            opt_id(&o.reseller_id),
            ts(&o.created_at),
            o.created_by.to_string()
        ],
    )?;
    for item in &o.line_items {
        execute(
            conn,
            "INSERT INTO order_line_items (order_id, line_number, offer_id, quantity, friendly_name, subscription_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                item.line_number,
                item.offer_id.to_string(),
                item.quantity,
                item.friendly_name,
                item.subscription_id.to_string()
            ],
        )?;
    }
    Ok(())
}

/// Fills in the line items of `orders`, each order's in line-number order.
fn attach_line_items(conn: &Connection, customer: CustomerId, orders: &mut [Order]) -> StoreResult<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let at: HashMap<OrderId, usize> = orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let items = query_all(
        conn,
        "SELECT li.order_id, li.line_number, li.offer_id, li.quantity, li.friendly_name, li.subscription_id \
         FROM order_line_items li JOIN orders o ON o.id = li.order_id \
         WHERE o.customer_id = ?1 ORDER BY li.order_id, li.line_number",
        [customer.to_string()],
        read_line_item,
    )?;
    for (order_id, item) in items {
        if let Some(&i) = at.get(&order_id) {
            orders[i].line_items.push(item);
        }
    }
    Ok(())
}

pub(super) fn find_order(conn: &Connection, customer: CustomerId, id: OrderId) -> StoreResult<Option<Order>> {
    let Some(mut order) = query_opt(
        conn,
        &format!("{ORDER_SELECT} WHERE id = ?1 AND customer_id = ?2"),
        [id.to_string(), customer.to_string()],
        read_order,
    )?
    else {
        return Ok(None);
    };
    order.line_items = query_all(
        conn,
        "SELECT order_id, line_number, offer_id, quantity, friendly_name, subscription_id FROM order_line_items \
         WHERE order_id = ?1 ORDER BY line_number",
        [id.to_string()],
        read_line_item,
    )?
    .into_iter()
    .map(|(_, item)| item)
    .collect();
    Ok(Some(order))
}

pub(super) fn list_orders(
    conn: &Connection,
    customer: CustomerId,
    partner: Option<PartnerId>,
) -> StoreResult<Vec<Order>> {
    // Ids are UUIDv7, so id order is creation order; `orders_customer (customer_id, id)` serves it.
    let mut orders = match partner {
        None => query_all(
            conn,
            &format!("{ORDER_SELECT} WHERE customer_id = ?1 ORDER BY id"),
            [customer.to_string()],
            read_order,
        )?,
        // The partner of record's orders; an indirect reseller named on an order is not its
        // partner of record.
        Some(partner) => query_all(
            conn,
            &format!("{ORDER_SELECT} WHERE customer_id = ?1 AND partner_id = ?2 ORDER BY id"),
            [customer.to_string(), partner.to_string()],
            read_order,
        )?,
    };
    attach_line_items(conn, customer, &mut orders)?;
    Ok(orders)
}

// --- subscriptions ---

const SUB_SELECT: &str =
    "SELECT id, customer_id, partner_id, reseller_id, offer_id, order_id, friendly_name, quantity, \
                          status, auto_renew, support_partner_id, effective_start, commitment_end, created_at, \
                          updated_at, version FROM subscriptions";

fn read_subscription(row: &Row<'_>) -> StoreResult<Subscription> {
    let c = Cols::new(row, "subscriptions");
    Ok(Subscription {
        id: c.id("id")?,
        customer_id: c.id("customer_id")?,
        partner_id: c.id("partner_id")?,
        reseller_id: c.opt_id("reseller_id")?,
        offer_id: c.id("offer_id")?,
        order_id: c.id("order_id")?,
        friendly_name: c.text("friendly_name")?,
        quantity: c.int("quantity")?,
        status: c.name("status", SubscriptionStatus::parse)?,
        auto_renew: c.bool("auto_renew")?,
        support_partner_id: c.opt_id("support_partner_id")?,
        effective_start: c.time("effective_start")?,
        commitment_end: c.time("commitment_end")?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
        version: c.int("version")?,
    })
}

pub(super) fn insert_subscription(conn: &Connection, s: &Subscription) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO subscriptions (id, customer_id, partner_id, reseller_id, offer_id, order_id, friendly_name, \
         quantity, status, auto_renew, support_partner_id, effective_start, commitment_end, created_at, updated_at, \
         version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            s.id.to_string(),
            s.customer_id.to_string(),
            s.partner_id.to_string(),
            opt_id(&s.reseller_id),
            s.offer_id.to_string(),
            s.order_id.to_string(),
            s.friendly_name,
            s.quantity,
            s.status.as_str(),
            s.auto_renew,
            opt_id(&s.support_partner_id),
            ts(&s.effective_start),
            ts(&s.commitment_end),
            ts(&s.created_at),
            ts(&s.updated_at),
            s.version
        ],
    )
    .map(drop)
}

pub(super) fn find_subscription(conn: &Connection, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
    query_opt(
        conn,
        &format!("{SUB_SELECT} WHERE id = ?1"),
        [id.to_string()],
        read_subscription,
    )
}

pub(super) fn update_subscription(conn: &Connection, s: &Subscription) -> StoreResult<()> {
    let id = s.id.to_string();
    let changed = execute(
        conn,
        "UPDATE subscriptions SET reseller_id = ?2, friendly_name = ?3, quantity = ?4, status = ?5, auto_renew = ?6, \
         support_partner_id = ?7, effective_start = ?8, commitment_end = ?9, updated_at = ?10, \
         version = version + 1 WHERE id = ?1 AND version = ?11",
        params![
            id,
            opt_id(&s.reseller_id),
            s.friendly_name,
            s.quantity,
            s.status.as_str(),
            s.auto_renew,
            opt_id(&s.support_partner_id),
            ts(&s.effective_start),
            ts(&s.commitment_end),
            ts(&s.updated_at),
            s.version
        ],
    )?;
    check_version(
        conn,
        changed,
        "SELECT 1 FROM subscriptions WHERE id = ?1",
        &id,
        "subscription",
    )
}

pub(super) fn list_customer_subscriptions(conn: &Connection, customer: CustomerId) -> StoreResult<Vec<Subscription>> {
    query_all(
        conn,
        &format!("{SUB_SELECT} WHERE customer_id = ?1 ORDER BY id"),
        [customer.to_string()],
        read_subscription,
    )
}

#[async_trait]
impl CommerceStore for SqliteTx {
    async fn insert_offer(&mut self, offer: &Offer) -> StoreResult<()> {
        let offer = offer.clone();
        self.call(move |c| insert_offer(c, &offer)).await
    }

    async fn find_offer(&mut self, id: OfferId) -> StoreResult<Option<Offer>> {
        self.call(move |c| find_offer(c, id)).await
    }

    async fn update_offer(&mut self, offer: &Offer) -> StoreResult<()> {
        let offer = offer.clone();
        self.call(move |c| update_offer(c, &offer)).await
    }

    async fn list_offers(&mut self, country: Option<&Country>) -> StoreResult<Vec<Offer>> {
        let country = country.cloned();
        self.call(move |c| list_offers(c, country.as_ref())).await
    }

    async fn insert_order(&mut self, order: &Order) -> StoreResult<()> {
        let order = order.clone();
        self.call(move |c| insert_order(c, &order)).await
    }

    async fn find_order(&mut self, customer: CustomerId, id: OrderId) -> StoreResult<Option<Order>> {
        self.call(move |c| find_order(c, customer, id)).await
    }

    async fn list_orders(&mut self, customer: CustomerId, partner: Option<PartnerId>) -> StoreResult<Vec<Order>> {
        self.call(move |c| list_orders(c, customer, partner)).await
    }

    async fn insert_subscription(&mut self, sub: &Subscription) -> StoreResult<()> {
        let sub = sub.clone();
        self.call(move |c| insert_subscription(c, &sub)).await
    }

    async fn find_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        self.call(move |c| find_subscription(c, id)).await
    }

    async fn lock_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        // BEGIN IMMEDIATE already holds the database's write lock.
        self.find_subscription(id).await
    }

    async fn update_subscription(&mut self, sub: &Subscription) -> StoreResult<()> {
        let sub = sub.clone();
        self.call(move |c| update_subscription(c, &sub)).await
    }

    async fn list_customer_subscriptions(&mut self, customer: CustomerId) -> StoreResult<Vec<Subscription>> {
        self.call(move |c| list_customer_subscriptions(c, customer)).await
    }
}
