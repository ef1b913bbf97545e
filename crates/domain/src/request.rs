//! Relationship requests: the invitation a partner sends and a customer's global admin
//! answers (rule 1). `pending` → `accepted` | `declined` | `expired` | `revoked`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::{CustomerId, PartnerId, RequestId, UserId};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Pending,
    Accepted,
    Declined,
    Expired,
    Revoked,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Accepted,
            Self::Declined,
            Self::Expired,
            Self::Revoked,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// An invitation from a partner. The link carries a secret token; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipRequest {
    pub id: RequestId,
    pub partner_id: PartnerId,
    /// The request also asks for delegated admin (DAP).
    pub include_dap: bool,
    pub state: RequestState,
    pub created_at: DateTime<Utc>,
    pub created_by: UserId,
    pub expires_at: DateTime<Utc>,
    /// The customer that answered, once answered.
    pub customer_id: Option<CustomerId>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<UserId>,
    pub version: i64,
}

impl RelationshipRequest {
    /// The state as of `now`: a pending request past its expiry is expired.
    pub fn effective_state(&self, now: DateTime<Utc>) -> RequestState {
        if self.state == RequestState::Pending && now >= self.expires_at {
            RequestState::Expired
        } else {
            self.state
        }
    }

    fn answerable(&self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match self.effective_state(now) {
            RequestState::Pending => Ok(()),
            RequestState::Expired | RequestState::Revoked => Err(DomainError::RequestExpired),
            RequestState::Accepted => Err(DomainError::RequestAlreadyAnswered("accepted")),
            RequestState::Declined => Err(DomainError::RequestAlreadyAnswered("declined")),
        }
    }

    /// The customer's global admin accepts.
    pub fn accept(&mut self, customer: CustomerId, by: UserId, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.answerable(now)?;
        self.state = RequestState::Accepted;
        self.customer_id = Some(customer);
        self.answered_at = Some(now);
        self.answered_by = Some(by);
        Ok(())
    }

    /// The customer's global admin declines.
    pub fn decline(&mut self, customer: CustomerId, by: UserId, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.answerable(now)?;
        self.state = RequestState::Declined;
        self.customer_id = Some(customer);
        self.answered_at = Some(now);
        self.answered_by = Some(by);
        Ok(())
    }

    /// The partner takes its request back before it is answered.
    pub fn revoke(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match self.effective_state(now) {
            RequestState::Pending => {
                self.state = RequestState::Revoked;
                self.answered_at = Some(now);
                Ok(())
            }
            other => Err(DomainError::InvalidTransition {
                entity: "relationship request",
                action: "revoke",
                state: other.as_str(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn request(now: DateTime<Utc>) -> RelationshipRequest {
        RelationshipRequest {
            id: RequestId(Uuid::nil()),
            partner_id: PartnerId(Uuid::nil()),
            include_dap: false,
            state: RequestState::Pending,
            created_at: now,
            created_by: UserId(Uuid::nil()),
            expires_at: now + chrono::Duration::days(90),
            customer_id: None,
            answered_at: None,
            answered_by: None,
            version: 1,
        }
    }

    #[test]
    fn a_request_past_its_expiry_cannot_be_accepted() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut r = request(t0);
        let late = t0 + chrono::Duration::days(91);
        assert_eq!(
            r.accept(CustomerId(Uuid::nil()), UserId(Uuid::nil()), late),
            Err(DomainError::RequestExpired)
        );
        assert_eq!(r.state, RequestState::Pending);
    }

    #[test]
    fn a_revoked_request_reads_as_expired_to_the_customer() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut r = request(t0);
        r.revoke(t0).expect("pending requests can be revoked");
        assert_eq!(
            r.decline(CustomerId(Uuid::nil()), UserId(Uuid::nil()), t0),
            Err(DomainError::RequestExpired)
        );
    }

    #[test]
    fn an_answered_request_cannot_be_answered_again() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut r = request(t0);
        r.accept(CustomerId(Uuid::nil()), UserId(Uuid::nil()), t0)
            .expect("first answer");
        assert_eq!(
            r.decline(CustomerId(Uuid::nil()), UserId(Uuid::nil()), t0),
            Err(DomainError::RequestAlreadyAnswered("accepted"))
        );
    }
}
