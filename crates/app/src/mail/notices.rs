//! The notices about delegated admin: an approval request to the customer's global admins,
//! and the 30-day warning to the partner's global admins. Each is queued in the transaction
//! of the change that raises it.

use partnerdesk_domain::org::Role;
use partnerdesk_domain::relationship::GdapRelationship;
use partnerdesk_store::Tx;

use super::Message;
use crate::{App, AppResult};

impl App {
    /// A relationship locked for approval with a customer named: its global admins get the
    /// approval link.
    pub(crate) async fn mail_gdap_approval(&self, tx: &mut dyn Tx, g: &GdapRelationship) -> AppResult<()> {
        let Some(customer_id) = g.customer_id.filter(|_| self.mail_enabled()) else {
            return Ok(());
        };
        let (Some(partner), Some(customer)) = (
            tx.find_partner(g.partner_id).await?,
            tx.find_customer(customer_id).await?,
        ) else {
            return Ok(());
        };
        let culture = customer.company.culture.as_str().to_string();
        let to = self
            .mail_to_roles(tx, customer_id.into(), &[Role::CustomerGlobalAdmin], Some(&culture))
            .await?;
        let message = Message::GdapApprovalRequest {
            partner: partner.name.as_str().to_string(),
            customer: customer.company.company_name.as_str().to_string(),
            name: g.display_name.clone(),
            days: g.duration_days,
            link: self.link(&format!("/partners/admin-relationships/{}", g.id)),
        };
        self.queue_mail(tx, &to, &message).await
    }

    /// A relationship ending within 30 days without extending itself: the partner's global
    /// admins are told, with a link to it.
    pub(crate) async fn mail_gdap_expiring(&self, tx: &mut dyn Tx, g: &GdapRelationship) -> AppResult<()> {
        if !self.mail_enabled() {
            return Ok(());
        }
        let customer = match (g.customer_id, &g.customer_display_name) {
            (_, Some(name)) => name.clone(),
            (Some(id), None) => tx
                .find_customer(id)
                .await?
                .map(|c| c.company.company_name.as_str().to_string())
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        let to = self
            .mail_to_roles(tx, g.partner_id.into(), &[Role::PartnerGlobalAdmin], None)
            .await?;
        let message = Message::GdapExpiring {
            customer,
            name: g.display_name.clone(),
            date: g.ends_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            link: self.link(&format!("/gdap/{}", g.id)),
        };
        self.queue_mail(tx, &to, &message).await
    }

    /// An absolute link to `path` on this installation.
    pub(crate) fn link(&self, path: &str) -> String {
        format!("{}{path}", self.config().public_url.trim_end_matches('/'))
    }
}
