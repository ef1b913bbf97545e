//! Subscriptions: what a customer bought through a partner (its partner of record).
//! `active` ⇄ `suspended`, and either → `expired` | `deleted`, which are final.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::{CustomerId, OfferId, OrderId, PartnerId, SubscriptionId};

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Active,
    Suspended,
    Expired,
    Deleted,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Expired => "expired",
            Self::Deleted => "deleted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Suspended, Self::Expired, Self::Deleted]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// Something a customer has bought through a partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub customer_id: CustomerId,
    /// The partner that sold it and transacts for it (direct partner or indirect provider).
    pub partner_id: PartnerId,
    /// The indirect reseller it was sold through, when there is one.
    pub reseller_id: Option<PartnerId>,
    pub offer_id: OfferId,
    pub order_id: OrderId,
    pub friendly_name: String,
    pub quantity: i64,
    pub status: SubscriptionStatus,
    pub auto_renew: bool,
    /// The partner assigned as this subscription's support contact, if any.
    pub support_partner_id: Option<PartnerId>,
    pub effective_start: DateTime<Utc>,
    pub commitment_end: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl Subscription {
    /// Does this subscription hang on `partner`'s relationship with its customer?
    /// True for the partner that sold it and for the reseller it was sold through.
    pub fn belongs_to(&self, partner: PartnerId) -> bool {
        self.partner_id == partner || self.reseller_id == Some(partner)
    }

    /// Suspends it. Suspending a suspended one changes nothing. Returns whether it changed.
    pub fn suspend(&mut self, now: DateTime<Utc>) -> Result<bool, DomainError> {
        self.move_to(SubscriptionStatus::Suspended, "suspend", now)
    }

    /// Reactivates it. The caller must already hold an active relationship (rule 4).
    pub fn reactivate(&mut self, now: DateTime<Utc>) -> Result<bool, DomainError> {
        self.move_to(SubscriptionStatus::Active, "reactivate", now)
    }

    /// Cancels it for good.
    pub fn delete(&mut self, now: DateTime<Utc>) -> Result<bool, DomainError> {
        self.move_to(SubscriptionStatus::Deleted, "delete", now)
    }

    /// Expires it: a status reached with time, not by a user's action. Expiring an expired
    /// one changes nothing; a deleted one cannot expire.
    pub fn expire(&mut self, now: DateTime<Utc>) -> Result<bool, DomainError> {
        self.move_to(SubscriptionStatus::Expired, "expire", now)
    }

    fn move_to(
        &mut self,
        to: SubscriptionStatus,
        action: &'static str,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        use SubscriptionStatus::*;
        match (self.status, to) {
            (Deleted, _) => Err(DomainError::SubscriptionDeleted),
            (from, to) if from == to => Ok(false),
            (Expired, _) => Err(DomainError::InvalidTransition {
                entity: "subscription",
                action,
                state: "expired",
            }),
            (Active | Suspended, _) => {
                self.status = to;
                self.updated_at = now;
                Ok(true)
            }
        }
    }

    /// Changes the seat count, checked against the offer's bounds.
    pub fn set_quantity(
        &mut self,
        quantity: i64,
        offer: &crate::offer::Offer,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        if self.status == SubscriptionStatus::Deleted {
            return Err(DomainError::SubscriptionDeleted);
        }
        offer.check_quantity(quantity)?;
        if self.quantity == quantity {
            return Ok(false);
        }
        self.quantity = quantity;
        self.updated_at = now;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    pub(crate) fn subscription(status: SubscriptionStatus) -> Subscription {
        let now = Utc::now();
        Subscription {
            id: SubscriptionId(Uuid::now_v7()),
            customer_id: CustomerId(Uuid::nil()),
            partner_id: PartnerId(Uuid::nil()),
            reseller_id: None,
            offer_id: OfferId(Uuid::nil()),
            order_id: OrderId(Uuid::nil()),
            friendly_name: "Seats".into(),
            quantity: 5,
            status,
            auto_renew: true,
            support_partner_id: None,
            effective_start: now,
            commitment_end: now,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn suspend_and_reactivate_round_trip() {
        let mut s = subscription(SubscriptionStatus::Active);
        assert_eq!(s.suspend(Utc::now()), Ok(true));
        assert_eq!(s.suspend(Utc::now()), Ok(false));
        assert_eq!(s.reactivate(Utc::now()), Ok(true));
        assert_eq!(s.status, SubscriptionStatus::Active);
    }

    #[test]
    fn deleted_and_expired_subscriptions_do_not_move() {
        let mut d = subscription(SubscriptionStatus::Deleted);
        assert_eq!(d.reactivate(Utc::now()), Err(DomainError::SubscriptionDeleted));
        let mut e = subscription(SubscriptionStatus::Expired);
        assert!(matches!(
            e.reactivate(Utc::now()),
            Err(DomainError::InvalidTransition { .. })
        ));
        assert_eq!(e.status, SubscriptionStatus::Expired);
    }

    #[test]
    fn active_and_suspended_subscriptions_expire_once_and_deleted_ones_never() {
        for from in [SubscriptionStatus::Active, SubscriptionStatus::Suspended] {
            let mut s = subscription(from);
            assert_eq!(s.expire(Utc::now()), Ok(true));
            assert_eq!(s.status, SubscriptionStatus::Expired);
            assert_eq!(s.expire(Utc::now()), Ok(false));
        }
        let mut d = subscription(SubscriptionStatus::Deleted);
        assert_eq!(d.expire(Utc::now()), Err(DomainError::SubscriptionDeleted));
        assert_eq!(d.status, SubscriptionStatus::Deleted);
    }
}
