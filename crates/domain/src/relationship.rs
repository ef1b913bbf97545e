//! Reseller relationships (`active` → `closed`) and delegated admin (DAP, GDAP).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::{CustomerId, DapId, PartnerId, RelationshipId, UserId};

/// The state of a reseller relationship. Closed ones are history and are never deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipState {
    Active,
    Closed,
}

impl RelationshipState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// Who ended a relationship: the partner (rule 3) or the customer (rule 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosedBySide {
    Partner,
    Customer,
}

/// The link that lets a partner transact for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub id: RelationshipId,
    pub partner_id: PartnerId,
    pub customer_id: CustomerId,
    pub state: RelationshipState,
    /// The customer consented to delegated admin (DAP) when it accepted the request.
    pub dap_consented: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<UserId>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<UserId>,
    pub close_reason: Option<String>,
    pub version: i64,
}

impl Relationship {
    pub fn is_active(&self) -> bool {
        self.state == RelationshipState::Active
    }

    /// Closes an active relationship (rule 4). Refuses to close one twice.
    pub fn close(&mut self, by: UserId, at: DateTime<Utc>, reason: String) -> Result<(), DomainError> {
        if !self.is_active() {
            return Err(DomainError::NoActiveRelationship);
        }
        self.state = RelationshipState::Closed;
        self.closed_at = Some(at);
        self.closed_by = Some(by);
        self.close_reason = Some(reason);
        Ok(())
    }
}

/// A DAP grant: all-or-nothing delegated admin (legacy). Active while `ended_at` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DapGrant {
    pub id: DapId,
    pub partner_id: PartnerId,
    pub customer_id: CustomerId,
    pub granted_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by: Option<UserId>,
}

pub use crate::gdap::{GdapRelationship, GdapStatus};
