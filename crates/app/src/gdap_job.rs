//! The delegated admin job: what the clock does to GDAP relationships. A request not
//! approved within 90 days expires; at its end date a relationship expires or extends itself
//! by 180 days; 30 days before an end that will not extend, the warning is raised once.
//!
//! Any number of workers (nodes) may run it at once: each batch is claimed with the rows
//! locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL, one writer at a time on SQLite), and a
//! transition is applied only if the relationship, as read under that lock, is still due,
//! so each happens once. The warning mails the partner's global admins in the same
//! transaction. After downtime one run catches up: it takes batches until nothing
//! is due, and an extension moves the end date past now in one step.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::gdap::GdapDue;

use crate::audit::Change;
use crate::{App, AppResult};

/// Relationships handled per transaction.
const BATCH: u32 = 100;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DelegatedAdminJobReport {
    /// Requests not approved within 90 days, now `expired`.
    pub requests_expired: u64,
    /// Relationships that reached their end date, now `expired`.
    pub expired: u64,
    /// Relationships that extended themselves (each counted once per run).
    pub extended: u64,
    /// Expiry warnings raised (`granular-admin-relationship-expiring`).
    pub warned: u64,
}

impl DelegatedAdminJobReport {
    pub fn total(&self) -> u64 {
        self.requests_expired + self.expired + self.extended + self.warned
    }
}

impl App {
    /// Runs the job once, until nothing is due at the app's clock. Each transition is
    /// recorded (no caller) with its audit record and event in its batch's transaction.
    pub async fn run_delegated_admin_job(&self) -> AppResult<DelegatedAdminJobReport> {
        let mut report = DelegatedAdminJobReport::default();
        loop {
            let now = self.now();
            let mut tx = self.store().begin().await?;
            let claimed = tx.claim_gdap_due(now, BATCH).await?;
            let full = claimed.len() as u32 == BATCH;
            let mut done = 0u64;
            let mut changes = Vec::new();
            for mut g in claimed {
                let before = g.clone();
                let op = match g.due(now) {
                    Some(GdapDue::ExpireRequest) => {
                        g.expire_request(now)?;
                        report.requests_expired += 1;
                        Operation::ExpireGdapRequest
                    }
                    Some(GdapDue::Expire) => {
                        g.expire(now)?;
                        report.expired += 1;
                        Operation::ExpireGdap
                    }
                    Some(GdapDue::Extend) => {
                        g.extend(now)?;
                        report.extended += 1;
                        Operation::ExtendGdap
                    }
                    Some(GdapDue::Warn) => {
                        g.warn_expiring(now)?;
                        report.warned += 1;
                        Operation::WarnGdapExpiring
                    }
                    None => continue,
                };
                tx.update_gdap(&g).await?;
                g.version += 1;
                done += 1;
                if op == Operation::WarnGdapExpiring {
                    self.mail_gdap_expiring(tx.as_mut(), &g).await?;
                }
                let change = Change::new(None, op, g.id)
                    .partner(g.partner_id)
                    .customer_opt(g.customer_id);
                changes.push(change.with(Some(&before), Some(&g)));
            }
            self.record_all(tx.as_mut(), changes).await?;
            tx.commit().await?;
            // A full batch may leave more; a batch with nothing done means what is left is
            // being done by another worker.
            if !full || done == 0 {
                break;
            }
        }
        Ok(report)
    }
}
