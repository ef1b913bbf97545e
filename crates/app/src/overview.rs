//! The counts a partner's home page starts from.

use chrono::Duration;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::request::RequestState;
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_store::CustomerFilter;
use serde::Serialize;

use crate::{App, AppResult, Caller};

/// How far ahead "expiring soon" looks for delegated admin relationships.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

/// What a partner works with today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PartnerOverview {
    /// Customers with an active relationship.
    pub customers: i64,
    /// Subscriptions of those customers sold (or resold) by the partner, by status.
    pub active_subscriptions: i64,
    pub suspended_subscriptions: i64,
    /// Relationship requests sent and not yet answered, expired or revoked.
    pub pending_requests: i64,
    /// Delegated admin (GDAP) relationships in force that end within
    /// [`EXPIRING_WITHIN_DAYS`] days.
    pub delegated_admin_expiring: i64,
}

impl App {
    /// Partner: the counts of its home page, read in one transaction.
    pub async fn partner_overview(&self, caller: &Caller) -> AppResult<PartnerOverview> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let now = self.now();
        let mut tx = self.read().await?;
        let customers = tx.count_partner_customers(partner, &CustomerFilter::All).await?;
        let by_status = tx.count_partner_subscriptions(partner).await?;
        let count = |status| by_status.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
        let pending_requests = tx
            .list_partner_requests(partner)
            .await?
            .iter()
            .filter(|r| r.state == RequestState::Pending && r.expires_at > now)
            .count() as i64;
        let delegated_admin_expiring = tx
            .count_gdap_ending(partner, now, now + Duration::days(EXPIRING_WITHIN_DAYS))
            .await?;
        tx.rollback().await?;
        Ok(PartnerOverview {
            customers,
            active_subscriptions: count(SubscriptionStatus::Active),
            suspended_subscriptions: count(SubscriptionStatus::Suspended),
            pending_requests,
            delegated_admin_expiring,
        })
    }
}
