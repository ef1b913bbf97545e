//! Keeping the caches of many nodes true (PostgreSQL). Each node listens on the access
//! channel on a connection of its own and beats a heartbeat row (`access_nodes`). A change
//! that affects access, before it commits:
//!
//! 1. suspects the partners it touches on its own node (the cache stops answering for
//!    them) and arranges to release them when its transaction ends;
//! 2. queues `c` (changed) with `pg_notify` in its transaction: sent when it commits;
//! 3. sends `s` (suspect) at once on another connection, and waits until every live node
//!    (heartbeat younger than [`LIVE_WINDOW_MS`]) has acknowledged it (`access_acks`), at
//!    most [`ACK_WAIT`]; a node that did not is evicted from `access_nodes` and, when it
//!    notices at its next heartbeat, stops trusting its cache and starts over.
//!
//! A node that hears `s` stops answering for those partners from memory and acknowledges;
//! `c`, or `r` (released: sent after the transaction ended, committed or not), drops what
//! they touched and ends the suspicion. A node whose listening connection drops stops
//! trusting its cache at once and answers from the database until it listens again, is
//! registered, and [`TRUST_GRACE`] has passed (longer than a writer waits for
//! acknowledgements), then starts from an empty cache (the full resync).

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use partnerdesk_store::{PgStore, Tx};
use tokio::sync::Notify;
use uuid::Uuid;

use super::cache::{AccessCache, Key};
use crate::{App, AppResult};

/// How long a writer waits for the live nodes' acknowledgements.
pub(crate) const ACK_WAIT: Duration = Duration::from_secs(1);
/// How often a writer looks for them.
const ACK_POLL: Duration = Duration::from_millis(2);
/// A node is live while its heartbeat is younger than this.
pub(crate) const LIVE_WINDOW_MS: i64 = 2_000;
/// How often a node beats.
const HEARTBEAT: Duration = Duration::from_millis(500);
/// How long after registering a node starts trusting its cache.
pub(crate) const TRUST_GRACE: Duration = Duration::from_millis(1_500);
/// How long to wait before listening again after a failure.
const RETRY: Duration = Duration::from_millis(250);

/// One node's access cache and, on PostgreSQL, its part in the protocol above.
pub(crate) struct AccessNode {
    pub(crate) cache: AccessCache,
    node_id: Uuid,
    postgres: bool,
    started: AtomicBool,
    /// Registered and listening (heartbeats are sent only then).
    listening: AtomicBool,
    pid: AtomicI32,
    restart: Notify,
    /// The listening session; trust is given under it, so that a session that ended cannot
    /// be trusted late.
    session: Mutex<u64>,
}

fn encode(kind: char, announce: Uuid, keys: &[Key], node: Uuid) -> String {
    let keys: Vec<String> = keys.iter().map(|k| k.encode()).collect();
    format!("{kind}|{announce}|{}|{node}", keys.join(","))
}

fn decode(payload: &str) -> Option<(char, Uuid, Vec<Key>, Uuid)> {
    let mut parts = payload.split('|');
    let kind = parts.next()?.chars().next()?;
    let announce = Uuid::parse_str(parts.next()?).ok()?;
    let keys = parts.next()?.split(',').map(Key::decode).collect::<Option<Vec<_>>>()?;
    let node = Uuid::parse_str(parts.next()?).ok()?;
    Some((kind, announce, keys, node))
}

impl AccessNode {
    pub(crate) fn new(postgres: bool) -> Self {
        Self {
            cache: AccessCache::new(!postgres),
            node_id: Uuid::now_v7(),
            postgres,
            started: AtomicBool::new(false),
            listening: AtomicBool::new(false),
            pid: AtomicI32::new(0),
            restart: Notify::new(),
            session: Mutex::new(0),
        }
    }

    pub(crate) fn listener_pid(&self) -> Option<i32> {
        match self.pid.load(Ordering::Acquire) {
            0 => None,
            pid => Some(pid),
        }
    }

    /// Starts listening (once; PostgreSQL only; needs a Tokio runtime).
    pub(crate) fn start(self: &Arc<Self>, app: &App) {
        if !self.postgres || self.started.swap(true, Ordering::AcqRel) {
            return;
        }
        let Some(pg) = app.store().access_signals().cloned() else {
            return;
        };
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            self.started.store(false, Ordering::Release);
            return;
        };
        rt.spawn(listen(pg.clone(), Arc::downgrade(self)));
        rt.spawn(beat(pg, Arc::downgrade(self)));
    }

    fn end_session(&self) {
        let mut session = self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *session += 1;
        self.listening.store(false, Ordering::Release);
        self.pid.store(0, Ordering::Release);
        self.cache.set_trusted(false);
    }

    async fn handle(&self, pg: &PgStore, payload: &str) {
        let Some((kind, announce, keys, from)) = decode(payload) else {
            tracing::warn!(payload, "unreadable access notification; forgetting the whole cache");
            self.cache.invalidate(Key::All);
            return;
        };
        match kind {
            's' if from != self.node_id => {
                self.cache.suspect(announce, &keys);
                if let Err(e) = pg.access_ack(announce, self.node_id).await {
                    tracing::warn!(error = %e, "could not acknowledge an access change");
                }
            }
            's' => {}
            _ => self.cache.release(announce, &keys),
        }
    }

    /// See the module documentation, steps 1 to 3.
    pub(crate) async fn guard(self: &Arc<Self>, app: &App, tx: &mut dyn Tx, keys: Vec<Key>) -> AppResult<()> {
        let announce = super::announce_id();
        self.cache.suspect(announce, &keys);
        let pg = app.store().access_signals().cloned();
        {
            let node = Arc::clone(self);
            let keys = keys.clone();
            let pg = pg.clone();
            tx.on_end(Box::new(move || {
                node.cache.release(announce, &keys);
                let (Some(pg), Ok(rt)) = (pg, tokio::runtime::Handle::try_current()) else {
                    return;
                };
                let payload = encode('r', announce, &keys, node.node_id);
                rt.spawn(async move {
                    if let Err(e) = pg.access_announce(&payload).await {
                        tracing::warn!(error = %e, "could not announce the end of an access change");
                    }
                });
            }));
        }
        let Some(pg) = pg else { return Ok(()) };
        self.start(app);
        tx.notify_access(&encode('c', announce, &keys, self.node_id)).await?;
        pg.access_announce(&encode('s', announce, &keys, self.node_id)).await?;
        let live = pg.access_live_nodes(self.node_id, LIVE_WINDOW_MS).await?;
        if live.is_empty() {
            return Ok(());
        }
        let deadline = Instant::now() + ACK_WAIT;
        loop {
            let acked = pg.access_acked(announce).await?;
            let missing: Vec<Uuid> = live.iter().filter(|n| !acked.contains(n)).copied().collect();
            if missing.is_empty() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                tracing::warn!(nodes = ?missing, "nodes did not acknowledge an access change in time; evicting them");
                pg.access_evict(&missing).await?;
                return Ok(());
            }
            tokio::time::sleep(ACK_POLL).await;
        }
    }
}

/// The listening loop: listen, register, trust after the grace, handle messages; on any
/// loss stop trusting and start over.
async fn listen(pg: PgStore, node: Weak<AccessNode>) {
    loop {
        let Some(n) = node.upgrade() else { return };
        n.end_session();
        drop(n);
        let mut listener = match pg.access_listen().await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for access changes; answering from the database");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        let Some(n) = node.upgrade() else { return };
        if let Err(e) = pg.access_heartbeat(n.node_id, true).await {
            tracing::warn!(error = %e, "cannot register this node for access changes");
            drop(n);
            tokio::time::sleep(RETRY).await;
            continue;
        }
        let session = {
            let s = n.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            n.pid.store(listener.backend_pid(), Ordering::Release);
            n.listening.store(true, Ordering::Release);
            *s
        };
        let promote = Arc::downgrade(&n);
        tokio::spawn(async move {
            tokio::time::sleep(TRUST_GRACE).await;
            if let Some(n) = promote.upgrade() {
                let s = n.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if *s == session {
                    n.cache.set_trusted(true);
                }
            }
        });
        drop(n);
        loop {
            let Some(n) = node.upgrade() else { return };
            tokio::select! {
                msg = listener.recv() => match msg {
                    Ok(Some(payload)) => n.handle(&pg, &payload).await,
                    Ok(None) => {
                        tracing::warn!("the access listener lost its connection; answering from the database");
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the access listener failed; answering from the database");
                        break;
                    }
                },
                _ = n.restart.notified() => {
                    tracing::warn!("this node was evicted for not acknowledging an access change; starting over");
                    break;
                }
            }
        }
    }
}

/// The heartbeat loop: while listening, beat; a node found evicted starts over.
async fn beat(pg: PgStore, node: Weak<AccessNode>) {
    loop {
        tokio::time::sleep(HEARTBEAT).await;
        let Some(n) = node.upgrade() else { return };
        if !n.listening.load(Ordering::Acquire) {
            continue;
        }
        match pg.access_heartbeat(n.node_id, false).await {
            Ok(true) => {}
            Ok(false) => {
                n.cache.set_trusted(false);
                n.restart.notify_one();
            }
            Err(e) => tracing::warn!(error = %e, "access heartbeat failed"),
        }
    }
}
