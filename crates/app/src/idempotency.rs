//! Idempotent requests: a POST repeated with the same request id by the same caller within
//! 24 hours gets the first answer again and changes nothing. The id is the client's
//! `MS-RequestId` on the API and the one-time token a dashboard form carries.
//!
//! The record of a request commits in the same transaction as the change it guards, so
//! there is no state in which one exists without the other:
//!
//! 1. The caller of the request (the HTTP layer) makes an [`IdempotencyScope`] and runs the
//!    request inside it ([`App::within_scope`]).
//! 2. The first write transaction a use case opens ([`App::write`]) inserts the record
//!    before anything else. If the id is taken, the transaction is rolled back and the use
//!    case stops with a conflict; the scope remembers what the first request answered. On
//!    PostgreSQL a concurrent insert of the same id waits for the first transaction to end
//!    (and conflicts only if it committed); on SQLite the writer is taken by one
//!    transaction at a time.
//! 3. The use case's `commit` does not commit: the transaction is parked in the scope.
//!    Later transactions of the same request, reads included, continue in it (they see what
//!    it wrote, and SQLite's one writer is never waited for by its own holder), each as a
//!    step (a savepoint) of its own: a later use case that fails is undone alone, as if its
//!    transaction had rolled back (a bulk change refuses one item and keeps the others).
//! 4. The caller keeps the answer in the record and commits ([`App::commit_request`]), or
//!    rolls everything back ([`IdempotencyScope::discard`]). A request that is dropped
//!    (timeout, crash) rolls back with its change: a retry then simply runs.
//!
//! A request that opens no write transaction keeps nothing.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Duration;
use partnerdesk_domain::DomainError;
use partnerdesk_store::{IdempotencyRecord, StoreError, StoreResult, Tx};

pub use partnerdesk_store::StoredResponse;

use crate::{App, AppError, AppResult, Caller};

/// How long a response is kept for replay.
pub const IDEMPOTENCY_WINDOW_HOURS: i64 = 24;
/// Longest request id accepted.
const MAX_REQUEST_ID_LEN: usize = 128;

tokio::task_local! {
    /// The idempotency scope of the request this task is running, if it has one.
    static SCOPE: IdempotencyScope;
}

/// What a request id says before or while a request runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Not seen: run the request.
    Fresh,
    /// Seen before: answer with this and run nothing.
    Replay(StoredResponse),
    /// The first request with this id has not finished yet.
    InProgress,
    /// The id was used for another request: this method and path.
    Mismatch { method: String, path: String },
}

/// Where a request's transaction is.
enum Slot {
    /// No write transaction yet (or it was rolled back).
    Empty,
    /// Taken by a transaction of the request that is running now.
    InUse,
    /// Committed by its use case, waiting for the answer to be kept with it. With `undo`,
    /// the step last taken from it failed and must be undone before it is used again.
    Parked { tx: Box<dyn Tx>, undo: bool },
}

struct ScopeState {
    key: IdempotencyRecord,
    slot: Slot,
    /// Set when the id turned out to be taken: what to answer instead.
    repeated: Option<Reservation>,
    /// A step of the request's transaction could not be undone, so the request's change is
    /// in doubt: nothing may be kept or committed.
    poisoned: bool,
}

/// The idempotency scope of one request. Cheap to clone; every clone is the same scope.
#[derive(Clone)]
pub struct IdempotencyScope {
    state: Arc<Mutex<ScopeState>>,
}

impl std::fmt::Debug for IdempotencyScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.lock();
        f.debug_struct("IdempotencyScope")
            .field("request_id", &s.key.request_id)
            .field("path", &s.key.path)
            .finish()
    }
}

impl IdempotencyScope {
    fn lock(&self) -> MutexGuard<'_, ScopeState> {
        // A panic while holding the lock cannot leave the state half-changed: every
        // critical section is a plain assignment.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The answer to give instead of the handler's, when the id was taken while the
    /// request ran.
    pub fn repeated(&self) -> Option<Reservation> {
        self.lock().repeated.clone()
    }

    /// Did the request write something that now waits to be committed?
    pub fn has_changes(&self) -> bool {
        matches!(self.lock().slot, Slot::Parked { .. })
    }

    /// Is the request's change in doubt (a failed step could not be undone)?
    pub fn is_incomplete(&self) -> bool {
        self.lock().poisoned
    }

    /// Rolls back whatever the request wrote; nothing is kept.
    pub fn discard(&self) {
        let parked = std::mem::replace(&mut self.lock().slot, Slot::Empty);
        drop(parked);
    }

    /// Takes the parked transaction for the next step (the slot is then `InUse`), undoing
    /// a failed step first. `None` when nothing is parked.
    async fn take_parked(&self) -> StoreResult<Option<Box<dyn Tx>>> {
        let (mut tx, undo) = {
            let mut s = self.lock();
            match std::mem::replace(&mut s.slot, Slot::InUse) {
                Slot::Parked { tx, undo } => (tx, undo),
                other => {
                    s.slot = other;
                    return Ok(None);
                }
            }
        };
        if undo {
            if let Err(e) = tx.undo_step().await {
                let mut s = self.lock();
                s.slot = Slot::Empty;
                s.poisoned = true;
                return Err(e);
            }
        }
        Ok(Some(tx))
    }

    /// Takes the parked transaction and begins a step in it.
    async fn continue_parked(&self) -> StoreResult<Option<Box<dyn Tx>>> {
        let Some(mut tx) = self.take_parked().await? else {
            return Ok(None);
        };
        if let Err(e) = tx.begin_step().await {
            let mut s = self.lock();
            s.slot = Slot::Empty;
            s.poisoned = true;
            return Err(e);
        }
        Ok(Some(tx))
    }
}

/// How a transaction handed out by [`App::write`] or [`App::read`] relates to the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No scope: an ordinary transaction.
    Plain,
    /// A read continuing the request's parked transaction, as a step.
    Read,
    /// The request's first write transaction (it holds the idempotency record).
    FirstWrite,
    /// A later write continuing the parked transaction, as a step.
    LaterWrite,
}

/// A transaction of a use case. Derefs to the store's [`Tx`]. Outside an idempotency scope
/// it is an ordinary transaction; inside one, `commit` parks it in the scope (see the
/// module documentation).
pub struct AppTx {
    tx: Option<Box<dyn Tx>>,
    scope: Option<IdempotencyScope>,
    mode: Mode,
    committed: bool,
}

impl AppTx {
    fn plain(tx: Box<dyn Tx>) -> Self {
        Self {
            tx: Some(tx),
            scope: None,
            mode: Mode::Plain,
            committed: false,
        }
    }

    fn inner(&self) -> &(dyn Tx + 'static) {
        match self.tx.as_deref() {
            Some(tx) => tx,
            // `tx` is only taken by `commit`, `rollback` and `drop`, which consume `self`.
            None => unreachable!("a transaction used after it ended"),
        }
    }

    fn inner_mut(&mut self) -> &mut (dyn Tx + 'static) {
        match self.tx.as_deref_mut() {
            Some(tx) => tx,
            None => unreachable!("a transaction used after it ended"),
        }
    }

    /// Commits; inside an idempotency scope, hands the transaction back to the scope, which
    /// commits it together with the request's answer.
    pub async fn commit(mut self) -> StoreResult<()> {
        match (self.mode, self.tx.take()) {
            (Mode::Plain, Some(tx)) => tx.commit().await,
            (Mode::FirstWrite, tx) => {
                self.tx = tx;
                self.committed = true;
                Ok(())
            }
            (_, Some(mut tx)) => {
                let kept = tx.keep_step().await;
                self.tx = Some(tx);
                self.committed = kept.is_ok();
                kept
            }
            (_, None) => Ok(()),
        }
    }

    /// Rolls back; inside an idempotency scope, a read hands the parked transaction back
    /// untouched.
    pub async fn rollback(mut self) -> StoreResult<()> {
        match (self.mode, self.tx.take()) {
            (Mode::Plain, Some(tx)) => tx.rollback().await,
            (_, tx) => {
                self.tx = tx;
                Ok(())
            }
        }
    }
}

/// The store transaction, for helpers that take `&mut dyn Tx`.
impl AsMut<dyn Tx> for AppTx {
    fn as_mut(&mut self) -> &mut (dyn Tx + 'static) {
        self.inner_mut()
    }
}

impl std::ops::Deref for AppTx {
    type Target = dyn Tx;
    fn deref(&self) -> &Self::Target {
        self.inner()
    }
}

impl std::ops::DerefMut for AppTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.inner_mut()
    }
}

impl Drop for AppTx {
    fn drop(&mut self) {
        let (Some(scope), Some(tx)) = (self.scope.take(), self.tx.take()) else {
            return;
        };
        let mut s = scope.lock();
        match self.mode {
            Mode::Plain => {}
            _ if self.committed => s.slot = Slot::Parked { tx, undo: false },
            // The use case failed before anything of the request was kept: the record
            // goes with it, so a retry runs again.
            Mode::FirstWrite => {
                s.slot = Slot::Empty;
                drop(tx);
            }
            // A later step that ended without a commit (a read, or a use case that failed)
            // is undone; what the steps before it did stays.
            Mode::Read | Mode::LaterWrite => s.slot = Slot::Parked { tx, undo: true },
        }
    }
}

fn judge(found: IdempotencyRecord, method: &str, path: &str) -> Reservation {
    if found.method != method || found.path != path {
        return Reservation::Mismatch {
            method: found.method,
            path: found.path,
        };
    }
    match found.response {
        Some(response) => Reservation::Replay(response),
        None => Reservation::InProgress,
    }
}

fn already_handled() -> AppError {
    AppError::Conflict(partnerdesk_domain::ConflictKind::RequestAlreadyHandled)
}

impl App {
    /// The scope of a request that the caller sent with `request_id`. Refuses an empty or
    /// overlong id.
    pub fn idempotency_scope(
        &self,
        caller: &Caller,
        request_id: &str,
        method: &str,
        path: &str,
    ) -> AppResult<IdempotencyScope> {
        if request_id.is_empty() || request_id.len() > MAX_REQUEST_ID_LEN {
            return Err(DomainError::InvalidProperty {
                property: "MS-RequestId",
                reason: partnerdesk_domain::Reason::LengthOutOfRange {
                    min: 1,
                    max: MAX_REQUEST_ID_LEN,
                },
            }
            .into());
        }
        let key = IdempotencyRecord {
            user_id: caller.user_id,
            request_id: request_id.to_string(),
            org_id: caller.org_id,
            method: method.to_string(),
            path: path.to_string(),
            response: None,
            created_at: self.now(),
        };
        Ok(IdempotencyScope {
            state: Arc::new(Mutex::new(ScopeState {
                key,
                slot: Slot::Empty,
                repeated: None,
                poisoned: false,
            })),
        })
    }

    /// What the scope's request id says before the request runs: forgets expired ids, then
    /// looks this one up. A `Fresh` answer is a hint only; the write transaction decides.
    pub async fn check_request(&self, scope: &IdempotencyScope) -> AppResult<Reservation> {
        let (user, request_id, method, path) = {
            let s = scope.lock();
            (
                s.key.user_id,
                s.key.request_id.clone(),
                s.key.method.clone(),
                s.key.path.clone(),
            )
        };
        let now = self.now();
        // Forgetting expired ids here keeps the table at one day of POSTs with no
        // background job; the delete walks the `created_at` index and is cheap. It runs in a
        // transaction of its own so that it never waits on a request in progress.
        let mut tx = self.store().begin().await?;
        tx.delete_idempotency_keys_before(now - Duration::hours(IDEMPOTENCY_WINDOW_HOURS))
            .await?;
        let found = tx.find_idempotency_key(user, &request_id).await?;
        tx.commit().await?;
        Ok(match found {
            Some(found) => judge(found, &method, &path),
            None => Reservation::Fresh,
        })
    }

    /// Runs `request` inside `scope`: the use cases it calls write through the scope.
    pub async fn within_scope<F: std::future::Future>(&self, scope: IdempotencyScope, request: F) -> F::Output {
        SCOPE.scope(scope, request).await
    }

    /// Keeps `response` with the request's change and commits both. An error means neither
    /// happened (or, for a failed commit, that it is not known to have happened).
    pub async fn commit_request(&self, scope: &IdempotencyScope, response: &StoredResponse) -> AppResult<()> {
        let (user, request_id) = {
            let s = scope.lock();
            (s.key.user_id, s.key.request_id.clone())
        };
        let Some(mut tx) = scope.take_parked().await? else {
            return Err(AppError::Internal("no change to keep an answer with".into()));
        };
        tx.complete_idempotency_key(user, &request_id, response).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens the write transaction of a use case. Every use case writes through this one
    /// door, so that a request with an idempotency scope records its id in the same
    /// transaction as its change (see the module documentation).
    pub(crate) async fn write(&self) -> AppResult<AppTx> {
        let Ok(scope) = SCOPE.try_with(IdempotencyScope::clone) else {
            return Ok(AppTx::plain(self.store().begin().await?));
        };
        {
            let mut s = scope.lock();
            if s.repeated.is_some() {
                return Err(already_handled());
            }
            if s.poisoned {
                return Err(AppError::Internal("an earlier part of this request failed".into()));
            }
            match s.slot {
                Slot::InUse => {
                    return Err(AppError::Internal(
                        "a request wrote through two transactions at once".into(),
                    ))
                }
                Slot::Empty => s.slot = Slot::InUse,
                Slot::Parked { .. } => {}
            }
        }
        if let Some(tx) = scope.continue_parked().await? {
            return Ok(AppTx {
                tx: Some(tx),
                scope: Some(scope),
                mode: Mode::LaterWrite,
                committed: false,
            });
        }
        match self.first_write(&scope).await {
            Ok(tx) => Ok(AppTx {
                tx: Some(tx),
                scope: Some(scope),
                mode: Mode::FirstWrite,
                committed: false,
            }),
            Err(e) => {
                scope.lock().slot = Slot::Empty;
                Err(e)
            }
        }
    }

    /// Begins a write transaction whose first statement records the scope's request id.
    async fn first_write(&self, scope: &IdempotencyScope) -> AppResult<Box<dyn Tx>> {
        let mut key = scope.lock().key.clone();
        key.created_at = self.now();
        let mut tx = self.store().begin().await?;
        match tx.insert_idempotency_key(&key).await {
            Ok(()) => Ok(tx),
            Err(StoreError::Conflict(_)) => {
                drop(tx);
                let mut read = self.store().read().await?;
                let found = read.find_idempotency_key(key.user_id, &key.request_id).await?;
                read.rollback().await?;
                let outcome = match found {
                    Some(found) => judge(found, &key.method, &key.path),
                    None => Reservation::InProgress,
                };
                scope.lock().repeated = Some(outcome);
                Err(already_handled())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Opens a read transaction of a use case: inside a scope whose request already wrote,
    /// the request's own transaction, so it reads what the request wrote.
    pub(crate) async fn read(&self) -> StoreResult<AppTx> {
        if let Ok(scope) = SCOPE.try_with(IdempotencyScope::clone) {
            if let Some(tx) = scope.continue_parked().await? {
                return Ok(AppTx {
                    tx: Some(tx),
                    scope: Some(scope),
                    mode: Mode::Read,
                    committed: false,
                });
            }
        }
        Ok(AppTx::plain(self.store().read().await?))
    }
}
