//! The users of an organisation, managed by the operator or that organisation's global
//! admin: add, list, read, change (e-mail, name, roles, language, password) and remove.
//! An organisation always keeps one global admin: the last one can neither lose the role
//! nor be removed, so nobody is locked out of their own organisation.

use partnerdesk_domain::org::{OrgKind, Role, User};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::values::{Culture, Email, Name};
use partnerdesk_domain::{CustomerId, DomainError, OrgId, PartnerId, UserId};
use partnerdesk_store::Tx;

use crate::audit::Change;
use crate::operator::NewUserInput;
use crate::{passwords, App, AppError, AppResult, Caller};

/// A change to a user: `None` keeps a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub email: Option<String>,
    pub password: Option<String>,
    pub display_name: Option<String>,
    pub roles: Option<Vec<String>>,
    pub locale: Option<String>,
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
        return Err(AppError::Conflict(format!(
            "{} is the organisation's last global admin; make another user a global admin first",
            leaving.email.as_str()
        )));
    }
    Ok(())
}

fn parse_roles(kind: OrgKind, raw: &[String]) -> AppResult<Vec<Role>> {
    if raw.is_empty() {
        return Err(DomainError::InvalidProperty {
            property: "roles",
            reason: "at least one role is needed".into(),
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
    pub(crate) fn build_user(&self, org: OrgId, kind: OrgKind, input: &NewUserInput) -> AppResult<(User, String)> {
        let email = Email::parse(&input.email)?;
        passwords::check_strength(&input.password)?;
        let display_name = match &input.display_name {
            Some(n) => Name::parse("displayName", n)?,
            None => Name::parse("displayName", email.as_str())?,
        };
        let roles = parse_roles(kind, &input.roles)?;
        let locale = Culture::parse(input.locale.as_deref().unwrap_or("en-US"))?;
        let hash = passwords::hash(&input.password, self.config().password_cost)?;
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
            return Err(AppError::Conflict(format!(
                "a user with e-mail {} already exists",
                user.email.as_str()
            )));
        }
        tx.insert_user(user, hash).await?;
        Ok(())
    }

    /// The operator or an organisation's global admin adds a user to that organisation.
    pub async fn add_user(&self, caller: &Caller, org: OrgId, input: NewUserInput) -> AppResult<User> {
        authorize_org(caller, org)?;
        let mut tx = self.write().await?;
        let kind = org_kind(tx.as_mut(), org).await?;
        let (user, hash) = self.build_user(org, kind, &input)?;
        self.insert_user(tx.as_mut(), &user, &hash).await?;
        let change = user_change(caller, "add_user", &user);
        self.audit(tx.as_mut(), &change, None::<&()>, Some(&user)).await?;
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
                Some(passwords::hash(p, self.config().password_cost)?)
            }
            None => None,
        };
        let mut tx = self.write().await?;
        let before = user_of(tx.as_mut(), org, id).await?;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(AppError::VersionConflict("user"));
        }
        let mut user = before.clone();
        if let Some(email) = email {
            if email != before.email && tx.find_user_by_email(&email).await?.is_some() {
                return Err(AppError::Conflict(format!(
                    "a user with e-mail {} already exists",
                    email.as_str()
                )));
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
        if let Some(hash) = &hash {
            tx.set_password_hash(id, hash).await?;
        }
        let action = if hash.is_some() {
            "update_user_and_password"
        } else {
            "update_user"
        };
        let change = user_change(caller, action, &user);
        self.audit(tx.as_mut(), &change, Some(&before), Some(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Removes a user: its tokens and sessions end with it. The last global admin stays.
    pub async fn delete_user(&self, caller: &Caller, org: OrgId, id: UserId) -> AppResult<()> {
        authorize_org(caller, org)?;
        let mut tx = self.write().await?;
        let user = user_of(tx.as_mut(), org, id).await?;
        keep_an_admin(tx.as_mut(), org, &user).await?;
        tx.delete_user(id).await?;
        let change = user_change(caller, "delete_user", &user);
        self.audit(tx.as_mut(), &change, Some(&user), None::<&()>).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The audit record of a change to `user`, filed under its organisation.
fn user_change<'a>(caller: &'a Caller, action: &'static str, user: &User) -> Change<'a> {
    Change::new(Some(caller), action, "user", user.id)
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
            .ok_or(AppError::Unauthenticated("the user no longer exists"))?;
        if before.locale == locale {
            return Ok(before);
        }
        let mut user = before.clone();
        user.locale = locale;
        tx.update_user(&user).await?;
        user.version += 1;
        let change = user_change(caller, "set_locale", &user);
        self.audit(tx.as_mut(), &change, Some(&before), Some(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }
}
