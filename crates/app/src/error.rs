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
    /// No valid credentials; says which way they failed.
    #[error("sign-in failed: {0}")]
    Unauthenticated(AuthFailure),
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

/// Why credentials were refused (`unauthenticated`): a closed list, so that each reason is
/// worded in every language rather than said in English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthFailure {
    /// A request without credentials where they are needed.
    NoToken,
    /// The `Authorization` header is not text.
    HeaderNotText,
    /// The `Authorization` header names another scheme than Bearer.
    NotBearer,
    /// `Authorization: Bearer` without a token.
    EmptyBearer,
    /// An access token that does not parse.
    TokenMalformed,
    /// An access token signed with another algorithm than EdDSA.
    TokenAlgorithm,
    /// An access token signed by a key this server does not know.
    TokenKeyUnknown,
    /// An access token whose signature does not verify.
    TokenSignature,
    /// An access token past its expiry.
    TokenExpired,
    /// An access token whose validity has not begun.
    TokenNotYetValid,
    /// An access token issued for another server.
    TokenAudience,
    /// An access token naming another organisation than its user's.
    TokenOrganisation,
    /// An access token issued before its user's password last changed.
    PasswordChangedSinceToken,
    /// A personal API token this server does not know.
    UnknownApiToken,
    /// A personal API token that was revoked or has expired.
    ApiTokenEnded,
    /// A refresh token that is invalid, expired or already used.
    RefreshTokenRefused,
    /// An OAuth2 client id or secret that is wrong.
    ClientRefused,
    /// An e-mail and password that do not sign in (which of the two is not said).
    WrongEmailOrPassword,
    /// The password changed while the sign-in was being checked.
    PasswordChangedDuringSignIn,
    /// The user the credentials belong to has been removed.
    UserGone,
    /// A dashboard session this server does not know.
    UnknownSession,
    /// A dashboard session past its end.
    SessionExpired,
}

impl AuthFailure {
    /// Every reason (for tests that must word each one).
    pub const ALL: [AuthFailure; 22] = [
        Self::NoToken,
        Self::HeaderNotText,
        Self::NotBearer,
        Self::EmptyBearer,
        Self::TokenMalformed,
        Self::TokenAlgorithm,
        Self::TokenKeyUnknown,
        Self::TokenSignature,
        Self::TokenExpired,
        Self::TokenNotYetValid,
        Self::TokenAudience,
        Self::TokenOrganisation,
        Self::PasswordChangedSinceToken,
        Self::UnknownApiToken,
        Self::ApiTokenEnded,
        Self::RefreshTokenRefused,
        Self::ClientRefused,
        Self::WrongEmailOrPassword,
        Self::PasswordChangedDuringSignIn,
        Self::UserGone,
        Self::UnknownSession,
        Self::SessionExpired,
    ];

    /// The reason in English, as the API has always said it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::NoToken => "no bearer token",
            Self::HeaderNotText => "the Authorization header is not text",
            Self::NotBearer => "use the Bearer scheme",
            Self::EmptyBearer => "the bearer token is empty",
            Self::TokenMalformed => "the token is malformed",
            Self::TokenAlgorithm => "the token is not signed with EdDSA",
            Self::TokenKeyUnknown => "the token's signing key is unknown",
            Self::TokenSignature => "the token's signature does not verify",
            Self::TokenExpired => "the token has expired",
            Self::TokenNotYetValid => "the token is not valid yet",
            Self::TokenAudience => "the token was issued for another server",
            Self::TokenOrganisation => "the token names another organisation",
            Self::PasswordChangedSinceToken => "the password has changed since the token was issued",
            Self::UnknownApiToken => "unknown token",
            Self::ApiTokenEnded => "the token was revoked or has expired",
            Self::RefreshTokenRefused => "the refresh token is invalid, expired or already used",
            Self::ClientRefused => "unknown client or wrong client secret",
            Self::WrongEmailOrPassword => "wrong e-mail or password",
            Self::PasswordChangedDuringSignIn => "the password changed during sign-in",
            Self::UserGone => "the user no longer exists",
            Self::UnknownSession => "unknown session",
            Self::SessionExpired => "the session has expired",
        }
    }
}

impl std::fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// Result of a use case.
pub type AppResult<T> = Result<T, AppError>;
