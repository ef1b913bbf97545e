//! Bulk loading for the data generator (`demo --scale`): many rows in one transaction with
//! far fewer round trips than one statement per row. The rows end up exactly as the per-row
//! methods and the triggers would leave them: the same columns and keys, the customer list
//! and the per-partner counts kept by the same triggers, and the audit records linked onto
//! their partners' hash chains in the same transaction.
//!
//! Only the generator writes this way: it trusts its rows (no conflict is turned into a
//! domain error, an error rolls the whole batch back).

use partnerdesk_domain::audit::AuditRecord;
use partnerdesk_domain::offer::Order;
use partnerdesk_domain::org::Customer;
use partnerdesk_domain::relationship::{GdapRelationship, Relationship};
use partnerdesk_domain::subscription::Subscription;

use crate::{Store, StoreResult};

/// What one bulk transaction writes. Customers come before the relationships that name
/// them, orders before their subscriptions.
#[derive(Debug, Default, Clone)]
pub struct BulkRows {
    pub customers: Vec<Customer>,
    pub relationships: Vec<Relationship>,
    pub orders: Vec<Order>,
    pub subscriptions: Vec<Subscription>,
    pub gdap: Vec<GdapRelationship>,
    /// Unlinked records: each is linked onto its chain in the transaction.
    pub audits: Vec<AuditRecord>,
}

impl Store {
    /// Writes `rows` in one transaction: SQLite in one call on the writer with prepared
    /// statements (one blocking hop instead of one per row), PostgreSQL with one
    /// multi-row statement per table (arrays unnested into rows).
    pub async fn bulk_load(&self, rows: BulkRows) -> StoreResult<()> {
        match self {
            Store::Sqlite(s) => s.bulk_load(rows).await,
            Store::Postgres(s) => s.bulk_load(rows).await,
        }
    }
}
