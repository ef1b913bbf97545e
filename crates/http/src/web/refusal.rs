//! A refusal in the words of the dashboard: what the app refused, said in the page's
//! language as a partner's admin would say it, with the form field it is about.
//!
//! Each refusal is mapped to a dashboard message (`refusal-*`, `field-*`, `reason-*` in
//! `dashboard.ftl`) whose arguments are numbers or what the user typed; a conflict by its
//! typed kind. The API's descriptions (`errors.ftl`, `crate::error`) reuse the `reason-*`
//! and `action-*` words here for their Russian.

use partnerdesk_app::AppError;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{ConflictKind, DomainError, Reason};

use super::pages::PageResult;
use super::tr::{Count, Tr};
use crate::i18n::{self, Arg};

/// What the dashboard says about a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The form field it is about (the app's property name, e.g. `companyName`), if any.
    pub field: Option<&'static str>,
    /// The sentence, in the page's language.
    pub text: String,
}

impl Refusal {
    /// Whether it is about the form field of property `field`.
    pub fn is_about(&self, field: &str) -> bool {
        self.field == Some(field)
    }

    /// Whether it is about none of the fields a form shows (then it stands above the form).
    pub fn is_about_none_of(&self, fields: &[&str]) -> bool {
        self.field.is_none_or(|f| !fields.contains(&f))
    }
}

impl Refusal {
    /// A refusal the page itself makes about the field of property `field`.
    pub fn of_field(field: &'static str, text: String) -> Self {
        Self {
            field: Some(field),
            text,
        }
    }

    /// A refusal about the whole form.
    pub fn general(text: String) -> Self {
        Self { field: None, text }
    }
}

/// What a refused form says, if anything: beside the field the refusal is about, or above
/// the form when it is about none of the form's fields. Templates ask
/// `error.about("quantity")` beside each field and `error.above(["offerId", "quantity"])`
/// over the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormError(Option<Refusal>);

impl FormError {
    /// Nothing refused.
    pub fn none() -> Self {
        Self(None)
    }

    /// The refusal of an app error, in the page's words.
    pub fn of(tr: &Tr, error: &AppError) -> Self {
        Self(Some(refusal(tr, error)))
    }

    /// The sentence, if the refusal is about the field of property `field`.
    pub fn about(&self, field: &str) -> Option<&str> {
        self.0.as_ref().filter(|r| r.is_about(field)).map(|r| r.text.as_str())
    }

    /// Whether the refusal is about the field of property `field`.
    pub fn is_about(&self, field: &str) -> bool {
        self.about(field).is_some()
    }

    /// The sentence, if the refusal is about none of `fields` (it then stands above the form).
    pub fn above(&self, fields: &[&str]) -> Option<&str> {
        self.0
            .as_ref()
            .filter(|r| r.is_about_none_of(fields))
            .map(|r| r.text.as_str())
    }

    /// Whether anything was refused.
    pub fn is_some(&self) -> bool {
        self.0.is_some()
    }
}

impl From<Refusal> for FormError {
    fn from(refusal: Refusal) -> Self {
        Self(Some(refusal))
    }
}

/// What the app answered a form's `POST`, with every error that is no refusal of what the
/// form said (not found, the database down) already turned into the error page: a
/// handler writes `match refused_or_page(result)? { Ok(done) => redirect, Err(refused) =>
/// the form again }`. A refusal is a rule (`Domain`), a value taken (`AlreadyInUse`,
/// `Conflict`) or the record changed since the form was read (`VersionConflict`, see
/// [`is_stale`]).
pub fn refused_or_page<T>(result: Result<T, AppError>) -> PageResult<Result<T, AppError>> {
    match result {
        Ok(done) => Ok(Ok(done)),
        Err(
            e @ (AppError::Domain(_)
            | AppError::AlreadyInUse { .. }
            | AppError::Conflict(_)
            | AppError::VersionConflict(_)),
        ) => Ok(Err(e)),
        Err(e) => Err(e.into()),
    }
}

/// Whether a refusal says the form was read before someone else's change (it is then
/// shown again with what is stored now, 409).
pub fn is_stale(error: &AppError) -> bool {
    matches!(error, AppError::VersionConflict(_))
}

/// The refusal of `error`, in the words of the dashboard.
pub fn refusal(tr: &Tr, error: &AppError) -> Refusal {
    let plain = |id: &str| Refusal::general(tr.t(id));
    match error {
        AppError::Domain(d) => domain(tr, d),
        AppError::NotFound(_) => plain("refusal-not-found"),
        AppError::AlreadyInUse { property, value } => {
            about(tr, property, "refusal-already-in-use", ("value", value.as_str().into()))
        }
        AppError::Conflict(kind) => conflict(tr, kind),
        AppError::VersionConflict(_) => plain("refusal-changed-meanwhile"),
        AppError::WrongCurrentPassword => Refusal {
            field: Some("currentPassword"),
            text: tr.t("refusal-current-password-wrong"),
        },
        AppError::Unauthenticated(_) => plain("refusal-unauthenticated"),
        AppError::TooManyFailedSignIns { retry_after_seconds } => Refusal {
            field: None,
            text: tr.tn(
                "refusal-too-many-sign-ins",
                "minutes",
                i64::try_from(retry_after_seconds.div_ceil(60)).unwrap_or(i64::MAX),
            ),
        },
        AppError::Unavailable(_) => plain("refusal-unavailable"),
        AppError::Internal(_) => plain("refusal-internal"),
    }
}

fn domain(tr: &Tr, error: &DomainError) -> Refusal {
    let plain = |id: &str| Refusal::general(tr.t(id));
    match error {
        DomainError::InvalidProperty { property, reason } => about(
            tr,
            property,
            "refusal-invalid-property",
            ("reason", reason_words(tr, reason).into()),
        ),
        DomainError::QuantityOutOfRange {
            quantity,
            minimum,
            maximum,
        } => Refusal {
            field: Some("quantity"),
            text: i18n::message(
                tr.lang,
                "refusal-quantity-out-of-range",
                &[
                    ("quantity", Arg::from(*quantity)),
                    ("minimum", Arg::from(*minimum)),
                    ("maximum", Arg::from(*maximum)),
                ],
            ),
        },
        DomainError::ActiveSubscriptionsExist { ids } => Refusal {
            field: None,
            text: tr.tn("refusal-active-subscriptions", "count", ids.len()),
        },
        DomainError::NoActiveRelationship => plain("refusal-no-active-relationship"),
        DomainError::RelationshipAlreadyActive => plain("refusal-relationship-already-active"),
        DomainError::RequestExpired => plain("refusal-request-expired"),
        DomainError::RequestAlreadyAnswered("accepted") => plain("refusal-request-accepted"),
        DomainError::RequestAlreadyAnswered(_) => plain("refusal-request-declined"),
        DomainError::ForbiddenRole(action) => Refusal {
            field: None,
            text: tr.t1("refusal-forbidden-role-to", "action", &tr.t(action_id(*action))),
        },
        DomainError::PartnerTypeNotAllowed(_) => plain("refusal-partner-type"),
        DomainError::InvalidTransition { .. } => plain("refusal-invalid-transition"),
        DomainError::SubscriptionDeleted => plain("refusal-subscription-deleted"),
        DomainError::DelegatedAdminNotConsented => plain("refusal-dap-not-consented"),
        DomainError::InvalidGdapDuration { .. } => Refusal {
            field: Some("duration"),
            text: tr.t("refusal-gdap-duration"),
        },
        DomainError::InvalidGdapAutoExtend { .. } => Refusal {
            field: Some("autoExtendDuration"),
            text: tr.t("refusal-gdap-auto-extend"),
        },
        DomainError::GdapRolesRequired => plain("refusal-gdap-roles-required"),
        DomainError::GdapAutoExtendNotAllowed => plain("refusal-gdap-auto-extend-global-admin"),
        DomainError::GdapApprovalExpired => plain("refusal-gdap-approval-expired"),
        DomainError::MailOff => plain("refusal-mail-off"),
        DomainError::GdapCustomerMismatch => plain("refusal-gdap-customer-mismatch"),
        DomainError::GdapPropertyNotEditable { .. } => plain("refusal-gdap-not-editable"),
    }
}

/// A refusal about the field of `property`: message `id` with the field's label and `arg`.
fn about(tr: &Tr, property: &'static str, id: &str, arg: (&str, Arg)) -> Refusal {
    let label = ("field", Arg::from(field_label(tr, property)));
    Refusal::of_field(property, i18n::message(tr.lang, id, &[label, arg]))
}

/// The message id of the words of an action a role may not do.
pub(crate) fn action_id(action: Action) -> &'static str {
    match action {
        Action::ManagePartners => "action-manage-partners",
        Action::ManageOffers => "action-manage-offers",
        Action::ViewCustomers => "action-view-customers",
        Action::AddCustomer => "action-create-customer",
        Action::RequestRelationship => "action-request-relationship",
        Action::CreateOrder => "action-place-order",
        Action::ViewSubscriptions => "action-view-subscriptions",
        Action::ManageSubscriptions => "action-manage-subscriptions",
        Action::ManageDelegatedAdmin => "action-manage-delegated-admin",
        Action::RemoveRelationship => "action-remove-relationship",
        Action::ManageResellerLinks => "action-manage-reseller-links",
        Action::AnswerRequest => "action-answer-request",
        Action::ViewOwnPartners => "action-view-own-partners",
        Action::RemovePartnerAdminRoles => "action-remove-partner-admin-roles",
        Action::EndRelationshipAsCustomer => "action-end-relationship",
        Action::ManageUsers => "action-manage-users",
        Action::AnswerGdap => "action-answer-gdap",
        Action::ManageRoles => "action-manage-roles",
        Action::CheckAccess => "action-check-access",
        Action::ViewAuditRecords => "action-view-audit-records",
        Action::ManageWebhooks => "action-manage-webhooks",
    }
}

/// A uniqueness rule, beside the field of the value that is taken.
fn conflict(tr: &Tr, kind: &ConflictKind) -> Refusal {
    let (field, id) = match kind {
        ConflictKind::EmailTaken => (Some("email"), "refusal-email-taken"),
        ConflictKind::DomainTaken => (Some("domain"), "refusal-domain-taken"),
        ConflictKind::LastGlobalAdmin { .. } => (None, "refusal-last-global-admin"),
        ConflictKind::GdapNameTaken => (Some("displayName"), "refusal-gdap-name-taken"),
        ConflictKind::SecurityGroupNameTaken => (Some("displayName"), "refusal-group-name-taken"),
        ConflictKind::AlreadyMember => (None, "refusal-already-member"),
        ConflictKind::AssignmentExists => (None, "refusal-assignment-exists"),
        ConflictKind::SecurityGroupInUse => (None, "refusal-group-in-use"),
        ConflictKind::RoleIdTaken => (None, "refusal-role-id-taken"),
        ConflictKind::RelationshipActive => (None, "refusal-relationship-already-active"),
        ConflictKind::ResellerHasProvider => (None, "refusal-reseller-has-provider"),
        ConflictKind::ResellerAlreadyLinked => (None, "refusal-reseller-already-linked"),
        ConflictKind::RequestAlreadyHandled
        | ConflictKind::RequestStillRunning { .. }
        | ConflictKind::RequestIdReused { .. }
        | ConflictKind::SecretTaken
        | ConflictKind::Duplicate => (None, "refusal-conflict"),
    };
    Refusal { field, text: tr.t(id) }
}

/// The label of a form field as the dashboard names it (`field-*`); a property the
/// dashboard has no label for is "the value".
pub fn field_label(tr: &Tr, property: &str) -> String {
    let id = match property {
        "companyName" | "name" => "field-name",
        "displayName" => "field-display-name",
        "domain" => "field-domain",
        "email" | "adminEmail" | "billingEmail" => "field-email",
        "password" | "newPassword" => "field-password",
        "currentPassword" => "field-current-password",
        "country" => "field-country",
        "culture" => "field-language",
        "quantity" => "field-quantity",
        "minimumQuantity" => "field-minimum-quantity",
        "maximumQuantity" => "field-maximum-quantity",
        "price" | "unitPrice" => "field-price",
        "termDuration" => "field-term",
        "roles" | "roleDefinitionId" | "accessDetails" => "field-roles",
        "id" => "field-role-id",
        "items" => "field-items",
        "duration" => "field-duration",
        "autoExtendDuration" => "field-auto-extend",
        "partnerType" => "field-partner-type",
        "indirectResellerId" | "resellerId" | "partnerId" | "partnerIdOnRecord" => "field-reseller",
        "q" => "field-search",
        "indirectProviderId" => "field-provider",
        "offerId" | "lineItems" => "field-offer",
        "expiresInDays" => "field-valid-days",
        "supportTenantId" => "field-support-contact",
        "billingContact" => "field-billing-contact",
        "billingAddress" | "address" => "field-billing-address",
        "description" => "field-description",
        "unitType" => "field-unit-type",
        "currency" => "field-currency",
        "status" => "field-status",
        "friendlyName" => "field-subscription-name",
        "reason" => "field-reason",
        "billingProfile.contactName" => "field-billing-contact",
        "billingProfile.address" => "field-billing-address",
        "revokeApiTokens" => "field-revoke-tokens",
        "WebhookUrl" => "field-webhook-url",
        "WebhookEvents" => "field-webhook-events",
        _ => "field-value",
    };
    tr.t(id)
}

/// A reason as dashboard words: each [`Reason`] has its own message, with its numbers.
pub fn reason_words(tr: &Tr, reason: &Reason) -> String {
    let range =
        |id: &str, min: i64, max: i64| i18n::message(tr.lang, id, &[("min", Arg::from(min)), ("max", Arg::from(max))]);
    let id = match reason {
        Reason::TooLong { max } => return tr.tn("reason-too-long", "max", *max),
        Reason::TooShort { min } => return tr.tn("reason-too-short", "min", *min),
        Reason::LengthOutOfRange { min, max } => {
            return range("reason-length-out-of-range", min.count(), max.count());
        }
        Reason::OutOfRange { min, max } => return range("reason-out-of-range", *min, *max),
        Reason::BelowMinimum { min } => return tr.tn("reason-at-least", "min", *min),
        Reason::TooManyLines { max } => return tr.tn("reason-too-many-lines", "max", *max),
        Reason::OfferNotSoldIn { country, .. } => return tr.t1("reason-offer-not-sold-in", "country", country),
        Reason::Empty => "reason-empty",
        Reason::BelowMinimumQuantity => "reason-below-minimum",
        Reason::NotAWholeNumber => "reason-whole-number",
        Reason::NotAnAmount => "reason-amount",
        Reason::Negative => "reason-negative",
        Reason::ControlCharacters => "reason-control-characters",
        Reason::NotAnEmail => "reason-email",
        Reason::DomainTooFewLabels | Reason::DomainBadLabel => "reason-domain",
        Reason::NotACountry => "reason-country",
        Reason::NotALanguage => "reason-language",
        Reason::NotATerm => "reason-term",
        Reason::NotAPartnerType => "reason-partner-type",
        Reason::RoleNotForKind { .. } => "reason-role-not-for-kind",
        Reason::NoRole => "reason-one-role",
        Reason::NoCountry => "reason-one-country",
        Reason::NoSuchOffer(_) => "reason-no-such-offer",
        Reason::OfferNotSold(_) => "reason-offer-not-sold",
        Reason::NotYourReseller => "reason-not-your-reseller",
        Reason::ResellerNotRelated => "reason-reseller-not-related",
        Reason::NoSuchPartner | Reason::NotAnIndirectProvider => "reason-indirect-provider",
        Reason::OnlyIndirectResellerHasProvider => "reason-only-indirect-reseller",
        Reason::NotAnIndirectReseller => "reason-indirect-reseller",
        Reason::NotASupportContact => "reason-support-contact",
        Reason::ExpiresByItself => "reason-expires-by-itself",
        Reason::ResetRevokesTokens => "reason-reset-revokes-tokens",
        Reason::NotACatalogueRole | Reason::NotARoleId | Reason::UnknownRole(_) => "reason-catalogue-role",
        Reason::NotARelationshipRole(_) => "reason-relationship-role",
        Reason::RoleStillAssigned { .. } => "reason-role-still-assigned",
        Reason::TooManyItems { max } => return tr.tn("reason-too-many-items", "max", *max),
        Reason::NotAWebhookUrl => "reason-webhook-url",
        Reason::UnknownWebhookEvent => "reason-webhook-event",
        Reason::WebhookAddressNotAllowed(_) => "reason-webhook-address",
    };
    tr.t(id)
}

/// The page tests' check for English, for the dashboard's own messages.
#[cfg(test)]
#[path = "../../tests/common/english.rs"]
pub(crate) mod english;

#[cfg(test)]
pub(crate) mod tests {
    use partnerdesk_domain::permission::PartnerTypeRule;
    use partnerdesk_domain::SubscriptionId;

    use super::*;
    use crate::error::ApiError;
    use crate::i18n::Lang;

    /// The error names the dashboard never shows: the API's own answers (an address it does
    /// not have, a body or URI too long, a subscription id in a `/v1` path); the dashboard
    /// answers those with its own pages.
    const API_ONLY: [&str; 5] = [
        "subscription_not_found",
        "payload_too_large",
        "uri_too_long",
        "route_not_found",
        "if_match_required",
    ];

    /// Every reason the app and the domain give with `invalid_property`, with a property it
    /// is given for. The `match` in [`listed`] has no wildcard: a new reason does not compile
    /// until it is listed here too.
    pub(crate) fn reasons() -> Vec<(&'static str, Reason)> {
        let offer = partnerdesk_domain::OfferId(uuid::Uuid::nil());
        let all = vec![
            ("name", Reason::Empty),
            ("companyName", Reason::TooLong { max: 255 }),
            ("password", Reason::TooShort { min: 8 }),
            ("domain", Reason::LengthOutOfRange { min: 1, max: 253 }),
            ("expiresInDays", Reason::OutOfRange { min: 1, max: 3650 }),
            ("minimumQuantity", Reason::BelowMinimum { min: 1 }),
            ("maximumQuantity", Reason::BelowMinimumQuantity),
            ("minimumQuantity", Reason::NotAWholeNumber),
            ("unitPrice", Reason::NotAnAmount),
            ("price", Reason::Negative),
            ("name", Reason::ControlCharacters),
            ("email", Reason::NotAnEmail),
            ("domain", Reason::DomainTooFewLabels),
            ("domain", Reason::DomainBadLabel),
            ("country", Reason::NotACountry),
            ("culture", Reason::NotALanguage),
            ("termDuration", Reason::NotATerm),
            ("partnerType", Reason::NotAPartnerType),
            (
                "roles",
                Reason::RoleNotForKind {
                    kind: "customer",
                    allowed: "global_admin or user",
                },
            ),
            ("roles", Reason::NoRole),
            ("country", Reason::NoCountry),
            ("lineItems", Reason::TooManyLines { max: 50 }),
            ("offerId", Reason::NoSuchOffer(offer)),
            ("offerId", Reason::OfferNotSold(offer)),
            (
                "offerId",
                Reason::OfferNotSoldIn {
                    offer,
                    country: "RU".into(),
                },
            ),
            ("indirectResellerId", Reason::NotYourReseller),
            ("partnerIdOnRecord", Reason::ResellerNotRelated),
            ("indirectProviderId", Reason::NoSuchPartner),
            ("indirectProviderId", Reason::NotAnIndirectProvider),
            ("indirectProviderId", Reason::OnlyIndirectResellerHasProvider),
            ("resellerId", Reason::NotAnIndirectReseller),
            ("supportTenantId", Reason::NotASupportContact),
            ("status", Reason::ExpiresByItself),
            ("revokeApiTokens", Reason::ResetRevokesTokens),
            ("roleDefinitionId", Reason::NotACatalogueRole),
            (
                "roleDefinitionId",
                Reason::NotARelationshipRole("62e90394-69f5-4237-9190-012177145e10".into()),
            ),
            ("id", Reason::NotARoleId),
            ("roleDefinitionId", Reason::UnknownRole("f2ef992c".into())),
            (
                "accessDetails",
                Reason::RoleStillAssigned {
                    role: "f2ef992c".into(),
                    assignment: "a1".into(),
                },
            ),
            ("items", Reason::TooManyItems { max: 300 }),
            ("WebhookUrl", Reason::NotAWebhookUrl),
            ("WebhookEvents", Reason::UnknownWebhookEvent),
            ("WebhookUrl", Reason::WebhookAddressNotAllowed("loopback")),
        ];
        for (_, reason) in &all {
            listed(reason);
        }
        all
    }

    /// Compiles only while every reason is named; see [`reasons`].
    fn listed(reason: &Reason) {
        match reason {
            Reason::Empty
            | Reason::TooLong { .. }
            | Reason::TooShort { .. }
            | Reason::LengthOutOfRange { .. }
            | Reason::OutOfRange { .. }
            | Reason::BelowMinimum { .. }
            | Reason::BelowMinimumQuantity
            | Reason::NotAWholeNumber
            | Reason::NotAnAmount
            | Reason::Negative
            | Reason::ControlCharacters
            | Reason::NotAnEmail
            | Reason::DomainTooFewLabels
            | Reason::DomainBadLabel
            | Reason::NotACountry
            | Reason::NotALanguage
            | Reason::NotATerm
            | Reason::NotAPartnerType
            | Reason::RoleNotForKind { .. }
            | Reason::NoRole
            | Reason::NoCountry
            | Reason::TooManyLines { .. }
            | Reason::NoSuchOffer(_)
            | Reason::OfferNotSold(_)
            | Reason::OfferNotSoldIn { .. }
            | Reason::NotYourReseller
            | Reason::ResellerNotRelated
            | Reason::NoSuchPartner
            | Reason::NotAnIndirectProvider
            | Reason::OnlyIndirectResellerHasProvider
            | Reason::NotAnIndirectReseller
            | Reason::NotASupportContact
            | Reason::ExpiresByItself
            | Reason::ResetRevokesTokens
            | Reason::NotACatalogueRole
            | Reason::NotARelationshipRole(_)
            | Reason::NotARoleId
            | Reason::UnknownRole(_)
            | Reason::RoleStillAssigned { .. }
            | Reason::TooManyItems { .. }
            | Reason::NotAWebhookUrl
            | Reason::UnknownWebhookEvent
            | Reason::WebhookAddressNotAllowed(_) => {}
        }
    }

    /// Every kind of conflict. The `match` has no wildcard: a new kind does not compile
    /// until it is listed here too.
    pub(crate) fn conflicts() -> Vec<ConflictKind> {
        let all = vec![
            ConflictKind::EmailTaken,
            ConflictKind::DomainTaken,
            ConflictKind::RelationshipActive,
            ConflictKind::ResellerHasProvider,
            ConflictKind::ResellerAlreadyLinked,
            ConflictKind::LastGlobalAdmin {
                email: "ann@contoso.example".into(),
            },
            ConflictKind::GdapNameTaken,
            ConflictKind::SecurityGroupNameTaken,
            ConflictKind::AlreadyMember,
            ConflictKind::AssignmentExists,
            ConflictKind::SecurityGroupInUse,
            ConflictKind::RoleIdTaken,
            ConflictKind::RequestAlreadyHandled,
            ConflictKind::RequestStillRunning {
                request_id: "3f2a9c4e-0000-4000-8000-000000000001".into(),
            },
            ConflictKind::RequestIdReused {
                request_id: "3f2a9c4e-0000-4000-8000-000000000001".into(),
                method: "POST".into(),
                path: "/v1/customers".into(),
            },
            ConflictKind::SecretTaken,
            ConflictKind::Duplicate,
        ];
        for kind in &all {
            match kind {
                ConflictKind::EmailTaken
                | ConflictKind::DomainTaken
                | ConflictKind::RelationshipActive
                | ConflictKind::ResellerHasProvider
                | ConflictKind::ResellerAlreadyLinked
                | ConflictKind::LastGlobalAdmin { .. }
                | ConflictKind::GdapNameTaken
                | ConflictKind::SecurityGroupNameTaken
                | ConflictKind::AlreadyMember
                | ConflictKind::AssignmentExists
                | ConflictKind::SecurityGroupInUse
                | ConflictKind::RoleIdTaken
                | ConflictKind::RequestAlreadyHandled
                | ConflictKind::RequestStillRunning { .. }
                | ConflictKind::RequestIdReused { .. }
                | ConflictKind::SecretTaken
                | ConflictKind::Duplicate => {}
            }
        }
        all
    }

    pub(crate) fn samples() -> Vec<AppError> {
        let mut all: Vec<AppError> = reasons()
            .into_iter()
            .map(|(property, reason)| AppError::Domain(DomainError::invalid(property, reason)))
            .collect();
        all.extend([
            DomainError::QuantityOutOfRange {
                quantity: 0,
                minimum: 1,
                maximum: 5,
            }
            .into(),
            DomainError::ActiveSubscriptionsExist {
                ids: vec![SubscriptionId(uuid::Uuid::nil()); 2],
            }
            .into(),
            DomainError::NoActiveRelationship.into(),
            DomainError::RelationshipAlreadyActive.into(),
            DomainError::InvalidGdapDuration {
                value: "730 days, 0:00:00".into(),
            }
            .into(),
            DomainError::InvalidGdapAutoExtend { value: "P90D".into() }.into(),
            DomainError::GdapRolesRequired.into(),
            DomainError::GdapAutoExtendNotAllowed.into(),
            DomainError::GdapApprovalExpired.into(),
            DomainError::MailOff.into(),
            DomainError::GdapCustomerMismatch.into(),
            DomainError::GdapPropertyNotEditable {
                property: "displayName",
                state: "active",
            }
            .into(),
            DomainError::RequestExpired.into(),
            DomainError::RequestAlreadyAnswered("accepted").into(),
            DomainError::RequestAlreadyAnswered("declined").into(),
            DomainError::ForbiddenRole(Action::ManageUsers).into(),
            DomainError::PartnerTypeNotAllowed(PartnerTypeRule::ResellerOrdersThroughProvider).into(),
            DomainError::InvalidTransition {
                entity: "subscription",
                action: "suspend",
                state: "deleted",
            }
            .into(),
            DomainError::SubscriptionDeleted.into(),
            DomainError::DelegatedAdminNotConsented.into(),
            AppError::NotFound("customer"),
            AppError::AlreadyInUse {
                property: "domain",
                value: "contoso.example".into(),
            },
        ]);
        all.extend(conflicts().into_iter().map(AppError::Conflict));
        all.extend([
            AppError::VersionConflict("offer"),
            AppError::WrongCurrentPassword,
            AppError::Unauthenticated(partnerdesk_app::AuthFailure::SessionExpired),
            AppError::TooManyFailedSignIns {
                retry_after_seconds: 300,
            },
            AppError::Unavailable("pool timed out".into()),
            AppError::Internal("boom".into()),
        ]);
        all
    }

    /// The English words of `text`, as the page tests find them.
    fn english_in(text: &str) -> Vec<String> {
        super::english::latin_words(text, &[])
    }

    /// Every message of the Russian dashboard, said with sample arguments: each
    /// `$variable` a number when it is counted, Russian words otherwise.
    fn every_russian_dashboard_message() -> Vec<(String, String)> {
        let numbers = [
            "count", "max", "min", "minutes", "quantity", "minimum", "maximum", "changed", "refused", "days", "total",
            "seats", "n",
        ];
        crate::i18n::message_ids(crate::i18n::RU_DASHBOARD)
            .into_iter()
            .map(|id| {
                let source = crate::i18n::RU_DASHBOARD
                    .split(&format!("\n{id} ="))
                    .nth(1)
                    .map(|rest| {
                        rest.split('\n')
                            .take_while(|l| l.is_empty() || l.starts_with(' ') || !l.contains(" ="))
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default();
                let vars: std::collections::BTreeSet<String> = source
                    .split('$')
                    .skip(1)
                    .map(|v| {
                        v.chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                            .collect()
                    })
                    .collect();
                let args: Vec<(&str, Arg)> = vars
                    .iter()
                    .map(|v| {
                        let arg = if numbers.contains(&v.as_str()) {
                            Arg::from(3_i64)
                        } else {
                            Arg::from("Ромашка")
                        };
                        (v.as_str(), arg)
                    })
                    .collect();
                let text = crate::i18n::message(Lang::Ru, &id, &args);
                (id, text)
            })
            .collect()
    }

    /// No Russian page shows English words: every message of the Russian dashboard (its
    /// pages' words, every `refusal-*`, `reason-*`, `field-*` and `error-*` the dashboard
    /// says when something is refused or fails, and every refusal a page makes itself).
    #[test]
    fn no_russian_dashboard_message_has_english_words() {
        let all = every_russian_dashboard_message();
        assert!(all.len() > 300, "only {} messages read", all.len());
        for prefix in ["refusal-", "reason-", "field-", "error-"] {
            assert!(all.iter().any(|(id, _)| id.starts_with(prefix)), "no {prefix} message");
        }
        let english: Vec<_> = all
            .iter()
            .filter(|(_, text)| !english_in(text).is_empty() || text.contains('$'))
            .map(|(id, text)| format!("{id}: {text} {:?}", english_in(text)))
            .collect();
        assert!(english.is_empty(), "English on Russian pages:\n{}", english.join("\n"));
    }

    #[test]
    fn every_error_name_has_dashboard_words_without_english_on_russian_pages() {
        let ru = Tr::new(Lang::Ru);
        let en = Tr::new(Lang::En);
        let samples = samples();
        for line in crate::i18n::EN_ERRORS.lines() {
            let Some((name, _)) = line.split_once(" = ") else {
                continue;
            };
            // Error names are snake_case; the words put into them (`why-*`, ...) have hyphens.
            if line.starts_with('#') || API_ONLY.contains(&name) || name.contains('-') {
                continue;
            }
            assert!(
                samples.iter().any(|e| ApiError::from(e.clone()).name() == name),
                "no sample of {name}: the dashboard's words for it are untried"
            );
        }
        for error in samples {
            let said = refusal(&ru, &error).text;
            assert!(english_in(&said).is_empty(), "{error:?} in Russian: {said}");
            assert!(
                !said.contains("refusal-") && !said.contains("reason-") && !said.contains("field-"),
                "{said}"
            );
            let english = refusal(&en, &error).text;
            assert!(
                !english.contains("refusal-") && !english.contains("reason-"),
                "{english}"
            );
        }
    }

    #[test]
    fn every_action_a_role_may_be_refused_has_its_own_words() {
        let ru = Tr::new(Lang::Ru);
        let en = Tr::new(Lang::En);
        for action in Action::ALL {
            let id = action_id(action);
            assert_ne!(ru.t(id), id, "{action:?} has no Russian words");
            assert_eq!(en.t(id), action.describe(), "{action:?} is worded otherwise in English");
        }
    }

    #[test]
    fn every_reason_a_form_can_get_has_its_own_words() {
        for tr in [Tr::new(Lang::En), Tr::new(Lang::Ru)] {
            let generic = tr.t("reason-invalid");
            let mut said = std::collections::HashSet::new();
            for (property, reason) in reasons() {
                let words = reason_words(&tr, &reason);
                assert_ne!(words, generic, "{property}: {reason:?}");
                assert!(!words.starts_with("reason-"), "{reason:?} has no message");
                assert_ne!(field_label(&tr, property), tr.t("field-value"), "{property}");
                said.insert(words);
            }
            assert!(said.len() > 25, "reasons share too few words: {said:?}");
        }
    }

    #[test]
    fn a_refusal_names_its_field_and_says_it_in_words() {
        let ru = Tr::new(Lang::Ru);
        let taken = AppError::Conflict(ConflictKind::EmailTaken);
        let said = refusal(&ru, &taken);
        assert_eq!(said.field, Some("email"));
        assert!(!said.text.contains("Конфликт"), "{}", said.text);
        let empty = AppError::Domain(DomainError::invalid("name", Reason::Empty));
        assert_eq!(refusal(&ru, &empty).text, "Название: заполните это поле");
        let long = AppError::Domain(DomainError::invalid("companyName", Reason::TooLong { max: 255 }));
        assert_eq!(refusal(&ru, &long).text, "Название: не больше 255 символов");
    }
}
