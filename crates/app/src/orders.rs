//! Orders: a partner buys offers for a customer it has an active relationship with; each
//! line creates a subscription with the partner as partner of record.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::offer::{LineItem, Order};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::Name;
use partnerdesk_domain::{CustomerId, DomainError, OfferId, OrderId, PartnerId, SubscriptionId};
use serde::Serialize;

use crate::access::active_relationship;
use crate::audit::Change;
use crate::{App, AppError, AppResult, Caller};

/// One line of an order, as entered.
#[derive(Debug, Clone)]
pub struct LineInput {
    pub offer_id: OfferId,
    pub quantity: i64,
    pub friendly_name: Option<String>,
}

/// The most lines one order may carry.
pub const MAX_LINES: usize = 50;

/// A placed order and the subscriptions it created.
#[derive(Debug, Clone, Serialize)]
pub struct PlacedOrder {
    pub order: Order,
    pub subscriptions: Vec<Subscription>,
}

impl App {
    /// Partner: places an order for a customer. Refused without an active relationship
    /// (rule 4: a removed partner may not buy), and for quantities outside the offer's bounds.
    /// An indirect provider may name one of its resellers as partner of record.
    pub async fn create_order(
        &self,
        caller: &Caller,
        customer_id: CustomerId,
        lines: Vec<LineInput>,
        reseller: Option<PartnerId>,
    ) -> AppResult<PlacedOrder> {
        caller.authorize(Action::CreateOrder)?;
        let partner = caller.partner_id(Action::CreateOrder)?;
        if lines.is_empty() || lines.len() > MAX_LINES {
            return Err(DomainError::InvalidProperty {
                property: "lineItems",
                reason: partnerdesk_domain::Reason::TooManyLines { max: MAX_LINES },
            }
            .into());
        }
        let now = self.now();
        let mut tx = self.write().await?;
        // The lock on the relationship is what orders this purchase against a removal (rule 9).
        active_relationship(tx.as_mut(), partner, customer_id, true).await?;
        if let Some(reseller) = reseller {
            if tx.find_provider_of(reseller).await? != Some(partner) {
                return Err(DomainError::InvalidProperty {
                    property: "partnerIdOnRecord",
                    reason: partnerdesk_domain::Reason::NotYourReseller,
                }
                .into());
            }
            if tx.find_active_relationship(reseller, customer_id).await?.is_none() {
                return Err(DomainError::InvalidProperty {
                    property: "partnerIdOnRecord",
                    reason: partnerdesk_domain::Reason::ResellerNotRelated,
                }
                .into());
            }
        }
        let customer = tx
            .find_customer(customer_id)
            .await?
            .ok_or(AppError::NotFound("customer"))?;
        let order_id = OrderId(self.new_id());
        let mut items = Vec::with_capacity(lines.len());
        let mut subscriptions = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let offer = tx
                .find_offer(line.offer_id)
                .await?
                .ok_or(DomainError::InvalidProperty {
                    property: "offerId",
                    reason: partnerdesk_domain::Reason::NoSuchOffer(line.offer_id),
                })?;
            offer.check_orderable(&customer.company.country)?;
            offer.check_quantity(line.quantity)?;
            let friendly_name = match &line.friendly_name {
                Some(n) if !n.trim().is_empty() => Name::parse("friendlyName", n)?.as_str().to_string(),
                _ => offer.name.as_str().to_string(),
            };
            let sub = Subscription {
                id: SubscriptionId(self.new_id()),
                customer_id,
                partner_id: partner,
                reseller_id: reseller,
                offer_id: offer.id,
                order_id,
                friendly_name: friendly_name.clone(),
                quantity: line.quantity,
                status: SubscriptionStatus::Active,
                auto_renew: true,
                support_partner_id: None,
                effective_start: now,
                commitment_end: offer.term.end_from(now),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            items.push(LineItem {
                line_number: i as i64,
                offer_id: offer.id,
                quantity: line.quantity,
                friendly_name,
                subscription_id: sub.id,
            });
            subscriptions.push(sub);
        }
        let order = Order {
            id: order_id,
            customer_id,
            partner_id: partner,
            reseller_id: reseller,
            line_items: items,
            created_at: now,
            created_by: caller.user_id,
        };
        tx.insert_order(&order).await?;
        for sub in &subscriptions {
            tx.insert_subscription(sub).await?;
        }
        let change = Change::new(Some(caller), Operation::CreateOrder, order.id)
            .partner(partner)
            .customer(customer_id);
        self.record(tx.as_mut(), change, None::<&()>, Some(&order)).await?;
        tx.commit().await?;
        Ok(PlacedOrder { order, subscriptions })
    }

    /// Partner: its orders for a customer it works with.
    pub async fn list_orders(&self, caller: &Caller, customer: CustomerId) -> AppResult<Vec<Order>> {
        caller.authorize(Action::ViewSubscriptions)?;
        let partner = caller.partner_id(Action::ViewSubscriptions)?;
        let mut tx = self.read().await?;
        active_relationship(tx.as_mut(), partner, customer, false).await?;
        Ok(tx.list_orders(customer, Some(partner)).await?)
    }

    /// Partner: one of its orders.
    pub async fn get_order(&self, caller: &Caller, customer: CustomerId, id: OrderId) -> AppResult<Order> {
        caller.authorize(Action::ViewSubscriptions)?;
        let partner = caller.partner_id(Action::ViewSubscriptions)?;
        let mut tx = self.read().await?;
        active_relationship(tx.as_mut(), partner, customer, false).await?;
        tx.find_order(customer, id)
            .await?
            .filter(|o| o.partner_id == partner)
            .ok_or(AppError::NotFound("order"))
    }
}
