//! The customer's side: its partners, active and (on request) closed, with their rights.

use chrono::{DateTime, Utc};
use partnerdesk_domain::org::Partner;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::relationship::{GdapStatus, RelationshipState};
use serde::Serialize;

use crate::{App, AppResult, Caller};

/// One of the customer's partners and what it may do.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerOfCustomer {
    pub partner: Partner,
    pub state: RelationshipState,
    pub since: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Holds DAP now.
    pub dap: bool,
    /// GDAP relationships in force (not ended).
    pub gdap_active: usize,
}

impl App {
    /// Customer user: its partners. Closed relationships appear only with `include_closed`.
    pub async fn list_my_partners(&self, caller: &Caller, include_closed: bool) -> AppResult<Vec<PartnerOfCustomer>> {
        caller.authorize(Action::ViewOwnPartners)?;
        let customer = caller.customer_id(Action::ViewOwnPartners)?;
        let mut tx = self.store().read().await?;
        let mut out = Vec::new();
        for rel in tx.list_customer_relationships(customer).await? {
            if !rel.is_active() && !include_closed {
                continue;
            }
            let Some(partner) = tx.find_partner(rel.partner_id).await? else {
                continue;
            };
            let active = rel.is_active();
            let dap = active
                && tx
                    .list_dap(rel.partner_id, customer)
                    .await?
                    .iter()
                    .any(|d| d.ended_at.is_none());
            let gdap_active = if active {
                tx.list_gdap(rel.partner_id, customer)
                    .await?
                    .iter()
                    .filter(|g| matches!(g.status, GdapStatus::Active | GdapStatus::Expiring))
                    .count()
            } else {
                0
            };
            out.push(PartnerOfCustomer {
                partner,
                state: rel.state,
                since: rel.created_at,
                closed_at: rel.closed_at,
                dap,
                gdap_active,
            });
        }
        Ok(out)
    }
}
