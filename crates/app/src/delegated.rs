//! Delegated admin: DAP grants (with the customer's consent from the request) and the
//! customer's right to remove a partner's admin roles at any time (rule 8).

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::relationship::{DapGrant, Relationship};
use partnerdesk_domain::{CustomerId, DapId, DomainError, PartnerId};

use crate::access::active_relationship;
use crate::audit::Change;
use crate::{App, AppError, AppResult, Caller};

/// What ended when a customer removed a partner's admin roles.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AdminRolesRemoved {
    pub dap_ended: usize,
    pub gdap_terminated: usize,
}

impl App {
    /// Partner: takes up DAP over a customer that consented to it in the accepted request.
    /// Granting twice changes nothing and returns the active grant.
    pub async fn approve_dap(&self, caller: &Caller, customer: CustomerId) -> AppResult<DapGrant> {
        self.grant_dap_if(caller, customer, None).await
    }

    /// As [`App::approve_dap`], refused with `VersionConflict` when the relationship's
    /// version is not `expected_version`. A grant bumps the version (the customer's ETag).
    pub async fn grant_dap_if(
        &self,
        caller: &Caller,
        customer: CustomerId,
        expected_version: Option<i64>,
    ) -> AppResult<DapGrant> {
        caller.authorize(Action::ManageDelegatedAdmin)?;
        let partner = caller.partner_id(Action::ManageDelegatedAdmin)?;
        let mut tx = self.write().await?;
        let rel = active_relationship(tx.as_mut(), partner, customer, true).await?;
        check_version(&rel, expected_version)?;
        if !rel.dap_consented {
            return Err(DomainError::DelegatedAdminNotConsented.into());
        }
        if let Some(active) = tx
            .list_dap(partner, customer)
            .await?
            .into_iter()
            .find(|d| d.ended_at.is_none())
        {
            return Ok(active);
        }
        let grant = DapGrant {
            id: DapId(self.new_id()),
            partner_id: partner,
            customer_id: customer,
            granted_at: self.now(),
            ended_at: None,
            ended_by: None,
        };
        tx.insert_dap(&grant).await?;
        tx.update_relationship(&rel).await?;
        let change = Change::new(Some(caller), Operation::ApproveDap, grant.id)
            .partner(partner)
            .customer(customer);
        self.record(tx.as_mut(), change, None::<&()>, Some(&grant)).await?;
        tx.commit().await?;
        Ok(grant)
    }

    /// Partner: gives up its DAP over a customer. Returns how many grants ended.
    pub async fn terminate_dap(&self, caller: &Caller, customer: CustomerId) -> AppResult<usize> {
        self.revoke_dap_if(caller, customer, None).await
    }

    /// As [`App::terminate_dap`], refused with `VersionConflict` when the relationship's
    /// version is not `expected_version`. Ending a grant bumps the version.
    pub async fn revoke_dap_if(
        &self,
        caller: &Caller,
        customer: CustomerId,
        expected_version: Option<i64>,
    ) -> AppResult<usize> {
        caller.authorize(Action::ManageDelegatedAdmin)?;
        let partner = caller.partner_id(Action::ManageDelegatedAdmin)?;
        let mut tx = self.write().await?;
        let rel = active_relationship(tx.as_mut(), partner, customer, true).await?;
        check_version(&rel, expected_version)?;
        let ended = self
            .end_admin_roles(tx.as_mut(), caller, partner, customer, false)
            .await?;
        if ended.dap_ended > 0 {
            tx.update_relationship(&rel).await?;
        }
        tx.commit().await?;
        Ok(ended.dap_ended)
    }

    /// Customer global admin: ends every DAP and GDAP of a partner over it (rule 8). The
    /// reseller relationship stays.
    pub async fn remove_partner_admin_roles(
        &self,
        caller: &Caller,
        partner: PartnerId,
    ) -> AppResult<AdminRolesRemoved> {
        caller.authorize(Action::RemovePartnerAdminRoles)?;
        let customer = caller.customer_id(Action::RemovePartnerAdminRoles)?;
        let mut tx = self.write().await?;
        let related = tx
            .list_customer_relationships(customer)
            .await?
            .iter()
            .any(|r| r.partner_id == partner);
        if !related {
            return Err(AppError::NotFound("partner"));
        }
        let ended = self
            .end_admin_roles(tx.as_mut(), caller, partner, customer, true)
            .await?;
        // Removing the roles withdraws the consent the customer gave with the request, so
        // the partner cannot take DAP back; a new request with delegated admin asks again.
        if let Some(mut rel) = tx.lock_active_relationship(partner, customer).await? {
            if rel.dap_consented {
                rel.dap_consented = false;
                tx.update_relationship(&rel).await?;
            }
        }
        tx.commit().await?;
        Ok(ended)
    }

    async fn end_admin_roles(
        &self,
        tx: &mut dyn partnerdesk_store::Tx,
        caller: &Caller,
        partner: PartnerId,
        customer: CustomerId,
        include_gdap: bool,
    ) -> AppResult<AdminRolesRemoved> {
        let now = self.now();
        let mut out = AdminRolesRemoved::default();
        for dap in tx
            .list_dap(partner, customer)
            .await?
            .into_iter()
            .filter(|d| d.ended_at.is_none())
        {
            tx.end_dap(dap.id, now, Some(caller.user_id)).await?;
            let change = Change::new(Some(caller), Operation::TerminateDap, dap.id)
                .partner(partner)
                .customer(customer);
            self.record(tx, change, Some(&dap), None::<&()>).await?;
            out.dap_ended += 1;
        }
        if include_gdap {
            for listed in tx.list_gdap(partner, customer).await? {
                // Locked and read again: the delegated admin job may have changed it since.
                let Some(mut gdap) = tx.lock_gdap(listed.id).await? else {
                    continue;
                };
                let before = gdap.clone();
                if !gdap.terminate_for_removal(now) {
                    continue;
                }
                tx.update_gdap(&gdap).await?;
                gdap.version += 1;
                let change = Change::new(Some(caller), Operation::TerminateGdap, gdap.id)
                    .partner(partner)
                    .customer(customer);
                self.record(tx, change, Some(&before), Some(&gdap)).await?;
                out.gdap_terminated += 1;
            }
        }
        Ok(out)
    }
}

/// The `If-Match` check of a change to a customer as its partner sees it: the ETag is the
/// version of the partner's active relationship.
fn check_version(rel: &Relationship, expected_version: Option<i64>) -> AppResult<()> {
    if expected_version.is_some_and(|v| v != rel.version) {
        return Err(AppError::VersionConflict("customer"));
    }
    Ok(())
}
