//! Granular delegated admin (GDAP), shaped like Microsoft Graph's
//! `delegatedAdminRelationship`: a partner asks a customer for named roles for a bounded
//! time; the customer's global admin approves; the relationship ends by termination or at
//! its end date, unless it extends itself.
//!
//! The status machine (Graph's statuses; the transient ones are passed through in one step):
//!
//! ```text
//! created ──lock_for_approval──▶ approvalPending ──approve──▶ (approved → activating →) active
//!    │                               │  │                                        │  ▲
//!  delete                       reject  expire_request (90 days)      warn (30 days) extend
//!                                    │  ▼                                        ▼  │
//!                                    │ expired ◀──────────expire (ends_at)──── expiring
//!                                    ▼
//!   terminated ◀── (terminationRequested → terminating →) ── terminate (approvalPending, active, expiring)
//! ```
//!
//! Graph has no `rejected` status: a rejected request ends `terminated` (the relationship
//! never granted anything and cannot be used again), which is also where Partner Center
//! puts a relationship the customer ends. `expired` is kept for the clock: a request not
//! approved in 90 days, or a relationship reaching its end date without extending.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Reason};
use crate::ids::{
    AssignmentId, CustomerId, GdapId, GdapOperationId, GdapRequestId, PartnerId, SecurityGroupId, UserId,
};

/// Microsoft Entra's Global Administrator role: a relationship with it never extends itself.
pub const GLOBAL_ADMINISTRATOR_ROLE: &str = "62e90394-69f5-4237-9190-012177145e10";
/// How long the customer has to approve a locked relationship.
pub const APPROVAL_WINDOW_DAYS: i64 = 90;
/// How far ahead the expiry warning is raised.
pub const EXPIRY_WARNING_DAYS: i64 = 30;
/// The one auto-extension period Graph allows.
pub const AUTO_EXTEND_DAYS: i64 = 180;
/// The longest a relationship may last.
pub const MAX_DURATION_DAYS: i64 = 730;
/// The longest display name.
pub const MAX_DISPLAY_NAME_CHARS: usize = 50;

/// GDAP statuses, as Microsoft Graph names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GdapStatus {
    Created,
    ApprovalPending,
    Approved,
    Activating,
    Active,
    Expiring,
    Expired,
    TerminationRequested,
    Terminating,
    Terminated,
}

impl GdapStatus {
    pub const ALL: [GdapStatus; 10] = [
        Self::Created,
        Self::ApprovalPending,
        Self::Approved,
        Self::Activating,
        Self::Active,
        Self::Expiring,
        Self::Expired,
        Self::TerminationRequested,
        Self::Terminating,
        Self::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::ApprovalPending => "approvalPending",
            Self::Approved => "approved",
            Self::Activating => "activating",
            Self::Active => "active",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::TerminationRequested => "terminationRequested",
            Self::Terminating => "terminating",
            Self::Terminated => "terminated",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
    /// Ended relationships grant nothing and cannot change any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Expired | Self::Terminated)
    }
    /// In force: the roles are granted (until `ends_at`).
    pub fn is_in_force(self) -> bool {
        matches!(self, Self::Active | Self::Expiring)
    }
}

/// How long a relationship lasts once approved: 1 to 730 days, written `P{n}D`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GdapDuration(i64);

impl GdapDuration {
    /// Parses an ISO-8601 duration: `PnD`, `PnW`, `P1Y` (365 days) or `P2Y` (730 days),
    /// between 1 and 730 days. Anything else (e.g. `"730 days, 0:00:00"`) is refused with
    /// `invalid_gdap_duration`.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::InvalidGdapDuration {
            value: value.to_string(),
        };
        let rest = value.strip_prefix('P').ok_or_else(bad)?;
        // The unit is the last character, which may take more than one byte ("P1é").
        let last = rest.char_indices().last().map_or(0, |(at, _)| at);
        let (digits, unit) = rest.split_at(last);
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: i64 = digits.parse().map_err(|_| bad())?;
        let days = match unit {
            "D" => n,
            "W" => n * 7,
            "Y" if n == 1 || n == 2 => n * 365,
            _ => return Err(bad()),
        };
        Self::from_days(days).ok_or_else(bad)
    }
    pub fn from_days(days: i64) -> Option<Self> {
        (1..=MAX_DURATION_DAYS).contains(&days).then_some(Self(days))
    }
    pub fn days(self) -> i64 {
        self.0
    }
    /// `P{n}D`, as Graph writes it back.
    pub fn iso(self) -> String {
        format!("P{}D", self.0)
    }
}

/// Whether a relationship extends itself at its end date: not at all, or by 180 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AutoExtend {
    /// `PT0S` (also accepted as `P0D`).
    None,
    /// `P180D`.
    By180Days,
}

impl AutoExtend {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        match value {
            "PT0S" | "P0D" => Ok(Self::None),
            "P180D" => Ok(Self::By180Days),
            _ => Err(DomainError::InvalidGdapAutoExtend {
                value: value.to_string(),
            }),
        }
    }
    pub fn from_days(days: i64) -> Self {
        if days > 0 {
            Self::By180Days
        } else {
            Self::None
        }
    }
    pub fn days(self) -> i64 {
        match self {
            Self::None => 0,
            Self::By180Days => AUTO_EXTEND_DAYS,
        }
    }
    /// `PT0S` or `P180D`, as Graph writes it.
    pub fn iso(self) -> &'static str {
        match self {
            Self::None => "PT0S",
            Self::By180Days => "P180D",
        }
    }
}

/// A GDAP relationship: named roles, time-bound, approved by the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GdapRelationship {
    pub id: GdapId,
    pub partner_id: PartnerId,
    /// Named at creation, or bound by the customer that approves it.
    pub customer_id: Option<CustomerId>,
    /// The customer's company name once it is known.
    pub customer_display_name: Option<String>,
    pub display_name: String,
    pub status: GdapStatus,
    /// Role definition ids granted (ids of the role catalogue).
    pub roles: Vec<String>,
    pub duration_days: i64,
    /// 0 (none) or 180.
    pub auto_extend_days: i64,
    pub created_at: DateTime<Utc>,
    pub last_modified_at: DateTime<Utc>,
    /// When it was locked for approval: the 90-day approval clock starts.
    pub locked_at: Option<DateTime<Utc>>,
    pub activated_at: Option<DateTime<Utc>>,
    /// `activated_at + duration`, moved on by each extension.
    pub ends_at: Option<DateTime<Utc>>,
    /// When it was terminated or expired.
    pub ended_at: Option<DateTime<Utc>>,
    /// When the 30-day expiry warning was raised for the current `ends_at`.
    pub expiry_warned_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// Which relationships a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GdapFilter {
    pub status: Option<GdapStatus>,
    pub customer: Option<CustomerId>,
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GdapDraft {
    pub display_name: String,
    pub duration: GdapDuration,
    pub roles: Vec<String>,
    pub customer: Option<CustomerId>,
    pub auto_extend: AutoExtend,
}

/// A change asked for with PATCH: only the fields given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GdapChanges {
    pub display_name: Option<String>,
    pub duration: Option<GdapDuration>,
    pub roles: Option<Vec<String>>,
    pub customer: Option<CustomerId>,
    pub auto_extend: Option<AutoExtend>,
}

/// What a patch changed that the caller must know of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PatchOutcome {
    /// The roles of an active relationship changed: Graph reports this as an operation.
    pub roles_changed_in_force: bool,
    /// Anything changed at all.
    pub changed: bool,
}

/// What the background job must do with a relationship at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GdapDue {
    /// Not approved within 90 days of being locked.
    ExpireRequest,
    /// Reached its end date and does not extend.
    Expire,
    /// Reached its end date and extends itself.
    Extend,
    /// Ends within 30 days and will not extend; not warned yet.
    Warn,
}

/// Validates a display name: 1 to 50 characters after trimming.
pub fn validate_display_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::invalid("displayName", Reason::Empty));
    }
    if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(DomainError::invalid(
            "displayName",
            Reason::TooLong {
                max: MAX_DISPLAY_NAME_CHARS,
            },
        ));
    }
    Ok(name.to_string())
}

/// Validates role ids: no empty id, no duplicates (kept in the order given).
fn validate_roles(roles: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::with_capacity(roles.len());
    for r in roles {
        let r = r.trim().to_ascii_lowercase();
        if r.is_empty() || r.contains(',') {
            return Err(DomainError::invalid("roleDefinitionId", Reason::NotACatalogueRole));
        }
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

fn has_global_admin(roles: &[String]) -> bool {
    roles.iter().any(|r| r == GLOBAL_ADMINISTRATOR_ROLE)
}

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The name Graph uses.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

named_enum!(
    /// What a request on a relationship asks for (`POST .../{id}/requests`).
    GdapAction {
        LockForApproval => "lockForApproval",
        Approve => "approve",
        Reject => "reject",
        Terminate => "terminate",
    }
);

named_enum!(
    /// Graph's `delegatedAdminRelationshipRequestStatus`.
    GdapRequestStatus {
        Created => "created",
        Pending => "pending",
        Succeeded => "succeeded",
        Failed => "failed",
    }
);

named_enum!(
    /// Graph's `delegatedAdminRelationshipOperationType`.
    GdapOperationType {
        AccessAssignmentUpdate => "delegatedAdminAccessAssignmentUpdate",
        RelationshipUpdate => "delegatedAdminRelationshipUpdate",
    }
);

named_enum!(
    /// Graph's `longRunningOperationStatus`.
    GdapOperationStatus {
        NotStarted => "notStarted",
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
    }
);

named_enum!(
    /// Graph's `delegatedAdminAccessAssignmentStatus`.
    AssignmentStatus {
        Pending => "pending",
        Active => "active",
        Deleting => "deleting",
        Deleted => "deleted",
        Error => "error",
    }
);

/// A request made on a relationship, kept as Graph lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GdapRequest {
    pub id: GdapRequestId,
    pub relationship_id: GdapId,
    pub action: GdapAction,
    pub status: GdapRequestStatus,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub last_modified_at: DateTime<Utc>,
}

/// A long-running operation on a relationship (a role change on an active one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GdapOperation {
    pub id: GdapOperationId,
    pub relationship_id: GdapId,
    pub operation_type: GdapOperationType,
    pub status: GdapOperationStatus,
    /// What changed (JSON text).
    pub data: String,
    pub created_at: DateTime<Utc>,
    pub last_modified_at: DateTime<Utc>,
}

/// A security group of the partner's own users and the roles its members get in the
/// relationship's customer. Its roles are a subset of the relationship's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessAssignment {
    pub id: AssignmentId,
    pub relationship_id: GdapId,
    pub security_group_id: SecurityGroupId,
    pub roles: Vec<String>,
    pub status: AssignmentStatus,
    pub created_at: DateTime<Utc>,
    pub last_modified_at: DateTime<Utc>,
    pub version: i64,
}

/// A partner's security group of its own users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: SecurityGroupId,
    pub partner_id: PartnerId,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// A user in a security group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroupMember {
    pub group_id: SecurityGroupId,
    pub user_id: UserId,
    pub added_at: DateTime<Utc>,
}

/// A role of the catalogue (`GET /v1/roles`): Microsoft Entra's role template ids where a
/// role has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminRole {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Validates an assignment's roles: at least one, each among the relationship's.
pub fn validate_assignment_roles(
    roles: &[String],
    relationship: &GdapRelationship,
) -> Result<Vec<String>, DomainError> {
    let roles = validate_roles(roles)?;
    if roles.is_empty() {
        return Err(DomainError::GdapRolesRequired);
    }
    if let Some(r) = roles.iter().find(|r| !relationship.roles.contains(r)) {
        return Err(DomainError::invalid(
            "roleDefinitionId",
            Reason::NotARelationshipRole(r.clone()),
        ));
    }
    Ok(roles)
}

/// Validates a security group's or a role's name: 1 to 100 characters after trimming.
pub fn validate_name(property: &'static str, name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::invalid(property, Reason::Empty));
    }
    if name.chars().count() > 100 {
        return Err(DomainError::invalid(property, Reason::TooLong { max: 100 }));
    }
    Ok(name.to_string())
}

/// Validates a role id the operator gives: lower-case letters, digits and hyphens, 1 to 64.
pub fn validate_role_id(id: &str) -> Result<String, DomainError> {
    let id = id.trim().to_ascii_lowercase();
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(DomainError::invalid("id", Reason::NotARoleId));
    }
    Ok(id)
}

impl GdapRelationship {
    /// A new relationship in `created`.
    pub fn create(id: GdapId, partner: PartnerId, draft: GdapDraft, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let display_name = validate_display_name(&draft.display_name)?;
        let roles = validate_roles(&draft.roles)?;
        if draft.auto_extend != AutoExtend::None && has_global_admin(&roles) {
            return Err(DomainError::GdapAutoExtendNotAllowed);
        }
        Ok(Self {
            id,
            partner_id: partner,
            customer_id: draft.customer,
            customer_display_name: None,
            display_name,
            status: GdapStatus::Created,
            roles,
            duration_days: draft.duration.days(),
            auto_extend_days: draft.auto_extend.days(),
            created_at: now,
            last_modified_at: now,
            locked_at: None,
            activated_at: None,
            ends_at: None,
            ended_at: None,
            expiry_warned_at: None,
            version: 1,
        })
    }

    pub fn duration(&self) -> GdapDuration {
        GdapDuration(self.duration_days)
    }

    pub fn auto_extend(&self) -> AutoExtend {
        AutoExtend::from_days(self.auto_extend_days)
    }

    /// Does it extend itself at its end date? Never with Global Administrator.
    pub fn extends_itself(&self) -> bool {
        self.auto_extend_days > 0 && !has_global_admin(&self.roles)
    }

    /// When an unapproved request expires.
    pub fn approval_deadline(&self) -> Option<DateTime<Utc>> {
        self.locked_at.map(|t| t + Duration::days(APPROVAL_WINDOW_DAYS))
    }

    /// Are its roles granted at `now`? (In force and not past its end date, whatever the
    /// job has done yet.)
    pub fn grants_at(&self, now: DateTime<Utc>) -> bool {
        self.status.is_in_force() && self.ends_at.is_some_and(|e| now < e)
    }

    fn refuse(&self, action: &'static str) -> DomainError {
        DomainError::InvalidTransition {
            entity: "GDAP relationship",
            action,
            state: self.status.as_str(),
        }
    }

    /// created → approvalPending. Needs at least one role; starts the approval clock.
    pub fn lock_for_approval(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        if self.status != GdapStatus::Created {
            return Err(self.refuse("lock for approval"));
        }
        if self.roles.is_empty() {
            return Err(DomainError::GdapRolesRequired);
        }
        self.status = GdapStatus::ApprovalPending;
        self.locked_at = Some(now);
        self.last_modified_at = now;
        Ok(())
    }

    /// approvalPending → active (through approved and activating in one step), by
    /// `customer`. Binds the customer if none was named; refuses another customer and a
    /// request older than 90 days.
    pub fn approve(
        &mut self,
        customer: CustomerId,
        customer_name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        if self.status != GdapStatus::ApprovalPending {
            return Err(self.refuse("approve"));
        }
        if self.customer_id.is_some_and(|c| c != customer) {
            return Err(DomainError::GdapCustomerMismatch);
        }
        if self.approval_deadline().is_some_and(|d| now >= d) {
            return Err(DomainError::GdapApprovalExpired);
        }
        self.customer_id = Some(customer);
        self.customer_display_name = Some(customer_name.to_string());
        self.status = GdapStatus::Active;
        self.activated_at = Some(now);
        self.ends_at = Some(now + Duration::days(self.duration_days));
        self.last_modified_at = now;
        Ok(())
    }

    /// approvalPending → terminated: the customer says no (Graph has no `rejected`).
    pub fn reject(&mut self, customer: CustomerId, now: DateTime<Utc>) -> Result<(), DomainError> {
        if self.status != GdapStatus::ApprovalPending {
            return Err(self.refuse("reject"));
        }
        if self.customer_id.is_some_and(|c| c != customer) {
            return Err(DomainError::GdapCustomerMismatch);
        }
        self.status = GdapStatus::Terminated;
        self.ended_at = Some(now);
        self.last_modified_at = now;
        Ok(())
    }

    /// approvalPending, approved, activating, active, expiring → terminated (through
    /// terminationRequested and terminating in one step). A `created` one is deleted
    /// instead; an ended one stays as it is.
    pub fn terminate(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        use GdapStatus::*;
        if !matches!(
            self.status,
            ApprovalPending | Approved | Activating | Active | Expiring | TerminationRequested | Terminating
        ) {
            return Err(self.refuse("terminate"));
        }
        self.end(Terminated, now, now);
        Ok(())
    }

    /// Ends the relationship whatever its status short of final (rule 4: removal, and the
    /// customer ending its partner's admin roles, rule 8). Returns whether it changed.
    pub fn terminate_for_removal(&mut self, now: DateTime<Utc>) -> bool {
        if self.status.is_final() {
            return false;
        }
        self.end(GdapStatus::Terminated, now, now);
        true
    }

    fn end(&mut self, status: GdapStatus, ended_at: DateTime<Utc>, now: DateTime<Utc>) {
        self.status = status;
        self.ended_at = Some(ended_at);
        self.last_modified_at = now;
    }

    /// What the job has to do with it at `now`, if anything.
    pub fn due(&self, now: DateTime<Utc>) -> Option<GdapDue> {
        match self.status {
            GdapStatus::ApprovalPending => {
                (self.approval_deadline().is_some_and(|d| d <= now)).then_some(GdapDue::ExpireRequest)
            }
            GdapStatus::Active | GdapStatus::Expiring => {
                let ends = self.ends_at?;
                if ends <= now {
                    Some(if self.extends_itself() {
                        GdapDue::Extend
                    } else {
                        GdapDue::Expire
                    })
                } else if !self.extends_itself()
                    && self.expiry_warned_at.is_none()
                    && ends - now <= Duration::days(EXPIRY_WARNING_DAYS)
                {
                    Some(GdapDue::Warn)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// approvalPending → expired, once 90 days have passed since it was locked. `ended_at`
    /// is the deadline, however late the job runs.
    pub fn expire_request(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match (self.status, self.approval_deadline()) {
            (GdapStatus::ApprovalPending, Some(deadline)) if deadline <= now => {
                self.end(GdapStatus::Expired, deadline, now);
                Ok(())
            }
            _ => Err(self.refuse("expire the request of")),
        }
    }

    /// active/expiring → expired at its end date, when it does not extend itself.
    pub fn expire(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match (self.status.is_in_force(), self.ends_at) {
            (true, Some(ends)) if ends <= now && !self.extends_itself() => {
                self.end(GdapStatus::Expired, ends, now);
                Ok(())
            }
            _ => Err(self.refuse("expire")),
        }
    }

    /// At its end date, an auto-extending relationship moves `ends_at` on by 180 days, as
    /// many times as it takes to pass `now` (a job catching up after downtime). Returns the
    /// number of extensions.
    pub fn extend(&mut self, now: DateTime<Utc>) -> Result<u32, DomainError> {
        let ends = match (self.status.is_in_force(), self.ends_at) {
            (true, Some(ends)) if ends <= now && self.extends_itself() => ends,
            _ => return Err(self.refuse("extend")),
        };
        let mut ends = ends;
        let mut n = 0;
        while ends <= now {
            ends += Duration::days(AUTO_EXTEND_DAYS);
            n += 1;
        }
        self.ends_at = Some(ends);
        self.status = GdapStatus::Active;
        self.expiry_warned_at = None;
        self.last_modified_at = now;
        Ok(n)
    }

    /// active → expiring: raises the 30-day warning once for the current end date.
    pub fn warn_expiring(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        if self.due(now) != Some(GdapDue::Warn) {
            return Err(self.refuse("warn of the expiry of"));
        }
        self.status = GdapStatus::Expiring;
        self.expiry_warned_at = Some(now);
        self.last_modified_at = now;
        Ok(())
    }

    /// Applies a PATCH. In `created`: display name, duration, roles, customer and
    /// auto-extend. In force (`active`, `expiring`): auto-extend and roles (a role change
    /// is reported as an operation). Anything else is refused with
    /// `gdap_property_not_editable`, and nothing changes.
    pub fn apply(&mut self, changes: GdapChanges, now: DateTime<Utc>) -> Result<PatchOutcome, DomainError> {
        let editable = |property: &'static str, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(DomainError::GdapPropertyNotEditable {
                    property,
                    state: self.status.as_str(),
                })
            }
        };
        let created = self.status == GdapStatus::Created;
        let in_force = self.status.is_in_force();
        if changes.display_name.is_some() {
            editable("displayName", created)?;
        }
        if changes.duration.is_some() {
            editable("duration", created)?;
        }
        if changes.customer.is_some() {
            editable("customer", created)?;
        }
        if changes.roles.is_some() {
            editable("accessDetails", created || in_force)?;
        }
        if changes.auto_extend.is_some() {
            editable("autoExtendDuration", created || in_force)?;
        }
        let mut next = self.clone();
        if let Some(name) = changes.display_name {
            next.display_name = validate_display_name(&name)?;
        }
        if let Some(d) = changes.duration {
            next.duration_days = d.days();
        }
        if let Some(c) = changes.customer {
            next.customer_id = Some(c);
        }
        if let Some(roles) = changes.roles {
            next.roles = validate_roles(&roles)?;
            if in_force && next.roles.is_empty() {
                return Err(DomainError::GdapRolesRequired);
            }
        }
        if let Some(a) = changes.auto_extend {
            next.auto_extend_days = a.days();
        }
        if next.auto_extend_days > 0 && has_global_admin(&next.roles) {
            return Err(DomainError::GdapAutoExtendNotAllowed);
        }
        if in_force && next.extends_itself() && next.status == GdapStatus::Expiring {
            // It will extend now: no longer expiring.
            next.status = GdapStatus::Active;
            next.expiry_warned_at = None;
        }
        let outcome = PatchOutcome {
            roles_changed_in_force: in_force && next.roles != self.roles,
            changed: next != *self,
        };
        if outcome.changed {
            next.last_modified_at = now;
            *self = next;
        }
        Ok(outcome)
    }

    /// Only a relationship in `created` may be deleted.
    pub fn check_deletable(&self) -> Result<(), DomainError> {
        if self.status == GdapStatus::Created {
            Ok(())
        } else {
            Err(self.refuse("delete"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601_days_weeks_or_years() {
        for (s, d) in [
            ("P1D", 1),
            ("P730D", 730),
            ("P90D", 90),
            ("P2W", 14),
            ("P104W", 728),
            ("P1Y", 365),
            ("P2Y", 730),
        ] {
            assert_eq!(GdapDuration::parse(s).map(GdapDuration::days), Ok(d), "{s}");
        }
        assert_eq!(GdapDuration::parse("P2Y").map(GdapDuration::iso), Ok("P730D".into()));
        for s in [
            "730 days, 0:00:00",
            "P0D",
            "P731D",
            "P3Y",
            "P105W",
            "PT24H",
            "P1M",
            "730",
            "",
            "P",
            "p30d",
            "P-1D",
            "P99999999999999999999D",
            // A unit of more than one byte is refused, not split inside.
            "P1é",
            "Pé",
            "P30Д",
        ] {
            let err = GdapDuration::parse(s).unwrap_err();
            assert_eq!(err.code(), "invalid_gdap_duration", "{s}");
            assert!(err.to_string().contains("P730D"), "{s}: {err}");
        }
    }

    #[test]
    fn auto_extend_is_none_or_180_days() {
        assert_eq!(AutoExtend::parse("PT0S"), Ok(AutoExtend::None));
        assert_eq!(AutoExtend::parse("P0D"), Ok(AutoExtend::None));
        assert_eq!(AutoExtend::parse("P180D").map(AutoExtend::iso), Ok("P180D"));
        for s in ["P90D", "P1Y", "", "180"] {
            assert_eq!(
                AutoExtend::parse(s).unwrap_err().code(),
                "invalid_gdap_auto_extend",
                "{s}"
            );
        }
    }
}
