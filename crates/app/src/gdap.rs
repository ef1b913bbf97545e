//! Granular delegated admin (GDAP), as Microsoft Graph shapes it: a partner creates a
//! relationship (display name, duration, roles, optionally the customer), locks it for
//! approval, the customer's global admin approves or rejects it; either side terminates it;
//! the background job ([`App::run_delegated_admin_job`]) expires and extends it.
//!
//! Who sees what: a partner sees its own relationships; a customer's global admin sees those
//! naming its tenant, and one offered to any customer (no customer named) while it waits for
//! approval, by its id. Anything else is `NotFound`.

use chrono::{DateTime, Duration, Utc};
use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::gdap::{
    AutoExtend, GdapChanges, GdapDraft, GdapDuration, GdapOperation, GdapOperationStatus, GdapOperationType,
    GdapRequest, GdapRequestStatus,
};
use partnerdesk_domain::org::OrgKind;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{CustomerId, DomainError, GdapId, GdapOperationId, GdapRequestId, PartnerId, Reason};
use partnerdesk_store::Tx;

pub use partnerdesk_domain::gdap::{GdapAction, GdapFilter, GdapRelationship, GdapStatus};

use crate::audit::Change;
use crate::overview::EXPIRING_WITHIN_DAYS;
use crate::{App, AppError, AppResult, Caller};

/// The most relationships one page lists.
pub const MAX_PAGE: usize = 300;

/// What a partner asks for (`POST .../delegatedAdminRelationships`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewGdapRelationship {
    pub display_name: String,
    /// ISO-8601, `P1D` to `P730D` (also `PnW`, `P1Y`, `P2Y`).
    pub duration: String,
    /// Role definition ids of the catalogue.
    pub roles: Vec<String>,
    pub customer: Option<CustomerId>,
    /// `PT0S` (the default) or `P180D`.
    pub auto_extend: Option<String>,
}

/// A PATCH: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GdapPatch {
    pub display_name: Option<String>,
    pub duration: Option<String>,
    pub roles: Option<Vec<String>>,
    pub customer: Option<CustomerId>,
    pub auto_extend: Option<String>,
}

/// A customer with a GDAP relationship in force, as Graph's `delegatedAdminCustomer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegatedAdminCustomer {
    pub tenant_id: CustomerId,
    pub display_name: String,
}

/// How a caller stands to a relationship it can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Partner,
    Customer(CustomerId),
}

const NOT_FOUND: AppError = AppError::NotFound("GDAP relationship");

/// Which side the caller is on, for reading. Partner users who may view customers, and a
/// customer's global admin.
pub(crate) fn reader_side(caller: &Caller) -> AppResult<Side> {
    match caller.org_kind {
        OrgKind::Partner => {
            caller.authorize(Action::ViewCustomers)?;
            Ok(Side::Partner)
        }
        OrgKind::Customer => {
            caller.authorize(Action::AnswerRequest)?;
            Ok(Side::Customer(CustomerId(caller.org_id.0)))
        }
        OrgKind::Operator => Err(DomainError::ForbiddenRole(Action::ManageDelegatedAdmin).into()),
    }
}

/// Can `side` (of `caller`) see `g`?
pub(crate) fn visible(caller: &Caller, side: Side, g: &GdapRelationship) -> bool {
    match side {
        Side::Partner => g.partner_id.0 == caller.org_id.0,
        Side::Customer(c) => {
            g.customer_id == Some(c) || (g.customer_id.is_none() && g.status == GdapStatus::ApprovalPending)
        }
    }
}

fn invalid(property: &'static str, reason: Reason) -> AppError {
    DomainError::InvalidProperty { property, reason }.into()
}

/// Refuses role ids that are not in the catalogue.
pub(crate) async fn check_roles(tx: &mut dyn Tx, roles: &[String]) -> AppResult<()> {
    for r in roles {
        let id = r.trim().to_ascii_lowercase();
        if tx.find_admin_role(&id).await?.is_none() {
            return Err(invalid("roleDefinitionId", Reason::UnknownRole(r.clone())));
        }
    }
    Ok(())
}

fn change<'a>(caller: Option<&'a Caller>, op: Operation, g: &GdapRelationship) -> Change<'a> {
    Change::new(caller, op, g.id)
        .partner(g.partner_id)
        .customer_opt(g.customer_id)
}

fn parse_changes(patch: GdapPatch) -> AppResult<GdapChanges> {
    Ok(GdapChanges {
        display_name: patch.display_name,
        duration: patch.duration.as_deref().map(GdapDuration::parse).transpose()?,
        roles: patch.roles,
        customer: patch.customer,
        auto_extend: patch.auto_extend.as_deref().map(AutoExtend::parse).transpose()?,
    })
}

impl App {
    /// A partner (global admin or admin agent) creates a relationship in `created`.
    pub async fn create_gdap_relationship(
        &self,
        caller: &Caller,
        input: NewGdapRelationship,
    ) -> AppResult<GdapRelationship> {
        caller.authorize(Action::ManageDelegatedAdmin)?;
        let partner = caller.partner_id(Action::ManageDelegatedAdmin)?;
        let draft = GdapDraft {
            display_name: input.display_name,
            duration: GdapDuration::parse(&input.duration)?,
            roles: input.roles,
            customer: input.customer,
            auto_extend: match input.auto_extend.as_deref() {
                Some(a) => AutoExtend::parse(a)?,
                None => AutoExtend::None,
            },
        };
        let g = GdapRelationship::create(GdapId(self.new_id()), partner, draft, self.now())?;
        let mut tx = self.write().await?;
        check_roles(tx.as_mut(), &g.roles).await?;
        if let Some(c) = g.customer_id {
            if tx.find_customer(c).await?.is_none() {
                return Err(AppError::NotFound("customer"));
            }
        }
        tx.insert_gdap(&g).await?;
        self.record(
            tx.as_mut(),
            change(Some(caller), Operation::CreateGdapRelationship, &g),
            None::<&()>,
            Some(&g),
        )
        .await?;
        tx.commit().await?;
        Ok(g)
    }

    /// A page of the relationships the caller sees, by id after `after`.
    pub async fn gdap_relationships(
        &self,
        caller: &Caller,
        filter: GdapFilter,
        after: Option<GdapId>,
        limit: usize,
    ) -> AppResult<Vec<GdapRelationship>> {
        let side = reader_side(caller)?;
        let limit = limit.clamp(1, MAX_PAGE) as u32;
        let mut tx = self.read().await?;
        let out = match side {
            Side::Partner => {
                tx.list_partner_gdap(PartnerId(caller.org_id.0), &filter, after, limit)
                    .await?
            }
            Side::Customer(c) => {
                if filter.customer.is_some_and(|f| f != c) {
                    Vec::new()
                } else {
                    tx.list_customer_gdap(c, &filter, after, limit).await?
                }
            }
        };
        tx.rollback().await?;
        Ok(out)
    }

    /// How many relationships the caller sees with this filter (Graph's `$count`).
    pub async fn count_gdap_relationships(&self, caller: &Caller, filter: GdapFilter) -> AppResult<u64> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        let n = match side {
            Side::Partner => tx.count_partner_gdap(PartnerId(caller.org_id.0), &filter).await?,
            Side::Customer(c) if filter.customer.is_some_and(|f| f != c) => 0,
            Side::Customer(c) => tx.count_customer_gdap(c, &filter).await?,
        };
        tx.rollback().await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// One relationship the caller sees; its `version` is the ETag.
    pub async fn gdap_relationship(&self, caller: &Caller, id: GdapId) -> AppResult<GdapRelationship> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        let g = tx
            .find_gdap(id)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(NOT_FOUND)?;
        tx.rollback().await?;
        Ok(g)
    }

    /// The partner's own relationship, locked, for a change.
    async fn own_gdap_locked(&self, tx: &mut dyn Tx, caller: &Caller, id: GdapId) -> AppResult<GdapRelationship> {
        caller.authorize(Action::ManageDelegatedAdmin)?;
        caller.partner_id(Action::ManageDelegatedAdmin)?;
        tx.lock_gdap(id)
            .await?
            .filter(|g| visible(caller, Side::Partner, g))
            .ok_or(NOT_FOUND)
    }

    /// A PATCH by the partner, at `expected_version` (the ETag).
    pub async fn update_gdap_relationship(
        &self,
        caller: &Caller,
        id: GdapId,
        expected_version: i64,
        patch: GdapPatch,
    ) -> AppResult<GdapRelationship> {
        self.patch_gdap(caller, id, Some(expected_version), patch).await
    }

    async fn patch_gdap(
        &self,
        caller: &Caller,
        id: GdapId,
        expected_version: Option<i64>,
        patch: GdapPatch,
    ) -> AppResult<GdapRelationship> {
        let changes = parse_changes(patch)?;
        let mut tx = self.write().await?;
        let mut g = self.own_gdap_locked(tx.as_mut(), caller, id).await?;
        if expected_version.is_some_and(|v| v != g.version) {
            return Err(AppError::VersionConflict("GDAP relationship"));
        }
        if let Some(roles) = &changes.roles {
            check_roles(tx.as_mut(), roles).await?;
        }
        if let Some(c) = changes.customer {
            if tx.find_customer(c).await?.is_none() {
                return Err(AppError::NotFound("customer"));
            }
        }
        let before = g.clone();
        let now = self.now();
        let outcome = g.apply(changes, now)?;
        if !outcome.changed {
            tx.rollback().await?;
            return Ok(g);
        }
        // A role still given to a security group cannot be taken away from the relationship.
        for a in tx.list_access_assignments(id).await? {
            if let Some(r) = a.roles.iter().find(|r| !g.roles.contains(r)) {
                return Err(invalid(
                    "accessDetails",
                    Reason::RoleStillAssigned {
                        role: r.clone(),
                        assignment: a.id.to_string(),
                    },
                ));
            }
        }
        tx.update_gdap(&g).await?;
        g.version += 1;
        if outcome.roles_changed_in_force {
            let op = GdapOperation {
                id: GdapOperationId(self.new_id()),
                relationship_id: g.id,
                operation_type: GdapOperationType::RelationshipUpdate,
                status: GdapOperationStatus::Succeeded,
                data: serde_json::json!({ "before": before.roles, "after": g.roles }).to_string(),
                created_at: now,
                last_modified_at: now,
            };
            tx.insert_gdap_operation(&op).await?;
        }
        self.record(
            tx.as_mut(),
            change(Some(caller), Operation::UpdateGdapRelationship, &g),
            Some(&before),
            Some(&g),
        )
        .await?;
        tx.commit().await?;
        Ok(g)
    }

    /// The partner deletes a relationship still in `created`, at `expected_version`.
    pub async fn delete_gdap_relationship(&self, caller: &Caller, id: GdapId, expected_version: i64) -> AppResult<()> {
        let mut tx = self.write().await?;
        let g = self.own_gdap_locked(tx.as_mut(), caller, id).await?;
        if g.version != expected_version {
            return Err(AppError::VersionConflict("GDAP relationship"));
        }
        g.check_deletable()?;
        tx.delete_gdap(id, expected_version).await?;
        self.record(
            tx.as_mut(),
            change(Some(caller), Operation::DeleteGdapRelationship, &g),
            Some(&g),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `POST .../{id}/requests`: the partner locks for approval or terminates; the
    /// customer's global admin approves, rejects or terminates (rule 8). Done at once: the
    /// request is returned `succeeded`; a refused one changes nothing and is not kept.
    pub async fn request_gdap_action(&self, caller: &Caller, id: GdapId, action: GdapAction) -> AppResult<GdapRequest> {
        let side = match (caller.org_kind, action) {
            (OrgKind::Partner, GdapAction::LockForApproval | GdapAction::Terminate) => {
                caller.authorize(Action::ManageDelegatedAdmin)?;
                Side::Partner
            }
            (OrgKind::Customer, GdapAction::Approve | GdapAction::Reject) => {
                caller.authorize(Action::AnswerRequest)?;
                Side::Customer(CustomerId(caller.org_id.0))
            }
            (OrgKind::Customer, GdapAction::Terminate) => {
                caller.authorize(Action::RemovePartnerAdminRoles)?;
                Side::Customer(CustomerId(caller.org_id.0))
            }
            (OrgKind::Partner, _) | (OrgKind::Operator, _) => {
                return Err(DomainError::ForbiddenRole(Action::AnswerGdap).into())
            }
            (OrgKind::Customer, _) => return Err(DomainError::ForbiddenRole(Action::ManageDelegatedAdmin).into()),
        };
        let now = self.now();
        let mut tx = self.write().await?;
        let mut g = tx
            .lock_gdap(id)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(NOT_FOUND)?;
        let before = g.clone();
        let mut ops = Vec::new();
        match (action, side) {
            (GdapAction::LockForApproval, _) => {
                g.lock_for_approval(now)?;
                ops.push(Operation::LockGdapForApproval);
            }
            (GdapAction::Approve, Side::Customer(c)) => {
                let customer = tx.find_customer(c).await?.ok_or(AppError::NotFound("customer"))?;
                g.approve(c, customer.company.company_name.as_str(), now)?;
                ops.extend([Operation::ApproveGdap, Operation::ActivateGdap]);
            }
            (GdapAction::Reject, Side::Customer(c)) => {
                g.reject(c, now)?;
                ops.push(Operation::RejectGdap);
            }
            (GdapAction::Terminate, Side::Customer(c)) if g.customer_id != Some(c) => return Err(NOT_FOUND),
            (GdapAction::Terminate, _) => {
                g.terminate(now)?;
                ops.push(Operation::TerminateGdap);
            }
            (GdapAction::Approve | GdapAction::Reject, Side::Partner) => {
                return Err(DomainError::ForbiddenRole(Action::AnswerGdap).into())
            }
        }
        tx.update_gdap(&g).await?;
        g.version += 1;
        let req = GdapRequest {
            id: GdapRequestId(self.new_id()),
            relationship_id: g.id,
            action,
            status: GdapRequestStatus::Succeeded,
            created_by: Some(caller.user_id),
            created_at: now,
            last_modified_at: now,
        };
        tx.insert_gdap_request(&req).await?;
        let changes = ops
            .into_iter()
            .map(|op| change(Some(caller), op, &g).with(Some(&before), Some(&g)))
            .collect();
        self.record_all(tx.as_mut(), changes).await?;
        if matches!(action, GdapAction::LockForApproval) {
            self.mail_gdap_approval(tx.as_mut(), &g).await?;
        }
        tx.commit().await?;
        Ok(req)
    }

    /// The requests made on a relationship the caller sees, oldest first.
    pub async fn gdap_requests(&self, caller: &Caller, id: GdapId) -> AppResult<Vec<GdapRequest>> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        tx.find_gdap(id)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(NOT_FOUND)?;
        let out = tx.list_gdap_requests(id).await?;
        tx.rollback().await?;
        Ok(out)
    }

    /// The operations (role changes of an active relationship) on one the caller sees.
    pub async fn gdap_operations(&self, caller: &Caller, id: GdapId) -> AppResult<Vec<GdapOperation>> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        tx.find_gdap(id)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(NOT_FOUND)?;
        let out = tx.list_gdap_operations(id).await?;
        tx.rollback().await?;
        Ok(out)
    }

    /// One request made on a relationship the caller sees; another relationship's request,
    /// or one the caller cannot see, is `NotFound`.
    pub async fn gdap_request(&self, caller: &Caller, id: GdapId, request: GdapRequestId) -> AppResult<GdapRequest> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        tx.find_gdap(id)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(NOT_FOUND)?;
        let out = tx
            .find_gdap_request(id, request)
            .await?
            .ok_or(AppError::NotFound("GDAP request"))?;
        tx.rollback().await?;
        Ok(out)
    }

    /// One operation on a relationship the caller sees; else `NotFound`.
    pub async fn gdap_operation(
        &self,
        caller: &Caller,
        id: GdapId,
        operation: GdapOperationId,
    ) -> AppResult<GdapOperation> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        tx.find_gdap(id)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(NOT_FOUND)?;
        let out = tx
            .find_gdap_operation(id, operation)
            .await?
            .ok_or(AppError::NotFound("GDAP operation"))?;
        tx.rollback().await?;
        Ok(out)
    }

    /// A page of the partner's relationships in force ending within the next
    /// [`EXPIRING_WITHIN_DAYS`] days that will not extend themselves (those the home page
    /// counts), soonest first, after `(ends_at, id)` of the last one seen.
    pub async fn gdap_ending_soon(
        &self,
        caller: &Caller,
        after: Option<(DateTime<Utc>, GdapId)>,
        limit: usize,
    ) -> AppResult<Vec<GdapRelationship>> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let limit = limit.clamp(1, MAX_PAGE) as u32;
        let now = self.now();
        let mut tx = self.read().await?;
        let out = tx
            .list_gdap_ending(partner, now, now + Duration::days(EXPIRING_WITHIN_DAYS), after, limit)
            .await?;
        tx.rollback().await?;
        Ok(out)
    }

    /// The partner's customers with a GDAP relationship in force (Graph's
    /// `delegatedAdminCustomers`), by tenant id.
    pub async fn delegated_admin_customers(&self, caller: &Caller) -> AppResult<Vec<DelegatedAdminCustomer>> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let mut tx = self.read().await?;
        let mut out = Vec::new();
        for c in tx.list_gdap_customers(partner).await? {
            if let Some(customer) = tx.find_customer(c).await? {
                out.push(DelegatedAdminCustomer {
                    tenant_id: c,
                    display_name: customer.company.company_name.as_str().to_string(),
                });
            }
        }
        tx.rollback().await?;
        Ok(out)
    }

    /// Many PATCHes at once (extension or role change across many customers): each item in
    /// its own transaction at the relationship's current version, a result per item.
    pub async fn bulk_update_gdap(
        &self,
        caller: &Caller,
        items: Vec<(GdapId, GdapPatch)>,
    ) -> AppResult<Vec<Result<GdapRelationship, AppError>>> {
        caller.authorize(Action::ManageDelegatedAdmin)?;
        caller.partner_id(Action::ManageDelegatedAdmin)?;
        if items.len() > MAX_PAGE {
            return Err(invalid("items", Reason::TooManyItems { max: MAX_PAGE }));
        }
        let mut out = Vec::with_capacity(items.len());
        for (id, patch) in items {
            out.push(self.patch_gdap(caller, id, None, patch).await);
        }
        Ok(out)
    }
}
