//! The users of an organisation, managed by the operator or that organisation's global
//! admin: add, list, read, change (e-mail, name, roles, language, password) and remove.
//! An organisation always keeps one global admin: the last one can neither lose the role
//! nor be removed, so nobody is locked out of their own organisation.
//!
//! A new password ends what the old one let in: the user's dashboard sessions and refresh
//! tokens, and (always when an admin resets another user's password, by choice when users
//! change their own) its personal API tokens; access tokens stop with the credential
//! version the change moves on.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::{OrgKind, Role, User};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::values::{Culture, Email, Name};
use partnerdesk_domain::{ConflictKind, CustomerId, DomainError, OrgId, PartnerId, UserId};
use partnerdesk_store::Tx;
use serde::Serialize;

use crate::audit::Change;
use crate::auth::StartedWebSession;
use crate::caller::load_caller;
use crate::operator::NewUserInput;
use crate::{passwords, App, AppError, AppResult, AuthFailure, Caller, SignInClient};

/// A change to a user: `None` keeps a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub email: Option<String>,
    pub password: Option<String>,
    pub display_name: Option<String>,
    pub roles: Option<Vec<String>>,
    pub locale: Option<String>,
    /// With a new password: also revoke the user's personal API tokens. Users changing
    /// their own password choose (`None` means yes); resetting another user's password
    /// always revokes them, so `Some(false)` is refused there.
    pub revoke_api_tokens: Option<bool>,
}

/// What a password change ended. Every password change ends the user's dashboard
/// sessions and refresh tokens, and access tokens stop working with the old credential
/// version; personal API tokens end when the change says so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokedCredentials {
    /// Dashboard sessions ended (the one a change was made in, which goes on under a new
    /// secret, is not counted).
    pub sessions: u64,
    pub refresh_tokens: u64,
    pub api_tokens: u64,
}

/// Users changing their own password.
#[derive(Clone)]
pub struct OwnPasswordChange {
    pub current_password: String,
    pub new_password: String,
    /// Also revoke every personal API token (the dashboard's box is ticked by default).
    pub revoke_api_tokens: bool,
}

impl std::fmt::Debug for OwnPasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnPasswordChange")
            .field("revoke_api_tokens", &self.revoke_api_tokens)
            .finish_non_exhaustive()
    }
}

/// A password changed by its user.
#[derive(Debug, Clone)]
pub struct OwnPasswordChanged {
    pub revoked: RevokedCredentials,
    /// The session that goes on from the one the change was made in, under a new secret
    /// (when the change was made in one).
    pub session: Option<StartedWebSession>,
}

/// What kind of organisation `org` is, or `NotFound`.
async fn org_kind(tx: &mut dyn Tx, org: OrgId) -> AppResult<OrgKind> {
    if tx.find_partner(PartnerId(org.0)).await?.is_some() {
        Ok(OrgKind::Partner)
    } else if tx.find_customer(CustomerId(org.0)).await?.is_some() {
        Ok(OrgKind::Customer)
    } else if tx.find_operator().await? == Some(org) {
        Ok(OrgKind::Operator)
    } else {
        Err(AppError::NotFound("organisation"))
    }
}

/// The caller may manage the users of `org`: the operator any, a global admin its own.
fn authorize_org(caller: &Caller, org: OrgId) -> AppResult<()> {
    caller.authorize(Action::ManageUsers)?;
    if !caller.is_operator() && caller.org_id != org {
        return Err(AppError::NotFound("organisation"));
    }
    Ok(())
}

/// A user of `org` by id; a user of another organisation is not found.
async fn user_of(tx: &mut dyn Tx, org: OrgId, id: UserId) -> AppResult<User> {
    match tx.find_user(id).await? {
        Some(user) if user.org_id == org => Ok(user),
        _ => Err(AppError::NotFound("user")),
    }
}

fn is_global_admin(user: &User) -> bool {
    user.roles.iter().any(|r| {
        matches!(
            r,
            Role::PartnerGlobalAdmin | Role::CustomerGlobalAdmin | Role::OperatorAdmin
        )
    })
}

/// Refuses a change that would leave `org` without a global admin (`leaving` is the user
/// who would stop being one).
async fn keep_an_admin(tx: &mut dyn Tx, org: OrgId, leaving: &User) -> AppResult<()> {
    if !is_global_admin(leaving) {
        return Ok(());
    }
    let others = tx
        .list_users(org)
        .await?
        .iter()
        .filter(|u| u.id != leaving.id && is_global_admin(u))
        .count();
    if others == 0 {
        return Err(AppError::Conflict(ConflictKind::LastGlobalAdmin {
            email: leaving.email.as_str().to_string(),
        }));
    }
    Ok(())
}

/// An e-mail is a sign-in name, unique across the instance, so a taken one must be refused;
/// the refusal says that much and no more (not which organisation has it).
pub(crate) fn email_in_use(email: &Email) -> AppError {
    AppError::AlreadyInUse {
        property: "email",
        value: email.as_str().to_string(),
    }
}

fn parse_roles(kind: OrgKind, raw: &[String]) -> AppResult<Vec<Role>> {
    if raw.is_empty() {
        return Err(DomainError::InvalidProperty {
            property: "roles",
            reason: partnerdesk_domain::Reason::NoRole,
        }
        .into());
    }
    let mut roles = raw
        .iter()
        .map(|r| Role::parse(kind, r.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    roles.sort();
    roles.dedup();
    Ok(roles)
}

impl App {
    /// Builds a user of `org` from input, validating every field.
    pub(crate) async fn build_user(
        &self,
        org: OrgId,
        kind: OrgKind,
        input: &NewUserInput,
    ) -> AppResult<(User, String)> {
        let email = Email::parse(&input.email)?;
        passwords::check_strength(&input.password)?;
        let display_name = match &input.display_name {
            Some(n) => Name::parse("displayName", n)?,
            None => Name::parse("displayName", email.as_str())?,
        };
        let roles = parse_roles(kind, &input.roles)?;
        let locale = Culture::parse(input.locale.as_deref().unwrap_or("en-US"))?;
        let hash = passwords::hash(&input.password, self.config().password_cost).await?;
        let user = User {
            id: UserId(self.new_id()),
            org_id: org,
            org_kind: kind,
            email,
            display_name,
            roles,
            locale,
            created_at: self.now(),
            version: 1,
        };
        Ok((user, hash))
    }

    /// Inserts a user, turning a taken e-mail into a clear conflict.
    pub(crate) async fn insert_user(&self, tx: &mut dyn Tx, user: &User, hash: &str) -> AppResult<()> {
        if tx.find_user_by_email(&user.email).await?.is_some() {
            return Err(email_in_use(&user.email));
        }
        tx.insert_user(user, hash).await?;
        Ok(())
    }

    /// The operator or an organisation's global admin adds a user to that organisation.
    pub async fn add_user(&self, caller: &Caller, org: OrgId, input: NewUserInput) -> AppResult<User> {
        authorize_org(caller, org)?;
        let mut tx = self.write().await?;
        let kind = org_kind(tx.as_mut(), org).await?;
        let (user, hash) = self.build_user(org, kind, &input).await?;
        self.insert_user(tx.as_mut(), &user, &hash).await?;
        let change = user_change(caller, Operation::AddUser, &user);
        self.record(tx.as_mut(), change, None::<&()>, Some(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The users of an organisation (the same authorization as [`App::add_user`]).
    pub async fn list_users(&self, caller: &Caller, org: OrgId) -> AppResult<Vec<User>> {
        authorize_org(caller, org)?;
        let mut tx = self.read().await?;
        org_kind(tx.as_mut(), org).await?;
        Ok(tx.list_users(org).await?)
    }

    /// One user of an organisation.
    pub async fn get_user(&self, caller: &Caller, org: OrgId, id: UserId) -> AppResult<User> {
        authorize_org(caller, org)?;
        let mut tx = self.read().await?;
        user_of(tx.as_mut(), org, id).await
    }

    /// Changes what the patch sets. `expected_version` (an ETag) is checked when given.
    /// A new password is checked for strength and replaces the old one; the last global
    /// admin keeps the role.
    pub async fn update_user(
        &self,
        caller: &Caller,
        org: OrgId,
        id: UserId,
        patch: UserPatch,
        expected_version: Option<i64>,
    ) -> AppResult<User> {
        authorize_org(caller, org)?;
        // Parse everything before touching the database: bad input changes nothing.
        let email = patch.email.as_deref().map(Email::parse).transpose()?;
        let display_name = patch
            .display_name
            .as_deref()
            .map(|n| Name::parse("displayName", n))
            .transpose()?;
        let locale = patch.locale.as_deref().map(Culture::parse).transpose()?;
        let hash = match patch.password.as_deref() {
            Some(p) => {
                passwords::check_strength(p)?;
                Some(passwords::hash(p, self.config().password_cost).await?)
            }
            None => None,
        };
        let own = id == caller.user_id;
        if hash.is_some() && !own && patch.revoke_api_tokens == Some(false) {
            return Err(DomainError::InvalidProperty {
                property: "revokeApiTokens",
                reason: partnerdesk_domain::Reason::ResetRevokesTokens,
            }
            .into());
        }
        let mut tx = self.write().await?;
        let before = user_of(tx.as_mut(), org, id).await?;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(AppError::VersionConflict("user"));
        }
        let mut user = before.clone();
        if let Some(email) = email {
            if email != before.email && tx.find_user_by_email(&email).await?.is_some() {
                return Err(email_in_use(&email));
            }
            user.email = email;
        }
        if let Some(name) = display_name {
            user.display_name = name;
        }
        if let Some(locale) = locale {
            user.locale = locale;
        }
        if let Some(raw) = &patch.roles {
            user.roles = parse_roles(before.org_kind, raw)?;
            if !is_global_admin(&user) {
                keep_an_admin(tx.as_mut(), org, &before).await?;
            }
        }
        tx.update_user(&user).await?;
        user.version += 1;
        let revoked = match &hash {
            Some(hash) => {
                tx.set_password_hash(id, hash).await?;
                let api_tokens = !own || patch.revoke_api_tokens.unwrap_or(true);
                Some(self.revoke_credentials(tx.as_mut(), id, api_tokens).await?)
            }
            None => None,
        };
        let operation = if hash.is_some() {
            Operation::ResetUserPassword
        } else {
            Operation::UpdateUser
        };
        let change = user_change(caller, operation, &user);
        self.record(tx.as_mut(), change, Some(&before), Some(&user)).await?;
        if let Some(revoked) = &revoked {
            let change = user_change(caller, Operation::RevokeCredentials, &user);
            self.record(tx.as_mut(), change, None::<&()>, Some(revoked)).await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    /// Ends what was issued under a user's old password: every dashboard session and
    /// refresh token, and with `api_tokens` every personal API token. (Access tokens stop
    /// by themselves: the new password moved the credential version on.)
    pub(crate) async fn revoke_credentials(
        &self,
        tx: &mut dyn Tx,
        user: UserId,
        api_tokens: bool,
    ) -> AppResult<RevokedCredentials> {
        let now = self.now();
        Ok(RevokedCredentials {
            sessions: tx.delete_web_sessions_of_user(user).await?,
            refresh_tokens: tx.revoke_refresh_tokens_of_user(user, now).await?,
            api_tokens: if api_tokens {
                tx.revoke_api_tokens_of_user(user, now).await?
            } else {
                0
            },
        })
    }

    /// Removes a user: its tokens and sessions end with it. The last global admin stays.
    pub async fn delete_user(&self, caller: &Caller, org: OrgId, id: UserId) -> AppResult<()> {
        authorize_org(caller, org)?;
        let mut tx = self.write().await?;
        let user = user_of(tx.as_mut(), org, id).await?;
        keep_an_admin(tx.as_mut(), org, &user).await?;
        tx.delete_user(id).await?;
        let change = user_change(caller, Operation::DeleteUser, &user);
        self.record(tx.as_mut(), change, Some(&user), None::<&()>).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The audit record of a change to `user`, filed under its organisation.
fn user_change<'a>(caller: &'a Caller, operation: Operation, user: &User) -> Change<'a> {
    Change::new(Some(caller), operation, user.id)
        .partner_opt((user.org_kind == OrgKind::Partner).then_some(PartnerId(user.org_id.0)))
        .customer_opt((user.org_kind == OrgKind::Customer).then_some(CustomerId(user.org_id.0)))
}

impl App {
    /// Any signed-in user changes its own language (`en-US`, `ru-RU`, ...).
    pub async fn set_my_locale(&self, caller: &Caller, locale: &str) -> AppResult<User> {
        let locale = Culture::parse(locale)?;
        let mut tx = self.write().await?;
        let before = tx
            .find_user(caller.user_id)
            .await?
            .ok_or(AppError::Unauthenticated(AuthFailure::UserGone))?;
        if before.locale == locale {
            return Ok(before);
        }
        let mut user = before.clone();
        user.locale = locale;
        tx.update_user(&user).await?;
        user.version += 1;
        let change = user_change(caller, Operation::SetMyLocale, &user);
        self.record(tx.as_mut(), change, Some(&before), Some(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }
}

impl App {
    /// Any signed-in user changes its own password, proving the current one first (under
    /// the sign-in limits: a wrong current password counts as a failed sign-in). Every
    /// session and refresh token of the user ends, and its personal API tokens too when the
    /// change says so. With `in_session` the change was made in a dashboard session, which
    /// goes on under a new secret (returned) while every other session ends.
    pub async fn change_my_password(
        &self,
        caller: &Caller,
        client: &SignInClient,
        change: OwnPasswordChange,
        in_session: bool,
    ) -> AppResult<OwnPasswordChanged> {
        passwords::check_strength(&change.new_password)?;
        let me = self.me(caller).await?;
        let verified = match self
            .check_password(client, me.email.as_str(), &change.current_password)
            .await
        {
            Ok(v) if v.user.id == caller.user_id => v,
            Ok(_) | Err(AppError::Unauthenticated(_)) => return Err(AppError::WrongCurrentPassword),
            Err(e) => return Err(e),
        };
        let hash = passwords::hash(&change.new_password, self.config().password_cost).await?;
        let mut tx = self.store().begin().await?;
        crate::auth::still_current(tx.as_mut(), &verified.user, verified.credential_version).await?;
        tx.set_password_hash(caller.user_id, &hash).await?;
        let mut revoked = self
            .revoke_credentials(tx.as_mut(), caller.user_id, change.revoke_api_tokens)
            .await?;
        let session = if in_session {
            revoked.sessions = revoked.sessions.saturating_sub(1);
            let (caller, user) = load_caller(tx.as_mut(), caller.user_id).await?;
            let caller = caller.via(partnerdesk_domain::audit::Application::Dashboard);
            Some(self.insert_new_web_session(tx.as_mut(), caller, &user).await?)
        } else {
            None
        };
        let record = user_change(caller, Operation::ChangeMyPassword, &verified.user);
        self.record(tx.as_mut(), record, None::<&()>, Some(&revoked)).await?;
        tx.commit().await?;
        Ok(OwnPasswordChanged { revoked, session })
    }

    /// Any signed-in user changes its own display name.
    pub async fn set_my_display_name(&self, caller: &Caller, name: &str) -> AppResult<User> {
        let name = Name::parse("displayName", name)?;
        let mut tx = self.store().begin().await?;
        let before = tx
            .find_user(caller.user_id)
            .await?
            .ok_or(AppError::Unauthenticated(AuthFailure::UserGone))?;
        if before.display_name == name {
            return Ok(before);
        }
        let mut user = before.clone();
        user.display_name = name;
        tx.update_user(&user).await?;
        user.version += 1;
        let change = user_change(caller, Operation::SetMyDisplayName, &user);
        self.record(tx.as_mut(), change, Some(&before), Some(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }
}
