//! An indirect provider's links to its indirect resellers.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::{Partner, PartnerType, ResellerLink};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{ConflictKind, DomainError, PartnerId};

use crate::audit::Change;
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// Indirect provider: links an indirect reseller to itself.
    pub async fn link_indirect_reseller(&self, caller: &Caller, reseller: PartnerId) -> AppResult<ResellerLink> {
        caller.authorize(Action::ManageResellerLinks)?;
        let provider = caller.partner_id(Action::ManageResellerLinks)?;
        let mut tx = self.write().await?;
        let partner = tx.find_partner(reseller).await?.ok_or(AppError::NotFound("partner"))?;
        if partner.partner_type != PartnerType::IndirectReseller {
            return Err(DomainError::InvalidProperty {
                property: "resellerId",
                reason: partnerdesk_domain::Reason::NotAnIndirectReseller,
            }
            .into());
        }
        match tx.find_provider_of(reseller).await? {
            Some(p) if p == provider => {
                return Err(AppError::Conflict(ConflictKind::ResellerAlreadyLinked));
            }
            Some(_) => return Err(AppError::Conflict(ConflictKind::ResellerHasProvider)),
            None => {}
        }
        let link = ResellerLink {
            provider_id: provider,
            reseller_id: reseller,
            created_at: self.now(),
        };
        tx.insert_reseller_link(&link).await?;
        let change = Change::new(Some(caller), Operation::LinkIndirectReseller, reseller).partner(provider);
        self.record(tx.as_mut(), change, None::<&()>, Some(&link)).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// Indirect provider: unlinks one of its resellers.
    pub async fn unlink_indirect_reseller(&self, caller: &Caller, reseller: PartnerId) -> AppResult<()> {
        caller.authorize(Action::ManageResellerLinks)?;
        let provider = caller.partner_id(Action::ManageResellerLinks)?;
        let mut tx = self.write().await?;
        if !tx.delete_reseller_link(provider, reseller).await? {
            return Err(AppError::NotFound("indirect reseller link"));
        }
        let change = Change::new(Some(caller), Operation::UnlinkIndirectReseller, reseller).partner(provider);
        self.record(tx.as_mut(), change, None::<&()>, None::<&()>).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Indirect provider: its resellers.
    pub async fn list_resellers(&self, caller: &Caller) -> AppResult<Vec<ResellerLink>> {
        let provider = caller.partner_id(Action::ManageResellerLinks)?;
        let mut tx = self.read().await?;
        Ok(tx.list_reseller_links(provider).await?)
    }

    /// Partner: the partners it is linked with as an indirect provider (its resellers,
    /// `resellers = true`) or as an indirect reseller (its provider, `resellers = false`).
    pub async fn linked_partners(&self, caller: &Caller, resellers: bool) -> AppResult<Vec<Partner>> {
        let me = caller.partner_id(Action::ViewCustomers)?;
        let mut tx = self.read().await?;
        let ids: Vec<PartnerId> = if resellers {
            tx.list_reseller_links(me)
                .await?
                .into_iter()
                .map(|l| l.reseller_id)
                .collect()
        } else {
            tx.find_provider_of(me).await?.into_iter().collect()
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(p) = tx.find_partner(id).await? {
                out.push(p);
            }
        }
        Ok(out)
    }
}
