//! Who is asking: the signed-in user, its organisation, roles and (for partners) type.

use partnerdesk_domain::audit::Application;
use partnerdesk_domain::org::{OrgKind, PartnerType, Role, User};
use partnerdesk_domain::permission::{self, Action};
use partnerdesk_domain::{CustomerId, DomainError, OrgId, PartnerId, UserId};

use partnerdesk_store::Tx;

use crate::{App, AppError, AppResult, AuthFailure};

/// The authenticated caller of a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub org_kind: OrgKind,
    pub roles: Vec<Role>,
    /// Set when the caller belongs to a partner.
    pub partner_type: Option<PartnerType>,
    /// The user's language, e.g. `ru-RU`.
    pub locale: String,
    /// The user's principal name (e-mail), as audit records name the actor.
    pub upn: String,
    /// The user's name as shown (`GET /v1/me` answers from the caller, not the user's row).
    pub display_name: String,
    /// What the caller came through (audit records' `applicationId`). [`App::caller`]
    /// gives the command line's; sign-in paths set theirs with [`Caller::via`].
    pub application: Application,
}

impl Caller {
    /// Refuses with `forbidden_role` unless a role allows `action`; for partners, also
    /// checks that the partner type may do it.
    pub fn authorize(&self, action: Action) -> AppResult<()> {
        permission::authorize(&self.roles, action)?;
        if let Some(pt) = self.partner_type {
            permission::partner_type_allows(pt, action)?;
        }
        Ok(())
    }

    /// The caller's partner id; a non-partner gets `forbidden_role` for `action`.
    pub fn partner_id(&self, action: Action) -> AppResult<PartnerId> {
        match self.org_kind {
            OrgKind::Partner => Ok(PartnerId(self.org_id.0)),
            _ => Err(DomainError::ForbiddenRole(action).into()),
        }
    }

    /// The caller's customer id; others get `forbidden_role` for `action`.
    pub fn customer_id(&self, action: Action) -> AppResult<CustomerId> {
        match self.org_kind {
            OrgKind::Customer => Ok(CustomerId(self.org_id.0)),
            _ => Err(DomainError::ForbiddenRole(action).into()),
        }
    }

    /// The same caller coming through `application`.
    pub fn via(mut self, application: Application) -> Self {
        self.application = application;
        self
    }

    pub fn is_operator(&self) -> bool {
        self.org_kind == OrgKind::Operator
    }
}

impl App {
    /// Builds the caller for a signed-in user. A user that no longer exists is
    /// `Unauthenticated`, so a deleted user's old token stops working.
    pub async fn caller(&self, user_id: UserId) -> AppResult<Caller> {
        let mut tx = self.read().await?;
        let (caller, _) = load_caller(tx.as_mut(), user_id).await?;
        tx.rollback().await?;
        Ok(caller)
    }
}

/// The caller for a signed-in user, and the user, read in `tx`.
pub(crate) async fn load_caller(tx: &mut dyn Tx, user_id: UserId) -> AppResult<(Caller, User)> {
    let user = tx
        .find_user(user_id)
        .await?
        .ok_or(AppError::Unauthenticated(AuthFailure::UserGone))?;
    let partner_type = match user.org_kind {
        OrgKind::Partner => tx.find_partner(PartnerId(user.org_id.0)).await?.map(|p| p.partner_type),
        _ => None,
    };
    let caller = Caller {
        user_id: user.id,
        org_id: user.org_id,
        org_kind: user.org_kind,
        roles: user.roles.clone(),
        partner_type,
        locale: user.locale.as_str().to_string(),
        upn: user.email.as_str().to_string(),
        display_name: user.display_name.as_str().to_string(),
        application: Application::Cli,
    };
    Ok((caller, user))
}
