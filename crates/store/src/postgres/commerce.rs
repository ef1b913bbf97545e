//! The catalog (offers), orders with their line items, and subscriptions.

use std::collections::HashMap;

use partnerdesk_domain::offer::{LineItem, Offer, Order, TermDuration};
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::{Country, Name};
use partnerdesk_domain::{CustomerId, DomainError, OfferId, OrderId, PartnerId, SubscriptionId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;
use uuid::Uuid;

use super::rows::{known, split_list, Cols};
use super::PgTx;
use super::{db_err, missed_update};
use crate::CommerceStore;
use crate::StoreResult;
use async_trait::async_trait;

// --- offers ---

fn offer_from_row(row: &PgRow) -> StoreResult<Offer> {
    let r = Cols::new(row, "offers");
    Ok(Offer {
        id: r.id("id")?,
        name: r.parse("name", |s| Name::parse("name", s))?,
        description: r.get("description")?,
        unit_type: r.get("unit_type")?,
        term: r.parse("term", TermDuration::parse)?,
        unit_price_minor: r.get("unit_price_minor")?,
        currency: r.get("currency")?,
        min_quantity: r.get("min_quantity")?,
        max_quantity: r.get("max_quantity")?,
        countries: r.parse("countries", |s| {
            split_list(s).map(Country::parse).collect::<Result<_, DomainError>>()
        })?,
        is_available: r.get("is_available")?,
        created_at: r.get("created_at")?,
        version: r.get("version")?,
    })
}

fn join_countries(countries: &[Country]) -> String {
    countries.iter().map(Country::as_str).collect::<Vec<_>>().join(",")
}

// --- orders ---

fn order_from_row(row: &PgRow) -> StoreResult<Order> {
    let r = Cols::new(row, "orders");
    Ok(Order {
        id: r.id("id")?,
        customer_id: r.id("customer_id")?,
        partner_id: r.id("partner_id")?,
        reseller_id: r.id_opt("reseller_id")?,
        line_items: Vec::new(),
        created_at: r.get("created_at")?,
        created_by: r.id("created_by")?,
    })
}

/// A line item and the order it belongs to.
fn line_item_from_row(row: &PgRow) -> StoreResult<(Uuid, LineItem)> {
    let r = Cols::new(row, "order_line_items");
    let item = LineItem {
        line_number: r.get("line_number")?,
        offer_id: r.id("offer_id")?,
        quantity: r.get("quantity")?,
        friendly_name: r.get("friendly_name")?,
        subscription_id: r.id("subscription_id")?,
    };
    Ok((r.get("order_id")?, item))
}

/// Fills in the line items of `orders`, in line-number order, with one query.
async fn attach_line_items(conn: &mut PgConnection, orders: &mut [Order]) -> StoreResult<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id.uuid()).collect();
    let rows = sqlx::query(
        "SELECT order_id, line_number, offer_id, quantity, friendly_name, subscription_id
         FROM order_line_items WHERE order_id = ANY ($1) ORDER BY order_id, line_number",
    )
    .bind(&ids)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    let mut by_order: HashMap<Uuid, Vec<LineItem>> = HashMap::new();
    for row in &rows {
        let (order_id, item) = line_item_from_row(row)?;
        by_order.entry(order_id).or_default().push(item);
    }
    for order in orders {
        order.line_items = by_order.remove(&order.id.uuid()).unwrap_or_default();
    }
    Ok(())
}

// --- subscriptions ---

fn subscription_from_row(row: &PgRow) -> StoreResult<Subscription> {
    let r = Cols::new(row, "subscriptions");
    Ok(Subscription {
        id: r.id("id")?,
        customer_id: r.id("customer_id")?,
        partner_id: r.id("partner_id")?,
        reseller_id: r.id_opt("reseller_id")?,
        offer_id: r.id("offer_id")?,
        order_id: r.id("order_id")?,
        friendly_name: r.get("friendly_name")?,
        quantity: r.get("quantity")?,
        status: r.parse("status", |s| known(SubscriptionStatus::parse(s), s))?,
        auto_renew: r.get("auto_renew")?,
        support_partner_id: r.id_opt("support_partner_id")?,
        effective_start: r.get("effective_start")?,
        commitment_end: r.get("commitment_end")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        version: r.get("version")?,
    })
}

/// A subscription by id; with `lock`, `FOR UPDATE` until the transaction ends.
pub(super) async fn find_subscription(
    conn: &mut PgConnection,
    id: SubscriptionId,
    lock: bool,
) -> StoreResult<Option<Subscription>> {
    let sql = if lock {
        "SELECT id, customer_id, partner_id, reseller_id, offer_id, order_id, friendly_name, quantity, status,
                auto_renew, support_partner_id, effective_start, commitment_end, created_at, updated_at, version
         FROM subscriptions WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT id, customer_id, partner_id, reseller_id, offer_id, order_id, friendly_name, quantity, status,
                auto_renew, support_partner_id, effective_start, commitment_end, created_at, updated_at, version
         FROM subscriptions WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(subscription_from_row)
        .transpose()
}

#[async_trait]
impl CommerceStore for PgTx {
    async fn insert_offer(&mut self, o: &Offer) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO offers (id, name, description, unit_type, term, unit_price_minor, currency, min_quantity,
                             max_quantity, countries, is_available, created_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(o.id.uuid())
        .bind(o.name.as_str())
        .bind(o.description.as_str())
        .bind(o.unit_type.as_str())
        .bind(o.term.as_str())
        .bind(o.unit_price_minor)
        .bind(o.currency.as_str())
        .bind(o.min_quantity)
        .bind(o.max_quantity)
        .bind(join_countries(&o.countries))
        .bind(o.is_available)
        .bind(o.created_at)
        .bind(o.version)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_offer(&mut self, id: OfferId) -> StoreResult<Option<Offer>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, name, description, unit_type, term, unit_price_minor, currency, min_quantity, max_quantity,
                countries, is_available, created_at, version
         FROM offers WHERE id = $1",
        )
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(offer_from_row)
        .transpose()
    }

    async fn update_offer(&mut self, o: &Offer) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE offers
         SET name = $3, description = $4, unit_type = $5, term = $6, unit_price_minor = $7, currency = $8,
             min_quantity = $9, max_quantity = $10, countries = $11, is_available = $12, version = version + 1
         WHERE id = $1 AND version = $2",
        )
        .bind(o.id.uuid())
        .bind(o.version)
        .bind(o.name.as_str())
        .bind(o.description.as_str())
        .bind(o.unit_type.as_str())
        .bind(o.term.as_str())
        .bind(o.unit_price_minor)
        .bind(o.currency.as_str())
        .bind(o.min_quantity)
        .bind(o.max_quantity)
        .bind(join_countries(&o.countries))
        .bind(o.is_available)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            let exists = "SELECT EXISTS (SELECT 1 FROM offers WHERE id = $1)";
            return Err(missed_update(conn, exists, o.id.uuid(), "offer").await);
        }
        Ok(())
    }

    async fn list_offers(&mut self, country: Option<&Country>) -> StoreResult<Vec<Offer>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, name, description, unit_type, term, unit_price_minor, currency, min_quantity, max_quantity,
                countries, is_available, created_at, version
         FROM offers
         WHERE $1::text IS NULL OR $1 = ANY (string_to_array(countries, ','))
         ORDER BY id",
        )
        .bind(country.map(Country::as_str))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(offer_from_row)
        .collect()
    }

    async fn insert_order(&mut self, order: &Order) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO orders (id, customer_id, partner_id, reseller_id, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(order.id.uuid())
        .bind(order.customer_id.uuid())
        .bind(order.partner_id.uuid())
        .bind(order.reseller_id.map(PartnerId::uuid))
        .bind(order.created_at)
        .bind(order.created_by.uuid())
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        for item in &order.line_items {
            sqlx::query(
            "INSERT INTO order_line_items (order_id, line_number, offer_id, quantity, friendly_name, subscription_id)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(order.id.uuid())
        .bind(item.line_number)
        .bind(item.offer_id.uuid())
        .bind(item.quantity)
        .bind(item.friendly_name.as_str())
        .bind(item.subscription_id.uuid())
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        }
        Ok(())
    }

    async fn find_order(&mut self, customer: CustomerId, id: OrderId) -> StoreResult<Option<Order>> {
        let conn: &mut PgConnection = &mut self.tx;
        let row = sqlx::query(
            "SELECT id, customer_id, partner_id, reseller_id, created_at, created_by
         FROM orders WHERE id = $1 AND customer_id = $2",
        )
        .bind(id.uuid())
        .bind(customer.uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let mut orders = [order_from_row(&row)?];
        attach_line_items(conn, &mut orders).await?;
        let [order] = orders;
        Ok(Some(order))
    }

    async fn list_orders(&mut self, customer: CustomerId, partner: Option<PartnerId>) -> StoreResult<Vec<Order>> {
        let conn: &mut PgConnection = &mut self.tx;
        let mut orders = sqlx::query(
            "SELECT id, customer_id, partner_id, reseller_id, created_at, created_by
         FROM orders WHERE customer_id = $1 AND ($2::uuid IS NULL OR partner_id = $2)
         ORDER BY id",
        )
        .bind(customer.uuid())
        .bind(partner.map(PartnerId::uuid))
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(order_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
        attach_line_items(conn, &mut orders).await?;
        Ok(orders)
    }

    async fn insert_subscription(&mut self, s: &Subscription) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO subscriptions (id, customer_id, partner_id, reseller_id, offer_id, order_id, friendly_name,
                                    quantity, status, auto_renew, support_partner_id, effective_start,
                                    commitment_end, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(s.id.uuid())
        .bind(s.customer_id.uuid())
        .bind(s.partner_id.uuid())
        .bind(s.reseller_id.map(PartnerId::uuid))
        .bind(s.offer_id.uuid())
        .bind(s.order_id.uuid())
        .bind(s.friendly_name.as_str())
        .bind(s.quantity)
        .bind(s.status.as_str())
        .bind(s.auto_renew)
        .bind(s.support_partner_id.map(PartnerId::uuid))
        .bind(s.effective_start)
        .bind(s.commitment_end)
        .bind(s.created_at)
        .bind(s.updated_at)
        .bind(s.version)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        find_subscription(&mut self.tx, id, false).await
    }

    async fn lock_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        find_subscription(&mut self.tx, id, true).await
    }

    async fn update_subscription(&mut self, s: &Subscription) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE subscriptions
         SET friendly_name = $3, quantity = $4, status = $5, auto_renew = $6, support_partner_id = $7,
             effective_start = $8, commitment_end = $9, updated_at = $10, version = version + 1
         WHERE id = $1 AND version = $2",
        )
        .bind(s.id.uuid())
        .bind(s.version)
        .bind(s.friendly_name.as_str())
        .bind(s.quantity)
        .bind(s.status.as_str())
        .bind(s.auto_renew)
        .bind(s.support_partner_id.map(PartnerId::uuid))
        .bind(s.effective_start)
        .bind(s.commitment_end)
        .bind(s.updated_at)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            let exists = "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE id = $1)";
            return Err(missed_update(conn, exists, s.id.uuid(), "subscription").await);
        }
        Ok(())
    }

    async fn list_customer_subscriptions(&mut self, customer: CustomerId) -> StoreResult<Vec<Subscription>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, customer_id, partner_id, reseller_id, offer_id, order_id, friendly_name, quantity, status,
                auto_renew, support_partner_id, effective_start, commitment_end, created_at, updated_at, version
         FROM subscriptions WHERE customer_id = $1 ORDER BY id",
        )
        .bind(customer.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(subscription_from_row)
        .collect()
    }
}
