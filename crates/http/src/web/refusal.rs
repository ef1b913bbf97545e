//! A refusal in the words of the dashboard: what the app refused, said in the page's
//! language as a partner's admin would say it, with the form field it is about.
//!
//! The API's descriptions (`errors.ftl`) carry English details from the app (a property's
//! `reason`, a conflict's detail, the name of an action); none of that is shown here. Each
//! refusal is mapped to a dashboard message (`refusal-*`, `field-*`, `reason-*` in
//! `dashboard.ftl`) whose arguments are numbers or what the user typed.

use partnerdesk_app::AppError;
use partnerdesk_domain::DomainError;

use super::tr::Tr;
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
                    ("reason", Arg::from(reason_words(tr, property, reason))),
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
        DomainError::GdapCustomerMismatch => plain("refusal-gdap-customer-mismatch"),
        DomainError::GdapPropertyNotEditable { .. } => plain("refusal-gdap-not-editable"),
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
        _ => "field-value",
    };
    tr.t(id)
}

/// The app's reason (English, for developers) as dashboard words; one the dashboard does
/// not know reads "is not valid".
fn reason_words(tr: &Tr, property: &str, reason: &str) -> String {
    let number = |after: &str| -> Option<i64> {
        let rest = reason.split(after).nth(1)?;
        let digits: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    if reason == "must not be empty" {
        return tr.t("reason-empty");
    }
    if let Some(max) = reason.strip_prefix("must be at most ").and(number("at most")) {
        return tr.tn("reason-too-long", "max", max);
    }
    if let Some(min) = reason.strip_prefix("must be at least ").and(number("at least")) {
        return tr.tn("reason-too-short", "min", min);
    }
    let id = match reason {
        _ if property == "domain" => "reason-domain",
        "must not contain control characters" => "reason-control-characters",
        "must look like name@example.com" => "reason-email",
        "must look like en-US or ru-RU" => "reason-language",
        "must be a two-letter country code such as US or RU" => "reason-country",
        "is not one of your indirect resellers" => "reason-not-your-reseller",
        "that reseller has no active relationship with this customer" => "reason-reseller-not-related",
        "at least one role is needed" => "reason-one-role",
        "at least one country is needed" => "reason-one-country",
        "no such partner" | "must name an indirect provider" => "reason-indirect-provider",
        "only an indirect reseller has an indirect provider" => "reason-only-indirect-reseller",
        "must name an indirect reseller" => "reason-indirect-reseller",
        "is not one of the customer's available support contacts" => "reason-support-contact",
        "must be a whole number" => "reason-whole-number",
        "must be an amount such as 12.50" => "reason-amount",
        "must not be negative" => "reason-negative",
        "must not be below minimumQuantity" => "reason-below-minimum",
        "must be P1M or P1Y" => "reason-term",
        r if r.starts_with("must be 1 to ") || r.starts_with("an order has 1 to ") => "reason-out-of-range",
        r if r.starts_with("no offer ") || r.contains("no longer sold") || r.contains("is not sold in") => {
            "reason-offer-not-sold"
        }
        _ => "reason-invalid",
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

    /// Every reason the app and the domain give with `invalid_property`, with its property.
    const REASONS: &[(&str, &str)] = &[
        ("name", "must not be empty"),
        ("companyName", "must be at most 255 characters"),
        ("name", "must not contain control characters"),
        ("domain", "must be 1 to 253 characters"),
        ("domain", "must have at least two labels, like contoso.example"),
        ("domain", "labels are letters, digits and inner hyphens, 1 to 63 each"),
        ("email", "must look like name@example.com"),
        ("country", "must be a two-letter country code such as US or RU"),
        ("culture", "must look like en-US or ru-RU"),
        ("billingAddress", "must be at most 1000 characters"),
        ("password", "must be at least 8 characters"),
        ("indirectResellerId", "is not one of your indirect resellers"),
        (
            "partnerIdOnRecord",
            "that reseller has no active relationship with this customer",
        ),
        ("offerId", "no offer 3f0e in the catalog"),
        ("offerId", "offer 3f0e is no longer sold"),
        ("offerId", "offer 3f0e is not sold in RU"),
        ("lineItems", "an order has 1 to 50 line items"),
        ("expiresInDays", "must be 1 to 365"),
        ("roles", "at least one role is needed"),
        ("country", "at least one country is needed"),
        ("indirectProviderId", "no such partner"),
        ("indirectProviderId", "must name an indirect provider"),
        (
            "indirectProviderId",
            "only an indirect reseller has an indirect provider",
        ),
        ("resellerId", "must name an indirect reseller"),
        (
            "supportTenantId",
            "is not one of the customer's available support contacts",
        ),
        ("minimumQuantity", "must be a whole number"),
        ("unitPrice", "must be an amount such as 12.50"),
        ("price", "must not be negative"),
        ("minimumQuantity", "must be at least 1"),
        ("maximumQuantity", "must not be below minimumQuantity"),
        ("termDuration", "must be P1M or P1Y"),
    ];

    fn samples() -> Vec<AppError> {
        let mut all: Vec<AppError> = REASONS
            .iter()
            .map(|(property, reason)| {
                AppError::Domain(DomainError::InvalidProperty {
                    property,
                    reason: (*reason).to_string(),
                })
            })
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
            DomainError::GdapCustomerMismatch.into(),
            DomainError::GdapPropertyNotEditable {
                property: "displayName",
                state: "active",
            }
            .into(),
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
        const ALLOWED: [&str; 3] = ["name@example.com", "contoso.example", "partnerdesk"];
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
        let en = Tr::new(Lang::En);
        let generic = en.t("reason-invalid");
        for (property, reason) in REASONS {
            assert_ne!(reason_words(&en, property, reason), generic, "{property}: {reason}");
            assert_ne!(field_label(&en, property), en.t("field-value"), "{property}");
        }
    }

    #[test]
    fn a_refusal_names_its_field_and_says_it_in_words() {
        let ru = Tr::new(Lang::Ru);
        let taken = AppError::Conflict("a user with this e-mail address already exists".into());
        let said = refusal(&ru, &taken);
        assert_eq!(said.field, Some("email"));
        assert!(!said.text.contains("Конфликт"), "{}", said.text);
        let empty = AppError::Domain(DomainError::InvalidProperty {
            property: "name",
            reason: "must not be empty".into(),
        });
        assert_eq!(refusal(&ru, &empty).text, "Название: заполните это поле");
        let long = AppError::Domain(DomainError::InvalidProperty {
            property: "companyName",
            reason: "must be at most 255 characters".into(),
        });
        assert_eq!(refusal(&ru, &long).text, "Название: не больше 255 символов");
    }
}
