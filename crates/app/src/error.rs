//! The use cases' errors: the domain's refusals plus what can go wrong around them.

use partnerdesk_domain::{ConflictKind, DomainError};
use partnerdesk_store::StoreError;

/// A use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// A rule refused it; carries the stable code.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Nothing of that id is visible to the caller.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A value that names one thing across the whole instance (a user's e-mail, a
    /// customer's domain) is already taken. Says only that, never by whom.
    #[error("{property} {value} is already in use")]
    AlreadyInUse { property: &'static str, value: String },
    /// A uniqueness rule refused it (an e-mail already taken, the last global admin, ...).
    #[error("{0}")]
    Conflict(ConflictKind),
    /// The row changed since the caller read it.
    #[error("{0} was changed by someone else; reload and try again")]
    VersionConflict(&'static str),
    /// No valid credentials.
    #[error("sign-in failed: {0}")]
    Unauthenticated(&'static str),
    /// A change of the caller's own password named a wrong current password. Its code is
    /// `unauthenticated`, as for any refused credential.
    #[error("sign-in failed: the current password is wrong")]
    WrongCurrentPassword,
    /// Too many wrong passwords for the account (from this client, or from everywhere):
    /// no password is checked until `retry_after_seconds` have passed.
    #[error("too many failed sign-ins; try again in {retry_after_seconds} seconds")]
    TooManyFailedSignIns { retry_after_seconds: u64 },
    /// The database cannot be reached or stayed busy.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Anything else; details are logged, not shown.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// The stable snake_case code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domain(e) => e.code(),
            Self::NotFound(_) => "not_found",
            Self::AlreadyInUse { .. } => "already_in_use",
            Self::Conflict(_) => "conflict",
            Self::VersionConflict(_) => "version_conflict",
            Self::Unauthenticated(_) | Self::WrongCurrentPassword => "unauthenticated",
            Self::TooManyFailedSignIns { .. } => "too_many_failed_sign_ins",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Conflict(kind) => Self::Conflict(kind),
            StoreError::VersionConflict(what) => Self::VersionConflict(what),
            StoreError::Unavailable(msg) => Self::Unavailable(msg),
            StoreError::Corrupt(msg) | StoreError::Database(msg) | StoreError::BadUrl(msg) => {
                tracing::error!(error = %msg, "store failure");
                Self::Internal(msg)
            }
        }
    }
}

/// Result of a use case.
pub type AppResult<T> = Result<T, AppError>;
