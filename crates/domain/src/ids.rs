//! Typed identifiers. All are UUIDs (v7 when we make them, so keys sort by creation);
//! the newtypes keep a customer id from being passed where a subscription id belongs.
//!
//! Partners, customers and the operator are organisations: a partner's id and a
//! customer's id (its *customer tenant id*) are organisation ids.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// The underlying UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// Any organisation: the operator, a partner or a customer.
    OrgId
);
id_type!(
    /// A message in the mail outbox.
    MailId
);
id_type!(
    /// A partner organisation (its organisation id).
    PartnerId
);
id_type!(
    /// A customer organisation: the customer tenant id.
    CustomerId
);
id_type!(
    /// A person who signs in.
    UserId
);
id_type!(
    /// A reseller relationship between a partner and a customer.
    RelationshipId
);
id_type!(
    /// A relationship request (an invitation).
    RequestId
);
id_type!(
    /// A subscription.
    SubscriptionId
);
id_type!(
    /// An offer of the catalog.
    OfferId
);
id_type!(
    /// An order.
    OrderId
);
id_type!(
    /// A DAP grant.
    DapId
);
id_type!(
    /// A GDAP relationship.
    GdapId
);
id_type!(
    /// A partner's security group of its own users.
    SecurityGroupId
);
id_type!(
    /// A GDAP access assignment: a security group and the roles its members get.
    AssignmentId
);
id_type!(
    /// A request on a GDAP relationship (lock for approval, approve, reject, terminate).
    GdapRequestId
);
id_type!(
    /// A long-running operation on a GDAP relationship (a role change).
    GdapOperationId
);
id_type!(
    /// An audit record.
    AuditId
);
id_type!(
    /// An event in the outbox.
    EventId
);
id_type!(
    /// A webhook registration.
    WebhookRegistrationId
);
id_type!(
    /// One event queued for one webhook registration.
    WebhookDeliveryId
);
id_type!(
    /// A personal API token (`pd_...`).
    ApiTokenId
);
id_type!(
    /// An OAuth2 refresh token.
    RefreshTokenId
);
id_type!(
    /// A signed-in dashboard session (its cookie holds a `pds_...` secret).
    WebSessionId
);

impl From<PartnerId> for OrgId {
    fn from(p: PartnerId) -> Self {
        Self(p.0)
    }
}

impl From<CustomerId> for OrgId {
    fn from(c: CustomerId) -> Self {
        Self(c.0)
    }
}
