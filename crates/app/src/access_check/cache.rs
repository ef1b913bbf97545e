//! The access check's memory: what decides a (partner, customer) pair and what a partner
//! user brings to it, read lazily from the database and dropped by invalidation.
//!
//! Reads are lock-free (`papaya` maps under an epoch guard). Fills and invalidations take
//! one mutex, so a fill that raced an invalidation is refused: a fill carries the
//! generation it started at, and every invalidation moves the generation on. A partner
//! under suspicion (a change to it is announced and not yet ended) and a node that is not
//! listening read the database instead of the cache.
//!
//! The same node keeps the authenticated callers ([`CachedCaller`], filled by
//! `App::authenticate`) under the same trust, suspicion and generation, so a change to a
//! user (its password, roles, deletion, its tokens) reaches them exactly as a change to a
//! partner's access reaches the pairs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use partnerdesk_domain::{ApiTokenId, CustomerId, GdapId, PartnerId, UserId};
use uuid::Uuid;

use crate::Caller;

/// How long a suspicion lasts when the change that raised it never says it ended (its node
/// died between announcing and ending it).
pub(crate) const SUSPICION_TTL: Duration = Duration::from_secs(60);

/// The most authenticated callers a node keeps (a bearer token each). Past it, expired
/// entries go first, then an arbitrary eighth of the rest.
pub const MAX_CALLERS: usize = 50_000;

/// What a change touches: one partner's access, one user's authentication, or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Partner(PartnerId),
    /// The callers (bearer tokens) of one user.
    User(UserId),
    All,
}

impl Key {
    pub(crate) fn encode(self) -> String {
        match self {
            Key::Partner(p) => p.0.to_string(),
            Key::User(u) => format!("u{}", u.0),
            Key::All => "*".into(),
        }
    }
    pub(crate) fn decode(s: &str) -> Option<Key> {
        if s == "*" {
            return Some(Key::All);
        }
        if let Some(user) = s.strip_prefix('u') {
            return Uuid::parse_str(user).ok().map(|u| Key::User(UserId(u)));
        }
        Uuid::parse_str(s).ok().map(|u| Key::Partner(PartnerId(u)))
    }
    fn covers(self, partner: PartnerId) -> bool {
        match self {
            Key::All => true,
            Key::Partner(p) => p == partner,
            Key::User(_) => false,
        }
    }
    fn covers_user(self, user: UserId) -> bool {
        match self {
            Key::All => true,
            Key::User(u) => u == user,
            Key::Partner(_) => false,
        }
    }
}

/// A bearer token that authenticated: the caller it stands for, until when, and (for a
/// personal API token) which one, so its use is still noted.
#[derive(Debug)]
pub struct CachedCaller {
    /// Shared with the requests it authenticates, so none copies its strings.
    pub caller: Arc<Caller>,
    /// The token's end (`exp` of an access token; a personal token's `expires_at`).
    pub expires_at: Option<DateTime<Utc>>,
    pub api_token: Option<ApiTokenId>,
    /// When the token's use was last noted (seconds since the epoch; personal tokens).
    pub(crate) noted_at: AtomicI64,
}

impl CachedCaller {
    pub fn new(
        caller: Arc<Caller>,
        expires_at: Option<DateTime<Utc>>,
        api_token: Option<(ApiTokenId, Option<DateTime<Utc>>)>,
    ) -> Self {
        let noted = api_token.and_then(|(_, at)| at).map_or(i64::MIN, |at| at.timestamp());
        Self {
            caller,
            expires_at,
            api_token: api_token.map(|(id, _)| id),
            noted_at: AtomicI64::new(noted),
        }
    }

    /// Does the token still authenticate at `now` (as far as its own end goes)?
    pub fn live_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|end| now < end)
    }
}

/// A GDAP relationship as the check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: GdapId,
    pub roles: Box<[String]>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Security group → the roles its members get through this relationship.
    pub assignments: Box<[(Uuid, Box<[String]>)]>,
}

/// What decides a partner's (and its users') access to one customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairAccess {
    /// DAP granted and the reseller relationship active.
    pub dap: bool,
    pub grants: Box<[Grant]>,
}

/// What a user brings to a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccess {
    /// The partner the user belongs to (`None`: not a partner user; it is granted nothing).
    pub partner: Option<PartnerId>,
    /// A partner `global_admin` or `admin_agent`: DAP gives it every role.
    pub dap_admin: bool,
    pub groups: Box<[Uuid]>,
}

#[derive(Default)]
struct Index {
    pairs: HashMap<PartnerId, Vec<CustomerId>>,
    users: HashMap<PartnerId, Vec<UserId>>,
}

/// The per-node cache.
pub struct AccessCache {
    pairs: papaya::HashMap<(PartnerId, CustomerId), PairAccess>,
    users: papaya::HashMap<UserId, UserAccess>,
    roles: papaya::HashSet<String>,
    roles_loaded: AtomicBool,
    /// SHA-256 of a bearer token → the caller it authenticated.
    callers: papaya::HashMap<[u8; 32], CachedCaller>,
    index: Mutex<Index>,
    generation: AtomicU64,
    suspects: Mutex<HashMap<Uuid, (Vec<Key>, Instant)>>,
    suspect_count: AtomicUsize,
    /// Is the cache to be believed? Always on one node (SQLite); on PostgreSQL only while
    /// the node listens for changes.
    trusted: AtomicBool,
}

impl AccessCache {
    pub fn new(trusted: bool) -> Self {
        Self {
            pairs: papaya::HashMap::new(),
            users: papaya::HashMap::new(),
            roles: papaya::HashSet::new(),
            roles_loaded: AtomicBool::new(false),
            callers: papaya::HashMap::new(),
            index: Mutex::default(),
            generation: AtomicU64::new(0),
            suspects: Mutex::default(),
            suspect_count: AtomicUsize::new(0),
            trusted: AtomicBool::new(trusted),
        }
    }

    fn index(&self) -> MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn suspects(&self) -> MutexGuard<'_, HashMap<Uuid, (Vec<Key>, Instant)>> {
        self.suspects.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// May the cache answer for `partner` now?
    pub fn usable(&self, partner: PartnerId) -> bool {
        if !self.trusted.load(Ordering::Acquire) {
            return false;
        }
        if self.suspect_count.load(Ordering::Acquire) == 0 {
            return true;
        }
        let mut suspects = self.suspects();
        suspects.retain(|_, (_, since)| since.elapsed() < SUSPICION_TTL);
        self.suspect_count.store(suspects.len(), Ordering::Release);
        !suspects
            .values()
            .any(|(keys, _)| keys.iter().any(|k| k.covers(partner)))
    }

    pub fn is_trusted(&self) -> bool {
        self.trusted.load(Ordering::Acquire)
    }

    /// May the cache authenticate `user`'s tokens now?
    pub fn usable_for_user(&self, user: UserId) -> bool {
        if !self.trusted.load(Ordering::Acquire) {
            return false;
        }
        if self.suspect_count.load(Ordering::Acquire) == 0 {
            return true;
        }
        let mut suspects = self.suspects();
        suspects.retain(|_, (_, since)| since.elapsed() < SUSPICION_TTL);
        self.suspect_count.store(suspects.len(), Ordering::Release);
        !suspects
            .values()
            .any(|(keys, _)| keys.iter().any(|k| k.covers_user(user)))
    }

    /// Hands the caller kept for a token's hash to `f`, if there is one.
    pub fn with_caller<R>(&self, token_hash: &[u8; 32], f: impl FnOnce(Option<&CachedCaller>) -> R) -> R {
        f(self.callers.pin().get(token_hash))
    }

    /// Forgets one token (found expired).
    pub fn forget_caller(&self, token_hash: &[u8; 32]) {
        self.callers.pin().remove(token_hash);
    }

    /// Keeps what a token authenticated as at `generation`, unless something that could
    /// change it was invalidated since. At [`MAX_CALLERS`], expired tokens are dropped, and
    /// if that is not enough an arbitrary eighth of the others.
    pub fn fill_caller(&self, generation: u64, token_hash: [u8; 32], entry: CachedCaller, now: DateTime<Utc>) {
        let _index = self.index();
        if self.generation() != generation || !self.usable_for_user(entry.caller.user_id) {
            return;
        }
        let callers = self.callers.pin();
        if callers.len() >= MAX_CALLERS {
            callers.retain(|_, c| c.live_at(now));
            if callers.len() >= MAX_CALLERS {
                let excess = callers.len() - (MAX_CALLERS - MAX_CALLERS / 8);
                let victims: Vec<[u8; 32]> = callers.keys().take(excess).copied().collect();
                for k in &victims {
                    callers.remove(k);
                }
            }
        }
        callers.insert(token_hash, entry);
    }

    /// Authenticated callers held.
    pub fn callers_len(&self) -> usize {
        self.callers.len()
    }

    /// The generation a fill starts at.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Looks up the pair and the user under one guard and hands them to `f`.
    pub fn with<R>(
        &self,
        partner: PartnerId,
        customer: CustomerId,
        user: Option<UserId>,
        f: impl FnOnce(Option<&PairAccess>, Option<&UserAccess>) -> R,
    ) -> R {
        let pairs = self.pairs.pin();
        let pair = pairs.get(&(partner, customer));
        match user {
            Some(u) => {
                let users = self.users.pin();
                f(pair, users.get(&u))
            }
            None => f(pair, None),
        }
    }

    pub fn user(&self, user: UserId) -> Option<UserAccess> {
        self.users.pin().get(&user).cloned()
    }

    /// `Some(known)` when the catalogue is in memory.
    pub fn role_known(&self, role: &str) -> Option<bool> {
        if !self.roles_loaded.load(Ordering::Acquire) || !self.trusted.load(Ordering::Acquire) {
            return None;
        }
        Some(self.roles.pin().contains(role))
    }

    pub fn fill_roles(&self, generation: u64, roles: Vec<String>) {
        let _index = self.index();
        if self.generation() != generation || !self.is_trusted() || self.suspect_count.load(Ordering::Acquire) > 0 {
            return;
        }
        let set = self.roles.pin();
        set.clear();
        for r in roles {
            set.insert(r);
        }
        self.roles_loaded.store(true, Ordering::Release);
    }

    /// Keeps what was read at `generation`, unless something was invalidated since.
    pub fn fill_pair(&self, generation: u64, partner: PartnerId, customer: CustomerId, access: PairAccess) {
        let mut index = self.index();
        if self.generation() != generation || !self.usable(partner) {
            return;
        }
        if self.pairs.pin().insert((partner, customer), access).is_none() {
            index.pairs.entry(partner).or_default().push(customer);
        }
    }

    pub fn fill_user(&self, generation: u64, user: UserId, access: UserAccess) {
        let mut index = self.index();
        let Some(partner) = access.partner else { return };
        if self.generation() != generation || !self.usable(partner) {
            return;
        }
        if self.users.pin().insert(user, access).is_none() {
            index.users.entry(partner).or_default().push(user);
        }
    }

    /// Drops what `key` covers.
    pub(crate) fn invalidate(&self, key: Key) {
        let mut index = self.index();
        self.generation.fetch_add(1, Ordering::AcqRel);
        match key {
            Key::All => {
                self.pairs.pin().clear();
                self.users.pin().clear();
                self.roles_loaded.store(false, Ordering::Release);
                self.roles.pin().clear();
                self.callers.pin().clear();
                *index = Index::default();
            }
            Key::User(u) => {
                self.callers.pin().retain(|_, c| c.caller.user_id != u);
            }
            Key::Partner(p) => {
                let pairs = self.pairs.pin();
                for c in index.pairs.remove(&p).unwrap_or_default() {
                    pairs.remove(&(p, c));
                }
                let users = self.users.pin();
                for u in index.users.remove(&p).unwrap_or_default() {
                    users.remove(&u);
                }
            }
        }
    }

    /// A change to `keys` is on its way: stop answering for them from memory until
    /// [`AccessCache::release`].
    pub(crate) fn suspect(&self, announce: Uuid, keys: &[Key]) {
        {
            let mut suspects = self.suspects();
            suspects.insert(announce, (keys.to_vec(), Instant::now()));
            self.suspect_count.store(suspects.len(), Ordering::Release);
        }
        for &k in keys {
            self.invalidate(k);
        }
    }

    /// The change announced as `announce` ended: drop what it touched, then trust again.
    pub(crate) fn release(&self, announce: Uuid, keys: &[Key]) {
        for &k in keys {
            self.invalidate(k);
        }
        let mut suspects = self.suspects();
        suspects.remove(&announce);
        self.suspect_count.store(suspects.len(), Ordering::Release);
    }

    /// Stops (or starts) answering from memory; either way forgets everything.
    pub fn set_trusted(&self, trusted: bool) {
        if !trusted {
            self.trusted.store(false, Ordering::Release);
        }
        self.invalidate(Key::All);
        if trusted {
            self.trusted.store(true, Ordering::Release);
        }
    }

    /// Entries held (pairs, users).
    pub fn len(&self) -> (usize, usize) {
        (self.pairs.len(), self.users.len())
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.users.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use partnerdesk_domain::org::OrgKind;
    use partnerdesk_domain::OrgId;

    use super::*;

    fn caller(user: UserId) -> Arc<Caller> {
        Arc::new(Caller {
            user_id: user,
            org_id: OrgId(Uuid::now_v7()),
            org_kind: OrgKind::Operator,
            roles: Vec::new(),
            partner_type: None,
            locale: "en-US".into(),
            upn: "someone@example.test".into(),
            display_name: "Someone".into(),
            application: partnerdesk_domain::audit::Application::Cli,
        })
    }

    fn hash(n: usize) -> [u8; 32] {
        let mut h = [0u8; 32];
        h[..8].copy_from_slice(&(n as u64).to_le_bytes());
        h
    }

    #[test]
    fn the_callers_kept_never_exceed_the_cap_and_expired_ones_go_first() {
        let cache = AccessCache::new(true);
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().expect("date");
        let user = UserId(Uuid::now_v7());
        // A hundred tokens that have ended, then live ones up to the cap and beyond.
        for n in 0..100 {
            let entry = CachedCaller::new(caller(user), Some(now - chrono::Duration::seconds(1)), None);
            cache.fill_caller(cache.generation(), hash(n), entry, now);
        }
        for n in 100..MAX_CALLERS + 1_000 {
            let entry = CachedCaller::new(caller(user), Some(now + chrono::Duration::hours(1)), None);
            cache.fill_caller(cache.generation(), hash(n), entry, now);
            assert!(cache.callers_len() <= MAX_CALLERS, "at {n}");
        }
        let live_left = (0..100).all(|n| cache.with_caller(&hash(n), |c| c.is_none()));
        assert!(live_left, "the ended tokens went first");
        let newest = MAX_CALLERS + 999;
        assert!(cache.with_caller(&hash(newest), |c| c.is_some()), "the newest is kept");
    }

    #[test]
    fn a_users_change_drops_its_tokens_only_and_a_fill_that_raced_it_is_refused() {
        let cache = AccessCache::new(true);
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().expect("date");
        let (a, b) = (UserId(Uuid::now_v7()), UserId(Uuid::now_v7()));
        cache.fill_caller(
            cache.generation(),
            hash(1),
            CachedCaller::new(caller(a), None, None),
            now,
        );
        cache.fill_caller(
            cache.generation(),
            hash(2),
            CachedCaller::new(caller(b), None, None),
            now,
        );
        let before = cache.generation();
        cache.invalidate(Key::User(a));
        assert!(cache.with_caller(&hash(1), |c| c.is_none()), "a's token is dropped");
        assert!(cache.with_caller(&hash(2), |c| c.is_some()), "b's token stays");
        // Read before the change, kept after it: refused.
        cache.fill_caller(before, hash(1), CachedCaller::new(caller(a), None, None), now);
        assert!(cache.with_caller(&hash(1), |c| c.is_none()), "a stale fill is refused");
        // Under suspicion a user's tokens are not answered nor kept.
        let announce = Uuid::now_v7();
        cache.suspect(announce, &[Key::User(b)]);
        assert!(!cache.usable_for_user(b) && cache.usable_for_user(a));
        cache.fill_caller(
            cache.generation(),
            hash(2),
            CachedCaller::new(caller(b), None, None),
            now,
        );
        assert!(cache.with_caller(&hash(2), |c| c.is_none()), "no fill under suspicion");
        cache.release(announce, &[Key::User(b)]);
        assert!(cache.usable_for_user(b));
        assert_eq!(Key::decode(&Key::User(b).encode()), Some(Key::User(b)));
    }
}
