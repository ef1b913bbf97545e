//! The access check's memory: what decides a (partner, customer) pair and what a partner
//! user brings to it, read lazily from the database and dropped by invalidation.
//!
//! Reads are lock-free (`papaya` maps under an epoch guard). Fills and invalidations take
//! one mutex, so a fill that raced an invalidation is refused: a fill carries the
//! generation it started at, and every invalidation moves the generation on. A partner
//! under suspicion (a change to it is announced and not yet ended) and a node that is not
//! listening read the database instead of the cache.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use partnerdesk_domain::{CustomerId, GdapId, PartnerId, UserId};
use uuid::Uuid;

/// How long a suspicion lasts when the change that raised it never says it ended (its node
/// died between announcing and ending it).
pub(crate) const SUSPICION_TTL: Duration = Duration::from_secs(60);

/// What a change touches: one partner's access, or everyone's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Partner(PartnerId),
    All,
}

impl Key {
    pub(crate) fn encode(self) -> String {
        match self {
            Key::Partner(p) => p.0.to_string(),
            Key::All => "*".into(),
        }
    }
    pub(crate) fn decode(s: &str) -> Option<Key> {
        if s == "*" {
            return Some(Key::All);
        }
        Uuid::parse_str(s).ok().map(|u| Key::Partner(PartnerId(u)))
    }
    fn covers(self, partner: PartnerId) -> bool {
        match self {
            Key::All => true,
            Key::Partner(p) => p == partner,
        }
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
                *index = Index::default();
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
