//! E-mail the system sends: the kinds of message, a queued message of the mail outbox with
//! its delivery state, and the one-time links of a forgotten password.
//!
//! A message is queued in the transaction of the change that causes it, already rendered in
//! its recipient's language, and delivered later by a sender worker following the retry
//! schedule of [`crate::delivery`].

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::delivery::{after_failure, AfterFailure, LEASE};
use crate::{MailId, UserId};

/// How long a forgotten-password link works.
pub const PASSWORD_RESET_TTL: Duration = Duration::hours(1);

/// Why a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// A one-time link to set a new password.
    PasswordReset,
    /// A partner's relationship request, sent to the customer's admin on its behalf.
    RelationshipRequest,
    /// A GDAP relationship waiting for the customer's approval.
    GdapApprovalRequest,
    /// A partner's reseller relationship with the customer was removed.
    RelationshipRemoved,
    /// A GDAP relationship ends within 30 days.
    GdapExpiring,
}

impl MailKind {
    pub const ALL: [MailKind; 5] = [
        Self::PasswordReset,
        Self::RelationshipRequest,
        Self::GdapApprovalRequest,
        Self::RelationshipRemoved,
        Self::GdapExpiring,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PasswordReset => "password_reset",
            Self::RelationshipRequest => "relationship_request",
            Self::GdapApprovalRequest => "gdap_approval_request",
            Self::RelationshipRemoved => "relationship_removed",
            Self::GdapExpiring => "gdap_expiring",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a queued message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Waiting for its next attempt (or being sent under a lease).
    Queued,
    /// Sent.
    Sent,
    /// Given up after [`crate::delivery::MAX_ATTEMPTS`] failures; kept with its last error.
    Parked,
}

/// One message of the mail outbox: what to send, to whom, and how delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub id: MailId,
    pub created_at: DateTime<Utc>,
    pub recipient: String,
    /// `en` or `ru`: the language it is written in.
    pub lang: String,
    pub kind: MailKind,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not tried before this time.
    pub next_attempt_at: DateTime<Utc>,
    /// Held by a sender until this time (claimed and being sent).
    pub lease_until: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub parked_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl Mail {
    pub fn state(&self) -> MailState {
        if self.sent_at.is_some() {
            MailState::Sent
        } else if self.parked_at.is_some() {
            MailState::Parked
        } else {
            MailState::Queued
        }
    }

    /// The end of the lease a sender takes when it claims the message at `now`.
    pub fn lease_from(now: DateTime<Utc>) -> DateTime<Utc> {
        now + LEASE
    }

    /// The message sent at `now`.
    pub fn sent(&mut self, now: DateTime<Utc>) {
        self.sent_at = Some(now);
        self.lease_until = None;
    }

    /// The message after a failed attempt at `now`: retried later, or parked after the
    /// last attempt. `jitter` in `[0, 1)` spreads retries (see [`after_failure`]).
    pub fn failed(&mut self, now: DateTime<Utc>, error: &str, jitter: f64) {
        self.attempts = self.attempts.saturating_add(1);
        self.lease_until = None;
        self.last_error = Some(error.chars().take(500).collect());
        match after_failure(self.attempts, now, jitter) {
            AfterFailure::RetryAt(at) => self.next_attempt_at = at,
            AfterFailure::Park => self.parked_at = Some(now),
        }
    }
}

/// How many messages wait and how many are parked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailQueueCounts {
    pub queued: u64,
    pub parked: u64,
}

/// A one-time link to set a new password: only the SHA-256 of its token is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// Why a forgotten-password link no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetRefusal {
    /// Never issued (or its user is gone).
    Unknown,
    Used,
    Expired,
}

impl PasswordReset {
    /// Whether the link may set a password at `now`.
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), ResetRefusal> {
        if self.used_at.is_some() {
            Err(ResetRefusal::Used)
        } else if now >= self.expires_at {
            Err(ResetRefusal::Expired)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::MAX_ATTEMPTS;

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn mail() -> Mail {
        Mail {
            id: MailId(uuid::Uuid::nil()),
            created_at: at(),
            recipient: "a@example.com".into(),
            lang: "en".into(),
            kind: MailKind::PasswordReset,
            subject: "s".into(),
            text: "t".into(),
            html: "h".into(),
            attempts: 0,
            next_attempt_at: at(),
            lease_until: None,
            sent_at: None,
            parked_at: None,
            last_error: None,
        }
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for k in MailKind::ALL {
            assert_eq!(MailKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MailKind::parse("other"), None);
    }

    #[test]
    fn a_failure_retries_by_the_schedule_and_the_last_parks() {
        let mut m = mail();
        m.failed(at(), "connection refused", 0.0);
        assert_eq!(m.state(), MailState::Queued);
        assert_eq!(m.next_attempt_at, at() + Duration::seconds(20));
        assert_eq!(m.last_error.as_deref(), Some("connection refused"));
        for _ in 1..MAX_ATTEMPTS {
            m.failed(at(), "down", 0.0);
        }
        assert_eq!(m.state(), MailState::Parked);
        assert_eq!(m.attempts, MAX_ATTEMPTS);
    }

    #[test]
    fn a_reset_link_works_once_and_until_it_expires() {
        let mut r = PasswordReset {
            token_hash: "h".into(),
            user_id: UserId(uuid::Uuid::nil()),
            created_at: at(),
            expires_at: at() + PASSWORD_RESET_TTL,
            used_at: None,
        };
        assert_eq!(r.check(at()), Ok(()));
        assert_eq!(r.check(at() + PASSWORD_RESET_TTL), Err(ResetRefusal::Expired));
        r.used_at = Some(at());
        assert_eq!(r.check(at()), Err(ResetRefusal::Used));
    }
}
