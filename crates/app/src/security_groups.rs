//! A partner's security groups of its own users, and GDAP access assignments: a group and
//! the roles (a subset of the relationship's) its members get in the relationship's customer.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::gdap::{validate_assignment_roles, validate_name, AssignmentStatus};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{AssignmentId, DomainError, GdapId, PartnerId, SecurityGroupId, UserId};
use partnerdesk_store::Tx;

pub use partnerdesk_domain::gdap::{AccessAssignment, SecurityGroup, SecurityGroupMember};

use crate::audit::Change;
use crate::gdap::{reader_side, visible, GdapRelationship, Side};
use crate::{App, AppError, AppResult, Caller};

/// A group with its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityGroupDetail {
    pub group: SecurityGroup,
    pub members: Vec<SecurityGroupMember>,
}

const GROUP_NOT_FOUND: AppError = AppError::NotFound("security group");

/// The caller's partner, for a change to its groups or assignments.
fn manager(caller: &Caller) -> AppResult<PartnerId> {
    caller.authorize(Action::ManageDelegatedAdmin)?;
    caller.partner_id(Action::ManageDelegatedAdmin)
}

/// The caller's partner, for reading its groups.
fn viewer(caller: &Caller) -> AppResult<PartnerId> {
    caller.authorize(Action::ViewCustomers)?;
    caller.partner_id(Action::ViewCustomers)
}

async fn own_group(tx: &mut dyn Tx, partner: PartnerId, id: SecurityGroupId) -> AppResult<SecurityGroup> {
    tx.find_security_group(id)
        .await?
        .filter(|g| g.partner_id == partner)
        .ok_or(GROUP_NOT_FOUND)
}

fn group_change<'a>(caller: &'a Caller, op: Operation, group: &SecurityGroup) -> Change<'a> {
    Change::new(Some(caller), op, group.id).partner(group.partner_id)
}

fn assignment_change<'a>(caller: &'a Caller, op: Operation, g: &GdapRelationship, id: AssignmentId) -> Change<'a> {
    Change::new(Some(caller), op, id)
        .partner(g.partner_id)
        .customer_opt(g.customer_id)
}

impl App {
    /// A partner's global admin or admin agent creates a group. `Conflict` on a name taken.
    pub async fn create_security_group(&self, caller: &Caller, name: &str) -> AppResult<SecurityGroup> {
        let partner = manager(caller)?;
        let group = SecurityGroup {
            id: SecurityGroupId(self.new_id()),
            partner_id: partner,
            display_name: validate_name("displayName", name)?,
            created_at: self.now(),
            version: 1,
        };
        let mut tx = self.write().await?;
        tx.insert_security_group(&group).await?;
        self.record(
            tx.as_mut(),
            group_change(caller, Operation::CreateSecurityGroup, &group),
            None::<&()>,
            Some(&group),
        )
        .await?;
        tx.commit().await?;
        Ok(group)
    }

    /// The partner's groups, by name.
    pub async fn security_groups(&self, caller: &Caller) -> AppResult<Vec<SecurityGroup>> {
        let partner = viewer(caller)?;
        let mut tx = self.read().await?;
        let out = tx.list_security_groups(partner).await?;
        tx.rollback().await?;
        Ok(out)
    }

    /// One of the partner's groups with its members.
    pub async fn security_group(&self, caller: &Caller, id: SecurityGroupId) -> AppResult<SecurityGroupDetail> {
        let partner = viewer(caller)?;
        let mut tx = self.read().await?;
        let group = own_group(tx.as_mut(), partner, id).await?;
        let members = tx.list_security_group_members(id).await?;
        tx.rollback().await?;
        Ok(SecurityGroupDetail { group, members })
    }

    /// Adds one of the partner's own users to its group. `Conflict` if already a member.
    pub async fn add_security_group_member(
        &self,
        caller: &Caller,
        group: SecurityGroupId,
        user: UserId,
    ) -> AppResult<SecurityGroupMember> {
        let partner = manager(caller)?;
        let mut tx = self.write().await?;
        let g = own_group(tx.as_mut(), partner, group).await?;
        tx.find_user(user)
            .await?
            .filter(|u| u.org_id.0 == partner.0)
            .ok_or(AppError::NotFound("user"))?;
        let member = SecurityGroupMember {
            group_id: group,
            user_id: user,
            added_at: self.now(),
        };
        tx.insert_security_group_member(&member).await?;
        self.record(
            tx.as_mut(),
            group_change(caller, Operation::AddSecurityGroupMember, &g),
            None::<&()>,
            Some(&member),
        )
        .await?;
        tx.commit().await?;
        Ok(member)
    }

    /// Takes a user out of the partner's group. `NotFound` if it is not a member.
    pub async fn remove_security_group_member(
        &self,
        caller: &Caller,
        group: SecurityGroupId,
        user: UserId,
    ) -> AppResult<()> {
        let partner = manager(caller)?;
        let mut tx = self.write().await?;
        let g = own_group(tx.as_mut(), partner, group).await?;
        if !tx.delete_security_group_member(group, user).await? {
            return Err(AppError::NotFound("member"));
        }
        let gone = serde_json::json!({ "groupId": group, "userId": user });
        self.record(
            tx.as_mut(),
            group_change(caller, Operation::RemoveSecurityGroupMember, &g),
            Some(&gone),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Renames the partner's group, at `expected_version` when one is given (the ETag).
    /// `Conflict` when another of its groups has that name.
    pub async fn rename_security_group(
        &self,
        caller: &Caller,
        id: SecurityGroupId,
        expected_version: Option<i64>,
        name: &str,
    ) -> AppResult<SecurityGroup> {
        let partner = manager(caller)?;
        let name = validate_name("displayName", name)?;
        let mut tx = self.write().await?;
        let before = own_group(tx.as_mut(), partner, id).await?;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(AppError::VersionConflict("security group"));
        }
        if before.display_name == name {
            tx.rollback().await?;
            return Ok(before);
        }
        let mut group = SecurityGroup {
            display_name: name,
            ..before.clone()
        };
        tx.rename_security_group(&group).await?;
        group.version += 1;
        self.record(
            tx.as_mut(),
            group_change(caller, Operation::RenameSecurityGroup, &group),
            Some(&before),
            Some(&group),
        )
        .await?;
        tx.commit().await?;
        Ok(group)
    }

    /// Deletes the partner's group with its members. `Conflict` while an access assignment
    /// uses it.
    pub async fn delete_security_group(&self, caller: &Caller, id: SecurityGroupId) -> AppResult<()> {
        let partner = manager(caller)?;
        let mut tx = self.write().await?;
        let g = own_group(tx.as_mut(), partner, id).await?;
        tx.delete_security_group(id, g.version).await?;
        self.record(
            tx.as_mut(),
            group_change(caller, Operation::DeleteSecurityGroup, &g),
            Some(&g),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The partner's relationship, locked, for a change to its assignments.
    async fn gdap_for_assignments(&self, tx: &mut dyn Tx, caller: &Caller, id: GdapId) -> AppResult<GdapRelationship> {
        manager(caller)?;
        tx.lock_gdap(id)
            .await?
            .filter(|g| visible(caller, Side::Partner, g))
            .ok_or(AppError::NotFound("GDAP relationship"))
    }

    /// Gives one of the partner's groups roles in an active relationship (a subset of its
    /// roles). `Conflict` when the group already has an assignment there.
    pub async fn create_access_assignment(
        &self,
        caller: &Caller,
        relationship: GdapId,
        group: SecurityGroupId,
        roles: Vec<String>,
    ) -> AppResult<AccessAssignment> {
        let partner = manager(caller)?;
        let mut tx = self.write().await?;
        let g = self.gdap_for_assignments(tx.as_mut(), caller, relationship).await?;
        own_group(tx.as_mut(), partner, group).await?;
        if !g.status.is_in_force() {
            return Err(DomainError::InvalidTransition {
                entity: "GDAP relationship",
                action: "assign access in",
                state: g.status.as_str(),
            }
            .into());
        }
        let roles = validate_assignment_roles(&roles, &g)?;
        let now = self.now();
        let a = AccessAssignment {
            id: AssignmentId(self.new_id()),
            relationship_id: relationship,
            security_group_id: group,
            roles,
            status: AssignmentStatus::Active,
            created_at: now,
            last_modified_at: now,
            version: 1,
        };
        tx.insert_access_assignment(&a).await?;
        self.record(
            tx.as_mut(),
            assignment_change(caller, Operation::CreateAccessAssignment, &g, a.id),
            None::<&()>,
            Some(&a),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// The assignments of a relationship the caller sees.
    pub async fn access_assignments(&self, caller: &Caller, relationship: GdapId) -> AppResult<Vec<AccessAssignment>> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        tx.find_gdap(relationship)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(AppError::NotFound("GDAP relationship"))?;
        let out = tx.list_access_assignments(relationship).await?;
        tx.rollback().await?;
        Ok(out)
    }

    /// One assignment of a relationship the caller sees; its `version` is the ETag.
    pub async fn access_assignment(
        &self,
        caller: &Caller,
        relationship: GdapId,
        id: AssignmentId,
    ) -> AppResult<AccessAssignment> {
        let side = reader_side(caller)?;
        let mut tx = self.read().await?;
        tx.find_gdap(relationship)
            .await?
            .filter(|g| visible(caller, side, g))
            .ok_or(AppError::NotFound("GDAP relationship"))?;
        let a = tx
            .find_access_assignment(relationship, id)
            .await?
            .ok_or(AppError::NotFound("access assignment"))?;
        tx.rollback().await?;
        Ok(a)
    }

    /// Replaces an assignment's roles, at `expected_version`.
    pub async fn update_access_assignment(
        &self,
        caller: &Caller,
        relationship: GdapId,
        id: AssignmentId,
        expected_version: i64,
        roles: Vec<String>,
    ) -> AppResult<AccessAssignment> {
        let mut tx = self.write().await?;
        let g = self.gdap_for_assignments(tx.as_mut(), caller, relationship).await?;
        let mut a = tx
            .find_access_assignment(relationship, id)
            .await?
            .ok_or(AppError::NotFound("access assignment"))?;
        if a.version != expected_version {
            return Err(AppError::VersionConflict("access assignment"));
        }
        if !g.status.is_in_force() {
            return Err(DomainError::InvalidTransition {
                entity: "GDAP relationship",
                action: "assign access in",
                state: g.status.as_str(),
            }
            .into());
        }
        let before = a.clone();
        a.roles = validate_assignment_roles(&roles, &g)?;
        if a.roles == before.roles {
            tx.rollback().await?;
            return Ok(a);
        }
        a.last_modified_at = self.now();
        tx.update_access_assignment(&a).await?;
        a.version += 1;
        self.record(
            tx.as_mut(),
            assignment_change(caller, Operation::UpdateAccessAssignment, &g, a.id),
            Some(&before),
            Some(&a),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Removes an assignment, at `expected_version`.
    pub async fn delete_access_assignment(
        &self,
        caller: &Caller,
        relationship: GdapId,
        id: AssignmentId,
        expected_version: i64,
    ) -> AppResult<()> {
        let mut tx = self.write().await?;
        let g = self.gdap_for_assignments(tx.as_mut(), caller, relationship).await?;
        let a = tx
            .find_access_assignment(relationship, id)
            .await?
            .ok_or(AppError::NotFound("access assignment"))?;
        tx.delete_access_assignment(id, expected_version).await?;
        self.record(
            tx.as_mut(),
            assignment_change(caller, Operation::DeleteAccessAssignment, &g, a.id),
            Some(&a),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
