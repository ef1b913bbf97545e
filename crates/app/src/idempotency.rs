//! Idempotent POSTs: a POST repeated with the same `MS-RequestId` by the same caller within
//! 24 hours gets the first response again and changes nothing.
//!
//! The first request *reserves* its id before it runs, so a repeat that arrives while it is
//! still running is told so instead of running twice; it then *completes* the reservation
//! with its response, or *releases* it when it failed in a way worth retrying.

use chrono::Duration;
use partnerdesk_domain::DomainError;
use partnerdesk_store::{IdempotencyRecord, StoreError};

pub use partnerdesk_store::StoredResponse;

use crate::{App, AppResult, Caller};

/// How long a response is kept for replay.
pub const IDEMPOTENCY_WINDOW_HOURS: i64 = 24;
/// Longest request id accepted.
const MAX_REQUEST_ID_LEN: usize = 128;

/// What to do with a POST that carries a request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// First time: run it, then [`App::complete_request`] or [`App::release_request`].
    Reserved,
    /// Seen before: answer with this and run nothing.
    Replay(StoredResponse),
    /// The first request with this id has not finished yet.
    InProgress,
    /// The id was used for another request: this method and path.
    Mismatch { method: String, path: String },
}

impl App {
    /// Reserves `request_id` for the caller's `method` `path`, or says why not.
    pub async fn reserve_request(
        &self,
        caller: &Caller,
        request_id: &str,
        method: &str,
        path: &str,
    ) -> AppResult<Reservation> {
        if request_id.is_empty() || request_id.len() > MAX_REQUEST_ID_LEN {
            return Err(DomainError::InvalidProperty {
                property: "MS-RequestId",
                reason: format!("must be 1 to {MAX_REQUEST_ID_LEN} characters"),
            }
            .into());
        }
        let now = self.now();
        let mut tx = self.store().begin().await?;
        // Forgetting expired ids here keeps the table at one day of POSTs with no
        // background job; the delete walks the `created_at` index and is cheap.
        tx.delete_idempotency_keys_before(now - Duration::hours(IDEMPOTENCY_WINDOW_HOURS))
            .await?;
        if let Some(found) = tx.find_idempotency_key(caller.user_id, request_id).await? {
            return Ok(judge(found, method, path));
        }
        let record = IdempotencyRecord {
            user_id: caller.user_id,
            request_id: request_id.to_string(),
            org_id: caller.org_id,
            method: method.to_string(),
            path: path.to_string(),
            response: None,
            created_at: now,
        };
        match tx.insert_idempotency_key(&record).await {
            Ok(()) => {
                tx.commit().await?;
                Ok(Reservation::Reserved)
            }
            // A concurrent request with the same id reserved it first (PostgreSQL).
            Err(StoreError::Conflict(_)) => {
                drop(tx);
                let mut tx = self.store().read().await?;
                Ok(match tx.find_idempotency_key(caller.user_id, request_id).await? {
                    Some(found) => judge(found, method, path),
                    None => Reservation::InProgress,
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Keeps the response of a reserved request for replay.
    pub async fn complete_request(
        &self,
        caller: &Caller,
        request_id: &str,
        response: &StoredResponse,
    ) -> AppResult<()> {
        let mut tx = self.store().begin().await?;
        tx.complete_idempotency_key(caller.user_id, request_id, response)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets a reservation, so that the request may be retried.
    pub async fn release_request(&self, caller: &Caller, request_id: &str) -> AppResult<()> {
        let mut tx = self.store().begin().await?;
        tx.delete_idempotency_key(caller.user_id, request_id).await?;
        tx.commit().await?;
        Ok(())
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
