//! Tenant isolation: what a caller may see of a customer. Every use case that takes a
//! customer id goes through here, so handlers never decide visibility.

use partnerdesk_domain::relationship::Relationship;
use partnerdesk_domain::{CustomerId, DomainError, PartnerId};
use partnerdesk_store::Tx;

use crate::{AppError, AppResult};

/// The partner's active relationship with the customer, locked for the rest of the
/// transaction when `lock` is set (orders, reactivation, removal: rule 9).
///
/// A partner that once had a relationship gets `no_active_relationship` (it knows the
/// customer); any other partner gets `NotFound`, as for an id that does not exist.
pub(crate) async fn active_relationship(
    tx: &mut dyn Tx,
    partner: PartnerId,
    customer: CustomerId,
    lock: bool,
) -> AppResult<Relationship> {
    let found = if lock {
        tx.lock_active_relationship(partner, customer).await?
    } else {
        tx.find_active_relationship(partner, customer).await?
    };
    if let Some(rel) = found {
        return Ok(rel);
    }
    let history = tx.list_customer_relationships(customer).await?;
    if history.iter().any(|r| r.partner_id == partner) {
        Err(DomainError::NoActiveRelationship.into())
    } else {
        Err(AppError::NotFound("customer"))
    }
}
