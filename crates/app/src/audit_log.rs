//! Reading the audit log: a page of the records the caller may see (a partner those naming
//! it, a customer those naming it, the operator all), one record, and checking the hash
//! chains (`partnerdesk audit verify`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use partnerdesk_domain::audit::AuditRecord;
use partnerdesk_domain::audit_chain::{Broken, Verifier};
use partnerdesk_domain::org::OrgKind;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::{AuditId, CustomerId, PartnerId};
use partnerdesk_store::{AuditQuery, AuditScope};

use crate::{App, AppError, AppResult, Caller};

/// The most records a page holds.
pub const MAX_PAGE: u32 = 500;
/// Records read per statement while verifying.
const VERIFY_BATCH: u32 = 1000;

/// Which records to read: written in [`from`, `to`), matching every filter given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSearch {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub customer: Option<CustomerId>,
    /// A resource type as stored (snake_case, e.g. `partner_customer_relationship`).
    pub resource_type: Option<String>,
    /// A case-insensitive part of the customer's name when the change was made.
    pub company_contains: Option<SearchText>,
}

/// Where a page of records ends: the last record's time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    pub at: DateTime<Utc>,
    pub id: AuditId,
}

impl fmt::Display for AuditCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}|{}", self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ"), self.id)
    }
}

impl FromStr for AuditCursor {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (at, id) = s.split_once('|').ok_or(())?;
        Ok(Self {
            at: DateTime::parse_from_rfc3339(at).map_err(drop)?.with_timezone(&Utc),
            id: id.parse().map_err(drop)?,
        })
    }
}

/// A page of records and, when there may be more, where the next begins.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub items: Vec<AuditRecord>,
    pub next: Option<AuditCursor>,
}

/// The outcome of checking every chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every chain holds; this many records were checked.
    Holds { records: u64 },
    /// The first record (or chain end) that does not hold.
    Broken(Broken),
}

impl App {
    fn audit_scope(caller: &Caller) -> AppResult<AuditScope> {
        caller.authorize(Action::ViewAuditRecords)?;
        Ok(match caller.org_kind {
            OrgKind::Operator => AuditScope::All,
            OrgKind::Partner => AuditScope::Partner(PartnerId(caller.org_id.0)),
            OrgKind::Customer => AuditScope::Customer(CustomerId(caller.org_id.0)),
        })
    }

    /// A page of the audit records the caller may see, oldest first, after `after`.
    pub async fn audit_records(
        &self,
        caller: &Caller,
        search: &AuditSearch,
        after: Option<AuditCursor>,
        size: u32,
    ) -> AppResult<AuditPage> {
        let scope = Self::audit_scope(caller)?;
        let size = size.clamp(1, MAX_PAGE);
        let query = AuditQuery {
            scope,
            from: search.from,
            to: search.to,
            customer: search.customer,
            resource_type: search.resource_type.clone(),
            company_contains: search.company_contains.clone(),
            after: after.map(|c| (c.at, c.id)),
            limit: size + 1,
        };
        let mut tx = self.read().await?;
        let mut items = tx.query_audit(&query).await?;
        tx.rollback().await?;
        let next = (items.len() > size as usize).then(|| {
            items.truncate(size as usize);
            items.last().map(|r| AuditCursor { at: r.at, id: r.id })
        });
        Ok(AuditPage {
            items,
            next: next.flatten(),
        })
    }

    /// One audit record the caller may see; any other id is `not_found`.
    pub async fn audit_record(&self, caller: &Caller, id: AuditId) -> AppResult<AuditRecord> {
        let scope = Self::audit_scope(caller)?;
        let mut tx = self.read().await?;
        let found = tx.find_audit(id).await?;
        tx.rollback().await?;
        let visible = found.filter(|r| match scope {
            AuditScope::All => true,
            AuditScope::Partner(p) => r.partner_id == Some(p),
            AuditScope::Customer(c) => r.customer_id == Some(c),
        });
        visible.ok_or(AppError::NotFound("audit record"))
    }

    /// Checks every hash chain of the audit log: the heads, then each chain's records in
    /// order, a batch at a time, all in one read transaction (one snapshot).
    pub async fn verify_audit(&self) -> AppResult<Verification> {
        let mut tx = self.read().await?;
        let heads = tx.list_audit_chains().await?;
        let mut verifier = Verifier::new(heads);
        let mut after = None;
        loop {
            let batch = tx.list_chained_audit(after, VERIFY_BATCH).await?;
            for record in &batch {
                if let Err(broken) = verifier.next(record) {
                    tx.rollback().await?;
                    return Ok(Verification::Broken(broken));
                }
            }
            match batch.last().and_then(|r| r.link.as_ref()) {
                Some(link) if batch.len() == VERIFY_BATCH as usize => after = Some((link.chain_id, link.seq)),
                _ => break,
            }
        }
        tx.rollback().await?;
        Ok(match verifier.finish() {
            Ok(records) => Verification::Holds { records },
            Err(broken) => Verification::Broken(broken),
        })
    }
}
