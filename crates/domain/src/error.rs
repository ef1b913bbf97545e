//! Typed refusals of the domain. Each variant has a stable code (`DomainError::code`)
//! that the outer layers carry unchanged to API clients.

use std::fmt;

use crate::ids::{OfferId, SubscriptionId};
use crate::permission::{Action, PartnerTypeRule};

/// A rule of the domain refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A value the caller entered is malformed or out of range.
    #[error("invalid {property}: {reason}")]
    InvalidProperty { property: &'static str, reason: Reason },
    /// A quantity outside the offer's bounds.
    #[error("quantity {quantity} is outside {minimum}..={maximum}")]
    QuantityOutOfRange { quantity: i64, minimum: i64, maximum: i64 },
    /// Removal refused while these subscriptions are active (rule 3).
    #[error("the partner still has {} active subscription(s) with this customer", ids.len())]
    ActiveSubscriptionsExist { ids: Vec<SubscriptionId> },
    /// The partner has no active relationship with the customer.
    #[error("the partner has no active relationship with this customer")]
    NoActiveRelationship,
    /// A relationship between the two is already active.
    #[error("a reseller relationship with this partner is already active")]
    RelationshipAlreadyActive,
    /// The relationship request expired or was revoked.
    #[error("the relationship request has expired or was revoked")]
    RequestExpired,
    /// The request was already answered.
    #[error("the relationship request was already {0}")]
    RequestAlreadyAnswered(&'static str),
    /// The caller's role may not do this.
    #[error("the caller's role may not {}", .0.describe())]
    ForbiddenRole(Action),
    /// The caller's partner type may not do this (e.g. an indirect reseller removing).
    #[error("{}", .0.describe())]
    PartnerTypeNotAllowed(PartnerTypeRule),
    /// A state machine refused a move.
    #[error("cannot {action} a {entity} that is {state}")]
    InvalidTransition {
        entity: &'static str,
        action: &'static str,
        state: &'static str,
    },
    /// A deleted subscription cannot be changed.
    #[error("a deleted subscription cannot be updated")]
    SubscriptionDeleted,
    /// DAP needs the customer's consent, given with the relationship request.
    #[error("the customer has not consented to delegated admin for this partner")]
    DelegatedAdminNotConsented,
    /// A GDAP duration that is not an ISO-8601 duration of 1 to 730 days.
    #[error("invalid duration {value:?}: expected an ISO-8601 duration from P1D to P730D (e.g. P730D, P52W, P1Y)")]
    InvalidGdapDuration { value: String },
    /// A GDAP auto-extend duration other than none (`PT0S`) or 180 days (`P180D`).
    #[error("invalid autoExtendDuration {value:?}: expected PT0S (none) or P180D")]
    InvalidGdapAutoExtend { value: String },
    /// A GDAP relationship cannot be locked for approval (or left) without a role.
    #[error("a GDAP relationship needs at least one role")]
    GdapRolesRequired,
    /// A relationship with the Global Administrator role cannot extend itself.
    #[error("a GDAP relationship with the Global Administrator role cannot be extended automatically")]
    GdapAutoExtendNotAllowed,
    /// The customer had 90 days to approve and did not.
    #[error("the GDAP relationship was not approved within 90 days of its request")]
    GdapApprovalExpired,
    /// The relationship names another customer than the one approving it.
    #[error("the GDAP relationship was requested for another customer")]
    GdapCustomerMismatch,
    /// This property cannot be changed in the relationship's current status.
    #[error("{property} cannot be changed while the GDAP relationship is {state}")]
    GdapPropertyNotEditable {
        property: &'static str,
        state: &'static str,
    },
    /// E-mail is off on this server (no SMTP server is configured), so nothing can be mailed.
    #[error("e-mail is off on this server: no SMTP server is configured")]
    MailOff,
}

impl DomainError {
    /// The stable snake_case name clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidProperty { .. } => "invalid_property",
            Self::QuantityOutOfRange { .. } => "quantity_out_of_range",
            Self::ActiveSubscriptionsExist { .. } => "active_subscriptions_exist",
            Self::NoActiveRelationship => "no_active_relationship",
            Self::RelationshipAlreadyActive => "relationship_already_active",
            Self::RequestExpired => "request_expired",
            Self::RequestAlreadyAnswered(_) => "request_already_answered",
            Self::ForbiddenRole(_) => "forbidden_role",
            Self::PartnerTypeNotAllowed(_) => "partner_type_not_allowed",
            Self::InvalidTransition { .. } => "invalid_transition",
            Self::SubscriptionDeleted => "subscription_deleted",
            Self::DelegatedAdminNotConsented => "delegated_admin_not_consented",
            Self::InvalidGdapDuration { .. } => "invalid_gdap_duration",
            Self::InvalidGdapAutoExtend { .. } => "invalid_gdap_auto_extend",
            Self::GdapRolesRequired => "gdap_roles_required",
            Self::GdapAutoExtendNotAllowed => "gdap_auto_extend_not_allowed",
            Self::GdapApprovalExpired => "gdap_approval_expired",
            Self::GdapCustomerMismatch => "gdap_customer_mismatch",
            Self::GdapPropertyNotEditable { .. } => "gdap_property_not_editable",
            Self::MailOff => "mail_off",
        }
    }

    /// `property` is refused for `reason`.
    pub fn invalid(property: &'static str, reason: Reason) -> Self {
        Self::InvalidProperty { property, reason }
    }
}

/// What a uniqueness rule refused: a value taken, a pair already linked, an id already used.
/// The store reports the ones its unique indexes find, the use cases the ones they check
/// themselves; the API answers every kind with the code `conflict`. Its `Display` is the
/// English detail of that answer; each outer layer words the kind in its own language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConflictKind {
    /// A user with the e-mail address exists (e-mails are unique across the instance).
    #[error("a user with this e-mail address already exists")]
    EmailTaken,
    /// A customer with the domain exists.
    #[error("a customer with this domain already exists")]
    DomainTaken,
    /// The partner and the customer already have an active relationship.
    #[error("the partner already has an active relationship with this customer")]
    RelationshipActive,
    /// The indirect reseller already has an indirect provider (another one than the caller).
    #[error("this reseller already has an indirect provider")]
    ResellerHasProvider,
    /// The indirect reseller is already linked to the caller.
    #[error("this reseller is already linked to you")]
    ResellerAlreadyLinked,
    /// The user is the organisation's last global admin, who must stay.
    #[error("{email} is the organisation's last global admin; make another user a global admin first")]
    LastGlobalAdmin { email: String },
    /// The partner has a GDAP relationship of that display name (case folded).
    #[error("a GDAP relationship with this display name already exists")]
    GdapNameTaken,
    /// The partner has a security group of that name (case folded).
    #[error("a security group with this name already exists")]
    SecurityGroupNameTaken,
    /// The user already is a member of the security group.
    #[error("the user already is a member of the security group")]
    AlreadyMember,
    /// The security group already has a live access assignment in the relationship.
    #[error("the security group already has an access assignment in this relationship")]
    AssignmentExists,
    /// An access assignment still uses the security group.
    #[error("the security group is used by an access assignment; delete the assignment first")]
    SecurityGroupInUse,
    /// The role catalogue has a role of that id.
    #[error("a role with this id already exists")]
    RoleIdTaken,
    /// The caller already sent a request with this request id.
    #[error("a request with this id was already handled")]
    RequestAlreadyHandled,
    /// A request with this `MS-RequestId` has not finished yet.
    #[error("a request with MS-RequestId {request_id} is still running; retry it later")]
    RequestStillRunning { request_id: String },
    /// The `MS-RequestId` was used for another operation.
    #[error("MS-RequestId {request_id} was already used for {method} {path}; use a new id")]
    RequestIdReused {
        request_id: String,
        method: String,
        path: String,
    },
    /// A secret (a token's, a session's, a request link's) collided with a stored one.
    #[error("a secret with this hash already exists")]
    SecretTaken,
    /// Any other unique index.
    #[error("a row with these values already exists")]
    Duplicate,
}

/// Why a value was refused: a stable, typed reason. Its `Display` is the English sentence
/// API clients read in `invalid_property` (unchanged wording); the dashboard words each
/// reason itself, in the page's language, from the variant and its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Nothing was entered.
    Empty,
    /// More than `max` characters.
    TooLong { max: usize },
    /// Fewer than `min` characters.
    TooShort { min: usize },
    /// Not `min` to `max` characters long.
    LengthOutOfRange { min: usize, max: usize },
    /// A number outside `min..=max`.
    OutOfRange { min: i64, max: i64 },
    /// A number below `min`.
    BelowMinimum { min: i64 },
    /// A maximum below the minimum entered with it.
    BelowMinimumQuantity,
    /// Not a whole number.
    NotAWholeNumber,
    /// Not an amount of money such as 12.50.
    NotAnAmount,
    /// A negative amount.
    Negative,
    /// A control character (a line break where none belongs, NUL, ...).
    ControlCharacters,
    /// Not an e-mail address.
    NotAnEmail,
    /// A domain name with fewer than two labels.
    DomainTooFewLabels,
    /// A domain label with characters other than letters, digits and inner hyphens.
    DomainBadLabel,
    /// Not a two-letter country code.
    NotACountry,
    /// Not a culture such as en-US.
    NotALanguage,
    /// Not a term an offer can have.
    NotATerm,
    /// Not a partner type.
    NotAPartnerType,
    /// A role the organisation kind's users cannot have; `allowed` lists those they can.
    RoleNotForKind { kind: &'static str, allowed: &'static str },
    /// No role chosen.
    NoRole,
    /// No country chosen.
    NoCountry,
    /// An order with more than `max` (or no) line items.
    TooManyLines { max: usize },
    /// No offer of this id in the catalog.
    NoSuchOffer(OfferId),
    /// The offer is off sale.
    OfferNotSold(OfferId),
    /// The offer is not sold in the customer's country.
    OfferNotSoldIn { offer: OfferId, country: String },
    /// A partner that is not one of the caller's indirect resellers.
    NotYourReseller,
    /// The reseller has no active relationship with the customer.
    ResellerNotRelated,
    /// No partner of that id.
    NoSuchPartner,
    /// A partner that is not an indirect provider.
    NotAnIndirectProvider,
    /// Only an indirect reseller has an indirect provider.
    OnlyIndirectResellerHasProvider,
    /// A partner that is not an indirect reseller.
    NotAnIndirectReseller,
    /// Not one of the customer's available support contacts.
    NotASupportContact,
    /// A subscription's status `expired` cannot be set.
    ExpiresByItself,
    /// Resetting another user's password always revokes that user's API tokens.
    ResetRevokesTokens,
    /// Not an id of the role catalogue.
    NotACatalogueRole,
    /// A role the GDAP relationship does not grant (an access assignment's roles are a
    /// subset of its relationship's).
    NotARelationshipRole(String),
    /// Not a role id the catalogue can hold (letters, digits, hyphens).
    NotARoleId,
    /// A role id the catalogue does not hold.
    UnknownRole(String),
    /// A role an access assignment still gives cannot leave its relationship.
    RoleStillAssigned { role: String, assignment: String },
    /// More than `max` items in one request.
    TooManyItems { max: usize },
    /// Not an `http` or `https` URL with a host (and no user name or password).
    NotAWebhookUrl,
    /// Not one of the events a webhook registration may take.
    UnknownWebhookEvent,
    /// A webhook URL whose host is (or resolves to) an address deliveries may not reach:
    /// loopback, private, link-local, ... (`webhook::AddressRefusal::describe`).
    WebhookAddressNotAllowed(&'static str),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("must not be empty"),
            Self::TooLong { max } => write!(f, "must be at most {max} characters"),
            Self::TooShort { min } => write!(f, "must be at least {min} characters"),
            Self::LengthOutOfRange { min, max } => write!(f, "must be {min} to {max} characters"),
            Self::OutOfRange { min, max } => write!(f, "must be {min} to {max}"),
            Self::BelowMinimum { min } => write!(f, "must be at least {min}"),
            Self::BelowMinimumQuantity => f.write_str("must not be below minimumQuantity"),
            Self::NotAWholeNumber => f.write_str("must be a whole number"),
            Self::NotAnAmount => f.write_str("must be an amount such as 12.50"),
            Self::Negative => f.write_str("must not be negative"),
            Self::ControlCharacters => f.write_str("must not contain control characters"),
            Self::NotAnEmail => f.write_str("must look like name@example.com"),
            Self::DomainTooFewLabels => f.write_str("must have at least two labels, like contoso.example"),
            Self::DomainBadLabel => f.write_str("labels are letters, digits and inner hyphens, 1 to 63 each"),
            Self::NotACountry => f.write_str("must be a two-letter country code such as US or RU"),
            Self::NotALanguage => f.write_str("must look like en-US or ru-RU"),
            Self::NotATerm => f.write_str("must be P1M or P1Y"),
            Self::NotAPartnerType => f.write_str("must be direct, indirect_provider or indirect_reseller"),
            Self::RoleNotForKind { kind, allowed } => write!(f, "a {kind} user's roles are {allowed}"),
            Self::NoRole => f.write_str("at least one role is needed"),
            Self::NoCountry => f.write_str("at least one country is needed"),
            Self::TooManyLines { max } => write!(f, "an order has 1 to {max} line items"),
            Self::NoSuchOffer(id) => write!(f, "no offer {id} in the catalog"),
            Self::OfferNotSold(id) => write!(f, "offer {id} is no longer sold"),
            Self::OfferNotSoldIn { offer, country } => write!(f, "offer {offer} is not sold in {country}"),
            Self::NotYourReseller => f.write_str("is not one of your indirect resellers"),
            Self::ResellerNotRelated => f.write_str("that reseller has no active relationship with this customer"),
            Self::NoSuchPartner => f.write_str("no such partner"),
            Self::NotAnIndirectProvider => f.write_str("must name an indirect provider"),
            Self::OnlyIndirectResellerHasProvider => f.write_str("only an indirect reseller has an indirect provider"),
            Self::NotAnIndirectReseller => f.write_str("must name an indirect reseller"),
            Self::NotASupportContact => f.write_str("is not one of the customer's available support contacts"),
            Self::ExpiresByItself => f.write_str("a subscription expires by itself; set active, suspended or deleted"),
            Self::ResetRevokesTokens => {
                f.write_str("resetting another user's password always revokes its personal API tokens")
            }
            Self::NotACatalogueRole => f.write_str("must be a role id of the catalogue"),
            Self::NotARelationshipRole(role) => write!(f, "{role} is not one of the relationship's roles"),
            Self::NotARoleId => f.write_str("must be 1 to 64 letters, digits or hyphens (e.g. a role template id)"),
            Self::UnknownRole(role) => write!(f, "{role} is not a role of the catalogue (GET /v1/roles lists them)"),
            Self::RoleStillAssigned { role, assignment } => write!(
                f,
                "role {role} is given by access assignment {assignment}; change or delete the assignment first"
            ),
            Self::TooManyItems { max } => write!(f, "at most {max} items at once"),
            Self::NotAWebhookUrl => {
                f.write_str("must be an http or https URL with a host and no user name or password")
            }
            Self::UnknownWebhookEvent => f.write_str("must name events of GET /webhooks/v1/registration/events"),
            Self::WebhookAddressNotAllowed(kind) => write!(
                f,
                "points at a {kind} address, which webhooks may not reach unless the operator allows private targets"
            ),
        }
    }
}
