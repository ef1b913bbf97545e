//! A refusal in the words of the dashboard: what the app refused, said in the page's
//! language as a partner's admin would say it, with the form field it is about.
//!
//! The API's descriptions (`errors.ftl`) carry English details from the app (a property's
//! `reason`, a conflict's detail, the name of an action); none of that is shown here. Each
//! refusal is mapped to a dashboard message (`refusal-*`, `field-*`, `reason-*` in
//! `dashboard.ftl`) whose arguments are numbers or what the user typed.

use partnerdesk_app::AppError;
use partnerdesk_domain::{DomainError, Reason};

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

/// The refusal of `error`, in the words of the dashboard.
pub fn refusal(tr: &Tr, error: &AppError) -> Refusal {
    let plain = |id: &str| Refusal {
        field: None,
        text: tr.t(id),
    };
    match error {
        AppError::Domain(d) => domain(tr, d),
        AppError::NotFound(_) => plain("refusal-not-found"),
        AppError::AlreadyInUse { property, value } => Refusal {
            field: Some(property),
            text: i18n::message(
                tr.lang,
                "refusal-already-in-use",
                &[
                    ("field", Arg::from(field_label(tr, property))),
                    ("value", Arg::from(value.as_str())),
                ],
            ),
        },
        AppError::Conflict(detail) => conflict(tr, detail),
        AppError::VersionConflict(_) => plain("refusal-changed-meanwhile"),
        AppError::Unauthenticated(reason) if reason.contains("current password") => Refusal {
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
    let plain = |id: &str| Refusal {
        field: None,
        text: tr.t(id),
    };
    match error {
        DomainError::InvalidProperty { property, reason } => Refusal {
            field: Some(property),
            text: i18n::message(
                tr.lang,
                "refusal-invalid-property",
                &[
                    ("field", Arg::from(field_label(tr, property))),
                    ("reason", Arg::from(reason_words(tr, reason))),
                ],
            ),
        },
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
        DomainError::ForbiddenRole(action) => match action_id(action) {
            Some(id) => Refusal {
                field: None,
                text: tr.t1("refusal-forbidden-role-to", "action", &tr.t(id)),
            },
            None => plain("refusal-forbidden-role"),
        },
        DomainError::PartnerTypeNotAllowed(_) => plain("refusal-partner-type"),
        DomainError::InvalidTransition { .. } => plain("refusal-invalid-transition"),
        DomainError::SubscriptionDeleted => plain("refusal-subscription-deleted"),
        DomainError::DelegatedAdminNotConsented => plain("refusal-dap-not-consented"),
    }
}

/// The words of an action a role may not do (`Action::describe`), by its message id.
fn action_id(action: &str) -> Option<&'static str> {
    Some(match action {
        "manage partners" => "action-manage-partners",
        "manage the offer catalog" => "action-manage-offers",
        "view customers" => "action-view-customers",
        "create customers" => "action-create-customer",
        "request reseller relationships" => "action-request-relationship",
        "place orders" => "action-place-order",
        "view subscriptions" => "action-view-subscriptions",
        "suspend or reactivate subscriptions" => "action-manage-subscriptions",
        "manage delegated admin rights" => "action-manage-delegated-admin",
        "remove reseller relationships" => "action-remove-relationship",
        "manage indirect reseller links" => "action-manage-reseller-links",
        "answer relationship requests" => "action-answer-request",
        "view the organisation's partners" => "action-view-own-partners",
        "remove a partner's admin roles" => "action-remove-partner-admin-roles",
        "end a reseller relationship" => "action-end-relationship",
        "manage users" => "action-manage-users",
        _ => return None,
    })
}

/// A uniqueness rule of the store, by what it names; anything else in general words.
fn conflict(tr: &Tr, detail: &str) -> Refusal {
    let (field, id) = if detail.contains("e-mail") {
        (Some("email"), "refusal-email-taken")
    } else if detail.contains("domain") {
        (Some("domain"), "refusal-domain-taken")
    } else if detail.contains("last global admin") {
        (None, "refusal-last-global-admin")
    } else {
        (None, "refusal-conflict")
    };
    Refusal { field, text: tr.t(id) }
}

/// The label of a form field as the dashboard names it (`field-*`); a property the
/// dashboard has no label for is "the value".
pub fn field_label(tr: &Tr, property: &str) -> String {
    let id = match property {
        "companyName" | "name" => "field-name",
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
        "roles" => "field-roles",
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
        "revokeApiTokens" => "field-revoke-tokens",
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
    };
    tr.t(id)
}

#[cfg(test)]
mod tests {
    use partnerdesk_domain::SubscriptionId;

    use super::*;
    use crate::error::ApiError;
    use crate::i18n::Lang;

    /// The error names the dashboard never shows: the API's own answers (an address it does
    /// not have, a body or URI too long, a subscription id in a `/v1` path); the dashboard
    /// answers those with its own pages.
    const API_ONLY: [&str; 4] = [
        "subscription_not_found",
        "payload_too_large",
        "uri_too_long",
        "route_not_found",
    ];

    /// Every reason the app and the domain give with `invalid_property`, with a property it
    /// is given for. The `match` in [`listed`] has no wildcard: a new reason does not compile
    /// until it is listed here too.
    fn reasons() -> Vec<(&'static str, Reason)> {
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
            | Reason::ResetRevokesTokens => {}
        }
    }

    fn samples() -> Vec<AppError> {
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
            DomainError::RequestExpired.into(),
            DomainError::RequestAlreadyAnswered("accepted").into(),
            DomainError::RequestAlreadyAnswered("declined").into(),
            DomainError::ForbiddenRole("manage users").into(),
            DomainError::PartnerTypeNotAllowed("an indirect reseller cannot place orders").into(),
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
            AppError::Conflict("a user with this e-mail address already exists".into()),
            AppError::Conflict("a customer with this domain already exists".into()),
            AppError::Conflict("ann@contoso.example is the organisation's last global admin".into()),
            AppError::Conflict("a row with these values already exists".into()),
            AppError::VersionConflict("offer"),
            AppError::Unauthenticated("the current password is wrong"),
            AppError::Unauthenticated("the session has expired"),
            AppError::TooManyFailedSignIns {
                retry_after_seconds: 300,
            },
            AppError::Unavailable("pool timed out".into()),
            AppError::Internal("boom".into()),
        ]);
        all
    }

    /// Latin words in `text` that are not an e-mail address, a domain, a code such as US, or
    /// an example the message shows on purpose.
    fn english_in(text: &str) -> Vec<String> {
        const ALLOWED: [&str; 4] = ["name@example.com", "contoso.example", "partnerdesk", "API"];
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '«' | '»'))
            .map(|w| w.trim_end_matches('.'))
            .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
            .filter(|w| !ALLOWED.contains(w) && !w.contains('@') && !w.contains('.'))
            .filter(|w| !(w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase())))
            .map(str::to_string)
            .collect()
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
            if line.starts_with('#') || API_ONLY.contains(&name) {
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
        use partnerdesk_domain::permission::Action::*;
        let ru = Tr::new(Lang::Ru);
        for action in [
            ManagePartners,
            ManageOffers,
            ViewCustomers,
            AddCustomer,
            RequestRelationship,
            CreateOrder,
            ViewSubscriptions,
            ManageSubscriptions,
            ManageDelegatedAdmin,
            RemoveRelationship,
            ManageResellerLinks,
            AnswerRequest,
            ViewOwnPartners,
            RemovePartnerAdminRoles,
            EndRelationshipAsCustomer,
            ManageUsers,
        ] {
            let id = action_id(action.describe()).unwrap_or_else(|| panic!("{action:?} has no words"));
            assert_ne!(ru.t(id), id, "{action:?} has no Russian words");
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
        let taken = AppError::Conflict("a user with this e-mail address already exists".into());
        let said = refusal(&ru, &taken);
        assert_eq!(said.field, Some("email"));
        assert!(!said.text.contains("Конфликт"), "{}", said.text);
        let empty = AppError::Domain(DomainError::invalid("name", Reason::Empty));
        assert_eq!(refusal(&ru, &empty).text, "Название: заполните это поле");
        let long = AppError::Domain(DomainError::invalid("companyName", Reason::TooLong { max: 255 }));
        assert_eq!(refusal(&ru, &long).text, "Название: не больше 255 символов");
    }
}
