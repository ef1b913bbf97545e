//! The role catalogue (`GET /v1/roles`): the roles a GDAP relationship and an access
//! assignment may name. Everyone may read it; the operator edits it.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::gdap::{validate_name, validate_role_id};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{DomainError, Reason};

pub use partnerdesk_domain::gdap::AdminRole;

use crate::audit::Change;
use crate::{App, AppError, AppResult, Caller};

/// A role to add. Without an id, one is made (a UUID, like Entra's role template ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRole {
    pub id: Option<String>,
    pub name: String,
    pub description: String,
}

/// A change to a role: only the fields given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolePatch {
    pub name: Option<String>,
    pub description: Option<String>,
}

fn validate_description(d: &str) -> AppResult<String> {
    let d = d.trim();
    if d.chars().count() > 1000 {
        return Err(DomainError::InvalidProperty {
            property: "description",
            reason: Reason::TooLong { max: 1000 },
        }
        .into());
    }
    Ok(d.to_string())
}

impl App {
    /// Every role of the catalogue, by name.
    pub async fn roles(&self) -> AppResult<Vec<AdminRole>> {
        let mut tx = self.read().await?;
        let out = tx.list_admin_roles().await?;
        tx.rollback().await?;
        Ok(out)
    }

    /// The operator adds a role. `Conflict` when the id is taken.
    pub async fn create_role(&self, caller: &Caller, input: NewRole) -> AppResult<AdminRole> {
        if !caller.is_operator() {
            return Err(DomainError::ForbiddenRole(Action::ManageRoles).into());
        }
        let id = match input.id {
            Some(id) => validate_role_id(&id)?,
            None => self.new_id().hyphenated().to_string(),
        };
        let now = self.now();
        let role = AdminRole {
            id,
            name: validate_name("name", &input.name)?,
            description: validate_description(&input.description)?,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut tx = self.write().await?;
        tx.insert_admin_role(&role).await?;
        let change = Change::new(Some(caller), Operation::CreateRole, &role.id);
        self.record(tx.as_mut(), change, None::<&()>, Some(&role)).await?;
        tx.commit().await?;
        Ok(role)
    }

    /// The operator renames or redescribes a role, at `expected_version`.
    pub async fn update_role(
        &self,
        caller: &Caller,
        id: &str,
        expected_version: i64,
        patch: RolePatch,
    ) -> AppResult<AdminRole> {
        if !caller.is_operator() {
            return Err(DomainError::ForbiddenRole(Action::ManageRoles).into());
        }
        let mut tx = self.write().await?;
        let mut role = tx
            .find_admin_role(&id.trim().to_ascii_lowercase())
            .await?
            .ok_or(AppError::NotFound("role"))?;
        if role.version != expected_version {
            return Err(AppError::VersionConflict("role"));
        }
        let before = role.clone();
        if let Some(name) = patch.name {
            role.name = validate_name("name", &name)?;
        }
        if let Some(d) = patch.description {
            role.description = validate_description(&d)?;
        }
        if role == before {
            tx.rollback().await?;
            return Ok(role);
        }
        role.updated_at = self.now();
        tx.update_admin_role(&role).await?;
        role.version += 1;
        let change = Change::new(Some(caller), Operation::UpdateRole, &role.id);
        self.record(tx.as_mut(), change, Some(&before), Some(&role)).await?;
        tx.commit().await?;
        Ok(role)
    }
}
