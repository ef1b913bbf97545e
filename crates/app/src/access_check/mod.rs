//! The access check: may this partner, or this partner user, act in this customer's tenant
//! with this role? The question the vendor's product asks on every partner action, answered
//! from memory ([`cache`]) and never stale (see docs/ARCHITECTURE.md, "The access check").
//!
//! - DAP: an unended DAP grant and an active reseller relationship allow every role, to the
//!   partner and to its users with `global_admin` or `admin_agent` (Partner Center's DAP
//!   makes admin agents administrators of the customer).
//! - GDAP: a relationship with the customer in `active` (or `expiring`) whose end is after
//!   the app's clock now and whose roles include the role. A user needs, besides, an access
//!   assignment (`active` or `pending`) of a security group it is a member of, with that role.
//!
//! A change that affects access announces the partners it touches before it commits and
//! releases them when it ends ([`signals`]); the cache of every listening node stops
//! answering for those partners in between.

pub mod cache;
mod signals;

use chrono::{DateTime, Utc};
use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::{OrgKind, Role};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{CustomerId, DomainError, GdapId, PartnerId, Reason, UserId};
use partnerdesk_store::{PairAccessRows, Tx};
use serde::Serialize;
use uuid::Uuid;

use crate::{App, AppError, AppResult, Caller};
pub(crate) use cache::Key;
pub use cache::{AccessCache, Grant, PairAccess, UserAccess};
pub(crate) use signals::AccessNode;

/// Who asks for access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Partner(PartnerId),
    User(UserId),
}

/// The question: may `subject` act in `customer`'s tenant with `role` (a role id of the
/// catalogue)?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessQuery {
    pub customer: CustomerId,
    pub subject: Subject,
    pub role: String,
}

/// What grants it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Dap,
    Gdap,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDecision {
    pub allowed: bool,
    pub via: Option<Via>,
    /// The GDAP relationship that grants it.
    pub relationship_id: Option<GdapId>,
    /// When that relationship ends.
    pub expires_at: Option<DateTime<Utc>>,
}

impl AccessDecision {
    pub const DENIED: AccessDecision = AccessDecision {
        allowed: false,
        via: None,
        relationship_id: None,
        expires_at: None,
    };
    const DAP: AccessDecision = AccessDecision {
        allowed: true,
        via: Some(Via::Dap),
        relationship_id: None,
        expires_at: None,
    };
}

impl From<PairAccessRows> for PairAccess {
    fn from(rows: PairAccessRows) -> Self {
        PairAccess {
            dap: rows.dap_active && rows.reseller_active,
            grants: rows
                .gdap
                .into_iter()
                .map(|g| Grant {
                    id: g.id,
                    roles: g.roles.into(),
                    ends_at: g.ends_at,
                    assignments: g
                        .assignments
                        .into_iter()
                        .map(|(group, roles)| (group, roles.into()))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The decision for `pair` (and `user`, for a user's question) at `now`. The relationship
/// that ends last wins when several grant the role.
pub fn decide(pair: &PairAccess, user: Option<&UserAccess>, role: &str, now: DateTime<Utc>) -> AccessDecision {
    if pair.dap && user.is_none_or(|u| u.dap_admin) {
        return AccessDecision::DAP;
    }
    let mut best: Option<&Grant> = None;
    for g in pair.grants.iter() {
        if g.ends_at.is_some_and(|end| end <= now) || !g.roles.iter().any(|r| r == role) {
            continue;
        }
        if let Some(u) = user {
            let assigned = g
                .assignments
                .iter()
                .any(|(group, roles)| u.groups.contains(group) && roles.iter().any(|r| r == role));
            if !assigned {
                continue;
            }
        }
        let later = match (best.and_then(|b| b.ends_at), g.ends_at) {
            (_, None) => best.is_none_or(|b| b.ends_at.is_some()),
            (None, Some(_)) => best.is_none(),
            (Some(b), Some(e)) => e > b,
        };
        if later {
            best = Some(g);
        }
    }
    match best {
        Some(g) => AccessDecision {
            allowed: true,
            via: Some(Via::Gdap),
            relationship_id: Some(g.id),
            expires_at: g.ends_at,
        },
        None => AccessDecision::DENIED,
    }
}

fn unknown_role(role: &str) -> AppError {
    DomainError::InvalidProperty {
        property: "role",
        reason: Reason::UnknownRole(role.to_string()),
    }
    .into()
}

/// The partners a change of `op` touches, if it affects access.
pub(crate) fn affected(op: Operation, partner: Option<PartnerId>) -> Option<Key> {
    let relevant = match op.resource_type() {
        "partner_customer_dap"
        | "granular_admin_relationship"
        | "granular_admin_access_assignment"
        | "security_group"
        | "partner_customer_relationship" => true,
        // A customer's or the operator's users are granted nothing here.
        "user" => matches!(op, Operation::UpdateUser | Operation::DeleteUser) && partner.is_some(),
        "admin_role" => return Some(Key::All),
        _ => false,
    };
    relevant.then_some(match partner {
        Some(p) => Key::Partner(p),
        None => Key::All,
    })
}

impl App {
    /// The node's access cache (for embedding products that warm or inspect it).
    pub fn access_cache(&self) -> &AccessCache {
        &self.access.cache
    }

    /// The answer from memory alone, if memory may give it: the hot path of
    /// [`App::check_access`]. `None` when something must be read first.
    pub fn check_access_cached(&self, q: &AccessQuery, now: DateTime<Utc>) -> Option<AppResult<AccessDecision>> {
        let cache = &self.access.cache;
        match cache.role_known(&q.role)? {
            true => {}
            false => return Some(Err(unknown_role(&q.role))),
        }
        match q.subject {
            Subject::Partner(p) => {
                if !cache.usable(p) {
                    return None;
                }
                cache.with(p, q.customer, None, |pair, _| {
                    pair.map(|pair| Ok(decide(pair, None, &q.role, now)))
                })
            }
            Subject::User(u) => {
                let partner = cache.user(u)?.partner?;
                if !cache.usable(partner) {
                    return None;
                }
                cache.with(partner, q.customer, Some(u), |pair, user| {
                    Some(Ok(decide(pair?, Some(user?), &q.role, now)))
                })
            }
        }
    }

    /// May the subject act in the customer's tenant with the role? For in-process use: no
    /// caller is checked (see [`App::check_access_as`]). Expiry is measured against the
    /// app's clock now. An unknown role is refused.
    pub async fn check_access(&self, q: AccessQuery) -> AppResult<AccessDecision> {
        self.access.start(self);
        let now = self.now();
        if let Some(answer) = self.check_access_cached(&q, now) {
            return answer;
        }
        let cache = &self.access.cache;
        let generation = cache.generation();
        let mut tx = self.store().read().await?;
        let out = self.check_access_in(tx.as_mut(), &q, now, generation).await;
        tx.rollback().await?;
        out
    }

    async fn check_access_in(
        &self,
        tx: &mut dyn Tx,
        q: &AccessQuery,
        now: DateTime<Utc>,
        generation: u64,
    ) -> AppResult<AccessDecision> {
        let cache = &self.access.cache;
        let roles = tx.list_admin_role_ids().await?;
        let known = roles.contains(&q.role);
        cache.fill_roles(generation, roles);
        if !known {
            return Err(unknown_role(&q.role));
        }
        let (partner, user) = match q.subject {
            Subject::Partner(p) => (p, None),
            Subject::User(u) => {
                let Some(found) = tx.find_user(u).await? else {
                    return Ok(AccessDecision::DENIED);
                };
                let partner = (found.org_kind == OrgKind::Partner).then_some(PartnerId(found.org_id.0));
                let access = UserAccess {
                    partner,
                    dap_admin: found
                        .roles
                        .iter()
                        .any(|r| matches!(r, Role::PartnerGlobalAdmin | Role::AdminAgent)),
                    groups: tx.list_user_security_groups(u).await?.into(),
                };
                cache.fill_user(generation, u, access.clone());
                let Some(partner) = partner else {
                    return Ok(AccessDecision::DENIED);
                };
                (partner, Some(access))
            }
        };
        let pair = PairAccess::from(tx.load_pair_access(partner, q.customer).await?);
        let decision = decide(&pair, user.as_ref(), &q.role, now);
        cache.fill_pair(generation, partner, q.customer, pair);
        Ok(decision)
    }

    /// The access check for an API caller: the operator asks about anyone; a partner about
    /// itself and its own users; a customer is refused. Another partner, or a user of
    /// another organisation, is not found, as elsewhere.
    pub async fn check_access_as(&self, caller: &Caller, q: AccessQuery) -> AppResult<AccessDecision> {
        if !caller.is_operator() {
            if caller.org_kind != OrgKind::Partner {
                return Err(DomainError::ForbiddenRole(Action::CheckAccess).into());
            }
            let own = PartnerId(caller.org_id.0);
            match q.subject {
                Subject::Partner(p) if p == own => {}
                Subject::Partner(_) => return Err(AppError::NotFound("partner")),
                Subject::User(u) => {
                    let mut tx = self.read().await?;
                    let found = tx.find_user(u).await?;
                    tx.rollback().await?;
                    if found.is_none_or(|f| f.org_id != caller.org_id) {
                        return Err(AppError::NotFound("user"));
                    }
                }
            }
        }
        self.check_access(q).await
    }

    /// Before a change that affects access commits: every listening node stops answering
    /// for the partners it touches until it ends (see [`signals`]). Called by
    /// [`App::record_all`] for the changes it records.
    pub(crate) async fn guard_access(&self, tx: &mut dyn Tx, keys: Vec<Key>) -> AppResult<()> {
        if keys.is_empty() {
            return Ok(());
        }
        self.access.guard(self, tx, keys).await
    }

    /// The server process of this node's listening connection, while it listens
    /// (PostgreSQL; for operations and tests).
    pub fn access_listener_pid(&self) -> Option<i32> {
        self.access.listener_pid()
    }

    /// Does this node answer from memory now? (Always on SQLite; on PostgreSQL while it
    /// listens.)
    pub fn access_cache_trusted(&self) -> bool {
        self.access.cache.is_trusted()
    }
}

/// A fresh announcement id.
pub(crate) fn announce_id() -> Uuid {
    Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    const ROLE: &str = "role-a";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().expect("date")
    }

    fn grant(ends_in_days: i64, roles: &[&str], assignments: &[(Uuid, &[&str])]) -> Grant {
        let strings = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>().into();
        Grant {
            id: GdapId(Uuid::now_v7()),
            roles: strings(roles),
            ends_at: Some(now() + Duration::days(ends_in_days)),
            assignments: assignments.iter().map(|(g, r)| (*g, strings(r))).collect(),
        }
    }

    fn user(groups: &[Uuid], dap_admin: bool) -> UserAccess {
        UserAccess {
            partner: Some(PartnerId(Uuid::now_v7())),
            dap_admin,
            groups: groups.into(),
        }
    }

    #[test]
    fn the_relationship_ending_last_grants_and_an_ended_one_never_does() {
        let (soon, later, ended) = (grant(5, &[ROLE], &[]), grant(50, &[ROLE], &[]), grant(0, &[ROLE], &[]));
        let pair = PairAccess {
            dap: false,
            grants: vec![soon, later.clone(), ended].into(),
        };
        let d = decide(&pair, None, ROLE, now());
        assert_eq!(d.relationship_id, Some(later.id));
        assert_eq!(d.expires_at, later.ends_at);
        // At the later end, nothing is left.
        assert_eq!(
            decide(&pair, None, ROLE, now() + Duration::days(50)),
            AccessDecision::DENIED
        );
        assert_eq!(decide(&pair, None, "role-b", now()), AccessDecision::DENIED);
    }

    #[test]
    fn a_user_needs_a_group_assigned_the_role_and_dap_needs_an_admin() {
        let (g1, g2) = (Uuid::now_v7(), Uuid::now_v7());
        let rel = grant(10, &[ROLE, "role-b"], &[(g1, &[ROLE]), (g2, &["role-b"])]);
        let pair = PairAccess {
            dap: false,
            grants: vec![rel.clone()].into(),
        };
        assert_eq!(
            decide(&pair, Some(&user(&[g1], false)), ROLE, now()).relationship_id,
            Some(rel.id)
        );
        // Member of a group assigned another role only.
        assert!(!decide(&pair, Some(&user(&[g2], false)), ROLE, now()).allowed);
        // In no group.
        assert!(!decide(&pair, Some(&user(&[], true)), ROLE, now()).allowed);
        let dap = PairAccess {
            dap: true,
            grants: Box::new([]),
        };
        assert_eq!(decide(&dap, Some(&user(&[], true)), "any", now()).via, Some(Via::Dap));
        assert!(!decide(&dap, Some(&user(&[], false)), "any", now()).allowed);
        assert_eq!(decide(&dap, None, "any", now()).via, Some(Via::Dap));
    }
}
