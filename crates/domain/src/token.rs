//! Credentials a user holds besides its password: personal API tokens, OAuth2 refresh
//! tokens and dashboard sessions. All are opaque secrets shown once; only their hashes are
//! stored, so these types carry everything but the secret.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ApiTokenId, RefreshTokenId, UserId, WebSessionId};
use crate::values::Name;

/// A personal API token (`pd_...`) of a user, for scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    /// What the user called it, to tell its tokens apart.
    pub name: Name,
    pub created_at: DateTime<Utc>,
    /// When it last authenticated a request (updated at most every few minutes).
    pub last_used_at: Option<DateTime<Utc>>,
    /// After this it no longer authenticates; `None` means it never expires.
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// Does it still authenticate at `now`: not revoked, not expired?
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| now < at)
    }
}

/// An OAuth2 refresh token. Each use rotates it: the old one is revoked and names the new
/// one in `replaced_by`, so a reuse of a rotated token can be told from a first use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshToken {
    pub id: RefreshTokenId,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub replaced_by: Option<RefreshTokenId>,
}

impl RefreshToken {
    /// Can it be exchanged at `now`: not revoked (nor rotated), not expired?
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// A signed-in dashboard session. Its secret lives in the browser's cookie only; the
/// session ends when it expires, when the user signs out, or when the user is deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSession {
    pub id: WebSessionId,
    pub user_id: UserId,
    /// Sent back with every form the dashboard posts, to tell them from forged ones.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl WebSession {
    /// Does it still sign its user in at `now`?
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use uuid::Uuid;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn api_token() -> ApiToken {
        ApiToken {
            id: ApiTokenId(Uuid::nil()),
            user_id: UserId(Uuid::nil()),
            name: Name::parse("name", "ci").unwrap_or_else(|e| panic!("{e}")),
            created_at: at(9),
            last_used_at: None,
            expires_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn a_personal_token_stops_working_once_revoked_or_expired() {
        let token = api_token();
        assert!(token.is_usable(at(10)));
        let expiring = ApiToken {
            expires_at: Some(at(11)),
            ..token.clone()
        };
        assert!(expiring.is_usable(at(10)));
        assert!(!expiring.is_usable(at(11)));
        let revoked = ApiToken {
            revoked_at: Some(at(10)),
            ..token
        };
        assert!(!revoked.is_usable(at(10)));
    }

    #[test]
    fn a_refresh_token_stops_working_once_rotated_or_expired() {
        let token = RefreshToken {
            id: RefreshTokenId(Uuid::nil()),
            user_id: UserId(Uuid::nil()),
            created_at: at(9),
            expires_at: at(9) + Duration::days(30),
            revoked_at: None,
            replaced_by: None,
        };
        assert!(token.is_usable(at(10)));
        assert!(!token.is_usable(at(9) + Duration::days(30)));
        let rotated = RefreshToken {
            revoked_at: Some(at(10)),
            replaced_by: Some(RefreshTokenId(Uuid::max())),
            ..token
        };
        assert!(!rotated.is_usable(at(10)));
    }

    #[test]
    fn a_web_session_stops_working_when_it_expires() {
        let session = WebSession {
            id: WebSessionId(Uuid::nil()),
            user_id: UserId(Uuid::nil()),
            csrf_token: "csrf".into(),
            created_at: at(9),
            expires_at: at(21),
        };
        assert!(session.is_usable(at(20)));
        assert!(!session.is_usable(at(21)));
    }
}
