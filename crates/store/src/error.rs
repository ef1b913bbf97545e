//! The store's errors. "Not found" is never confused with "database down".

use partnerdesk_domain::ConflictKind;

/// A store call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness rule refused the write (e.g. a second active relationship, a taken e-mail).
    #[error("conflict: {0}")]
    Conflict(ConflictKind),
    /// The row changed since it was read (optimistic concurrency).
    #[error("{0} was changed by someone else; reload and try again")]
    VersionConflict(&'static str),
    /// The database cannot be reached, or stayed locked/busy past the timeout.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A row could not be read back into a domain value.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(String),
    /// The database URL is not one we understand.
    #[error("{0}")]
    BadUrl(String),
}
