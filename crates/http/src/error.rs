//! The `/v1` error body and the one place where application errors become HTTP answers
//! (API.md, "Errors"): status, Partner Center's numeric `code`, our stable `errorName`, a
//! localized `description`, `data` with details, and `source: "partnerdesk"`.
//!
//! Internal causes are logged here, once, and never shown to the client.
//!
//! Handlers and extractors return an [`ApiError`] without choosing a language. Its
//! response is written in English and carries the error along; [`in_callers_language`],
//! which the platform layer applies to every answer once the caller is known, writes the
//! body again in the caller's language (`X-Locale`, else the caller's own locale, else English).

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use partnerdesk_app::{AppError, AuthFailure};
use partnerdesk_domain::permission::{Action, PartnerTypeRule};
use partnerdesk_domain::{ConflictKind, DomainError, Reason};
use serde::Serialize;

use crate::i18n::{self, Arg, Lang};
use crate::web::refusal::{action_id, reason_words};
use crate::web::tr::Tr;

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// Details of an error, in the body's `data`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ErrorData {
    /// A list of ids (e.g. the active subscriptions that block a removal); empty when
    /// there is nothing more to say.
    Ids(Vec<String>),
    /// The property that was wrong, and why.
    Property { property: String, reason: String },
    /// The bounds a quantity must respect.
    Range { quantity: i64, minimum: i64, maximum: i64 },
}

/// An error as the API answers it.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: u32,
    name: &'static str,
    args: Vec<(&'static str, Arg)>,
    data: ErrorData,
    /// The language of the description; `None` until the response layer picks the
    /// caller's.
    lang: Option<Lang>,
    /// Seconds to send as `Retry-After`.
    retry_after: Option<u64>,
}

/// The JSON body of an error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody<'a> {
    /// Partner Center's error code where one exists, otherwise the HTTP status.
    code: u32,
    /// Human and localized (`X-Locale`).
    description: String,
    /// Details: the property that was wrong, the blocking ids, or a quantity's bounds.
    #[schema(value_type = ErrorData)]
    data: &'a ErrorData,
    /// Always `partnerdesk`.
    source: &'static str,
    /// Our stable snake_case name of the error.
    error_name: &'static str,
}

impl ApiError {
    fn new(status: StatusCode, code: u32, name: &'static str) -> Self {
        Self {
            status,
            code,
            name,
            args: Vec::new(),
            data: ErrorData::Ids(Vec::new()),
            lang: None,
            retry_after: None,
        }
    }

    fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    fn data(mut self, data: ErrorData) -> Self {
        self.data = data;
        self
    }

    /// Describes the error in `lang`, whatever the caller's language is.
    pub fn in_lang(mut self, lang: Lang) -> Self {
        self.lang = Some(lang);
        self
    }

    /// 400 `invalid_property`: `property` is malformed or out of range, for `why`. Its
    /// English is `data.reason`; the description says it in the caller's language.
    pub fn invalid_property(property: impl Into<String>, why: Why) -> Self {
        Self::refused(property.into(), why.words(), why.english())
    }

    /// 400 `invalid_property` with its reason in words per language.
    fn refused(property: String, words: Arg, reason: String) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 3000, "invalid_property")
            .arg("property", property.clone())
            .arg("reason", words)
            .data(ErrorData::Property { property, reason })
    }

    /// 400 `invalid_property` for a feature the API does not offer yet.
    pub fn not_supported(property: impl Into<String>, feature: impl Into<String>) -> Self {
        let reason = format!("{} is not supported yet", feature.into());
        let words = Arg::Words {
            en: reason.clone(),
            ru: i18n::message(Lang::Ru, "why-not-supported-yet", &[]),
        };
        Self::refused(property.into(), words, reason)
    }

    /// 404 `not_found`: nothing of that id is visible to the caller.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, 1000, "not_found").arg("what", resource(what))
    }

    /// 404 `subscription_not_found` (Partner Center's 20003).
    pub fn subscription_not_found(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, 20003, "subscription_not_found").arg("id", id)
    }

    /// 412 `etag_mismatch`: `If-Match` is stale.
    pub fn etag_mismatch() -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, 2055, "etag_mismatch")
    }

    /// 428 `if_match_required`: the change needs the `If-Match` of the version last read.
    pub fn if_match_required() -> Self {
        Self::new(StatusCode::PRECONDITION_REQUIRED, 428, "if_match_required")
    }

    /// 413 `payload_too_large`.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, 413, "payload_too_large").arg("limit", limit as i64)
    }

    /// 414 `uri_too_long`: the request target is over `limit` bytes.
    pub fn uri_too_long(limit: usize) -> Self {
        Self::new(StatusCode::URI_TOO_LONG, 414, "uri_too_long").arg("limit", limit as i64)
    }

    /// 404 `route_not_found`: no operation of the API has this path.
    pub fn route_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, 404, "route_not_found")
    }

    /// 500 `internal`: the cause is logged here and not shown.
    pub fn internal(cause: &str) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, 500, "internal")
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable snake_case name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The numeric code.
    pub fn code(&self) -> u32 {
        self.code
    }

    /// The description in the error's language (English until one is chosen).
    pub fn description(&self) -> String {
        i18n::message(self.lang.unwrap_or_default(), self.name, &self.args)
    }

    /// The JSON body of the error, described in its language.
    fn body(&self) -> Vec<u8> {
        let body = ErrorBody {
            code: self.code,
            description: self.description(),
            data: &self.data,
            source: "partnerdesk",
            error_name: self.name,
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

fn from_domain(e: DomainError) -> ApiError {
    use DomainError as D;
    match e {
        D::InvalidProperty { property, reason } => {
            ApiError::refused(property.into(), reason_arg(&reason), reason.to_string())
        }
        D::QuantityOutOfRange {
            quantity,
            minimum,
            maximum,
        } => ApiError::new(StatusCode::BAD_REQUEST, 3000, "quantity_out_of_range")
            .arg("quantity", quantity)
            .arg("minimum", minimum)
            .arg("maximum", maximum)
            .data(ErrorData::Range {
                quantity,
                minimum,
                maximum,
            }),
        D::ActiveSubscriptionsExist { ids } => {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            ApiError::new(StatusCode::CONFLICT, 3101, "active_subscriptions_exist")
                .arg("count", ids.len() as i64)
                .arg("ids", ids.join(", "))
                .data(ErrorData::Ids(ids))
        }
        D::NoActiveRelationship => ApiError::new(StatusCode::FORBIDDEN, 20002, "no_active_relationship"),
        D::RelationshipAlreadyActive => ApiError::new(StatusCode::CONFLICT, 3102, "relationship_already_active"),
        D::RequestExpired => ApiError::new(StatusCode::GONE, 3103, "request_expired"),
        D::RequestAlreadyAnswered(state) => {
            ApiError::new(StatusCode::CONFLICT, 409, "request_already_answered").arg("state", named("state", state))
        }
        D::ForbiddenRole(action) => {
            ApiError::new(StatusCode::FORBIDDEN, 2032, "forbidden_role").arg("action", action_words(action))
        }
        D::PartnerTypeNotAllowed(reason) => ApiError::new(StatusCode::FORBIDDEN, 800039, "partner_type_not_allowed")
            .arg("reason", partner_type_words(reason)),
        D::InvalidTransition { entity, action, state } => {
            ApiError::new(StatusCode::CONFLICT, 409, "invalid_transition")
                .arg("entity", resource(entity))
                .arg("action", action)
                .arg("state", named("state", state))
        }
        D::SubscriptionDeleted => ApiError::new(StatusCode::BAD_REQUEST, 2011, "subscription_deleted"),
        D::DelegatedAdminNotConsented => ApiError::new(StatusCode::FORBIDDEN, 403, "delegated_admin_not_consented"),
        D::InvalidGdapDuration { value } => {
            ApiError::new(StatusCode::BAD_REQUEST, 400, "invalid_gdap_duration").arg("value", value)
        }
        D::InvalidGdapAutoExtend { value } => {
            ApiError::new(StatusCode::BAD_REQUEST, 400, "invalid_gdap_auto_extend").arg("value", value)
        }
        D::GdapRolesRequired => ApiError::new(StatusCode::BAD_REQUEST, 400, "gdap_roles_required"),
        D::GdapAutoExtendNotAllowed => ApiError::new(StatusCode::BAD_REQUEST, 400, "gdap_auto_extend_not_allowed"),
        D::GdapApprovalExpired => ApiError::new(StatusCode::CONFLICT, 409, "gdap_approval_expired"),
        D::GdapCustomerMismatch => ApiError::new(StatusCode::FORBIDDEN, 403, "gdap_customer_mismatch"),
        D::GdapPropertyNotEditable { property, state } => {
            ApiError::new(StatusCode::BAD_REQUEST, 400, "gdap_property_not_editable")
                .arg("property", property)
                .arg("state", named("state", state))
        }
        D::MailOff => ApiError::new(StatusCode::CONFLICT, 409, "mail_off"),
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Domain(d) => from_domain(d),
            AppError::NotFound(what) => ApiError::not_found(what),
            AppError::AlreadyInUse { property, value } => ApiError::new(StatusCode::CONFLICT, 409, "already_in_use")
                .arg("property", property)
                .arg("value", value)
                .data(ErrorData::Property {
                    property: property.into(),
                    reason: "already in use".into(),
                }),
            AppError::Conflict(kind) => {
                ApiError::new(StatusCode::CONFLICT, 409, "conflict").arg("detail", conflict_words(&kind))
            }
            AppError::VersionConflict(_) => ApiError::etag_mismatch(),
            AppError::Unauthenticated(reason) => ApiError::new(StatusCode::UNAUTHORIZED, 400, "unauthenticated")
                .arg("reason", auth_failure_words(reason)),
            AppError::WrongCurrentPassword => ApiError::new(StatusCode::UNAUTHORIZED, 400, "unauthenticated")
                .arg("reason", Arg::words("unauthenticated-current-password", &[])),
            AppError::TooManyFailedSignIns { retry_after_seconds } => {
                let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, 429, "too_many_failed_sign_ins")
                    .arg("seconds", i64::try_from(retry_after_seconds).unwrap_or(i64::MAX));
                e.retry_after = Some(retry_after_seconds);
                e
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, 503, "unavailable")
            }
            AppError::Internal(cause) => ApiError::internal(&cause),
        }
    }
}

/// A domain reason in words: the English the API has always given, and the dashboard's
/// words for it (`reason-*`) in every other language.
fn reason_arg(reason: &Reason) -> Arg {
    Arg::Words {
        en: reason.to_string(),
        ru: reason_words(&Tr::new(Lang::Ru), reason),
    }
}

/// Why the API itself refuses a property (`invalid_property` from the HTTP layer: a query
/// parameter, a header, the shape of a body). The reasons it gives often are worded in
/// every language (`why-*`); any other is said in English in `data.reason`, and the
/// description says in general words that `data.reason` tells why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    Required,
    GivenTwice,
    TrueOrFalse,
    WholeNumber,
    OutOfRange,
    Uuid,
    ForeignToken,
    NotSupportedHere,
    NotValid,
    Empty,
    OneItem,
    OneRole,
    /// A reason said only in English (the rules of a filter, what serde refused).
    Other(String),
}

impl Why {
    /// A reason said only in English.
    pub fn other(reason: impl Into<String>) -> Self {
        Self::Other(reason.into())
    }

    /// The message of the reason (`why-*`).
    fn message_id(&self) -> &'static str {
        match self {
            Self::Required => "why-required",
            Self::GivenTwice => "why-given-twice",
            Self::TrueOrFalse => "why-true-or-false",
            Self::WholeNumber => "why-whole-number",
            Self::OutOfRange => "why-out-of-range",
            Self::Uuid => "why-uuid",
            Self::ForeignToken => "why-foreign-token",
            Self::NotSupportedHere => "why-not-supported-here",
            Self::NotValid => "why-not-valid",
            Self::Empty => "why-empty",
            Self::OneItem => "why-one-item",
            Self::OneRole => "why-one-role",
            Self::Other(_) => "why-other",
        }
    }

    /// The English of `data.reason`.
    fn english(&self) -> String {
        match self {
            Self::Other(reason) => reason.clone(),
            known => i18n::message(Lang::En, known.message_id(), &[]),
        }
    }

    /// The reason in words per language.
    fn words(&self) -> Arg {
        Arg::Words {
            en: self.english(),
            ru: i18n::message(Lang::Ru, self.message_id(), &[]),
        }
    }
}

/// The message id `{kind}-{name}` with spaces as hyphens (`resource-GDAP-relationship`,
/// `state-approvalPending`), if `errors.ftl` has it.
fn known(kind: &str, name: &str) -> Option<String> {
    let id = format!("{kind}-{}", name.replace(' ', "-"));
    i18n::has_message(&id).then_some(id)
}

/// A name (`state`) in words: its own message, or `{kind}-other` beside the English name.
fn named(kind: &str, name: &str) -> Arg {
    match known(kind, name) {
        Some(id) => Arg::words(&id, &[]),
        None => Arg::Words {
            en: name.to_string(),
            ru: i18n::message(Lang::Ru, &format!("{kind}-other"), &[]),
        },
    }
}

/// The name of a resource (`not_found`'s `what`, `invalid_transition`'s `entity`).
fn resource(what: &str) -> Arg {
    named("resource", what)
}

/// An action a role may not do, in the dashboard's words for it (`action-*`); the English
/// is the domain's own.
fn action_words(action: Action) -> Arg {
    Arg::Words {
        en: action.describe().to_string(),
        ru: i18n::message(Lang::Ru, action_id(action), &[]),
    }
}

/// Why a partner type may not do something, in words (`partner-type-*`); the English is
/// the domain's own.
fn partner_type_words(rule: PartnerTypeRule) -> Arg {
    use PartnerTypeRule as R;
    let id = match rule {
        R::ResellerRemovesThroughProvider => "partner-type-remove",
        R::ResellerOrdersThroughProvider => "partner-type-order",
        R::ResellerSubscriptionsThroughProvider => "partner-type-subscriptions",
        R::ResellerCustomersThroughProvider => "partner-type-add-customer",
        R::OnlyProviderLinksResellers => "partner-type-link-resellers",
        R::OnlyProviderCreatesResellerCustomers => "partner-type-customer-for-reseller",
    };
    Arg::Words {
        en: rule.describe().to_string(),
        ru: i18n::message(Lang::Ru, id, &[]),
    }
}

/// Why credentials were refused, in words (`unauthenticated-*`); the English is the
/// reason's own.
fn auth_failure_words(reason: AuthFailure) -> Arg {
    use AuthFailure as A;
    let id = match reason {
        A::NoToken => "unauthenticated-no-token",
        A::HeaderNotText => "unauthenticated-header-not-text",
        A::NotBearer => "unauthenticated-not-bearer",
        A::EmptyBearer => "unauthenticated-empty-bearer",
        A::TokenMalformed => "unauthenticated-token-malformed",
        A::TokenAlgorithm => "unauthenticated-token-algorithm",
        A::TokenKeyUnknown => "unauthenticated-token-key-unknown",
        A::TokenSignature => "unauthenticated-token-signature",
        A::TokenExpired => "unauthenticated-token-expired",
        A::TokenNotYetValid => "unauthenticated-token-not-yet-valid",
        A::TokenAudience => "unauthenticated-token-audience",
        A::TokenOrganisation => "unauthenticated-token-organisation",
        A::PasswordChangedSinceToken => "unauthenticated-password-changed-since-token",
        A::UnknownApiToken => "unauthenticated-unknown-api-token",
        A::ApiTokenEnded => "unauthenticated-api-token-ended",
        A::RefreshTokenRefused => "unauthenticated-refresh-token",
        A::ClientRefused => "unauthenticated-client",
        A::WrongEmailOrPassword => "unauthenticated-wrong-email-or-password",
        A::PasswordChangedDuringSignIn => "unauthenticated-password-changed-during-sign-in",
        A::UserGone => "unauthenticated-user-gone",
        A::UnknownSession => "unauthenticated-unknown-session",
        A::SessionExpired => "unauthenticated-session-expired",
    };
    Arg::Words {
        en: reason.describe().to_string(),
        ru: i18n::message(Lang::Ru, id, &[]),
    }
}

/// What a uniqueness rule refused, in words (`conflict-*`); the English is the kind's own.
fn conflict_words(kind: &ConflictKind) -> Arg {
    use ConflictKind as C;
    let (id, args): (&str, Vec<(&str, Arg)>) = match kind {
        C::EmailTaken => ("conflict-email-taken", vec![]),
        C::DomainTaken => ("conflict-domain-taken", vec![]),
        C::RelationshipActive => ("conflict-relationship-active", vec![]),
        C::ResellerHasProvider => ("conflict-reseller-has-provider", vec![]),
        C::ResellerAlreadyLinked => ("conflict-reseller-already-linked", vec![]),
        C::LastGlobalAdmin { email } => ("conflict-last-global-admin", vec![("email", email.as_str().into())]),
        C::GdapNameTaken => ("conflict-gdap-name-taken", vec![]),
        C::SecurityGroupNameTaken => ("conflict-group-name-taken", vec![]),
        C::AlreadyMember => ("conflict-already-member", vec![]),
        C::AssignmentExists => ("conflict-assignment-exists", vec![]),
        C::SecurityGroupInUse => ("conflict-group-in-use", vec![]),
        C::RoleIdTaken => ("conflict-role-id-taken", vec![]),
        C::RequestAlreadyHandled => ("conflict-request-handled", vec![]),
        C::RequestStillRunning { request_id } => (
            "conflict-request-running",
            vec![("requestId", request_id.as_str().into())],
        ),
        C::RequestIdReused {
            request_id,
            method,
            path,
        } => (
            "conflict-request-id-reused",
            vec![
                ("requestId", request_id.as_str().into()),
                ("method", method.as_str().into()),
                ("path", path.as_str().into()),
            ],
        ),
        C::SecretTaken => ("conflict-secret-taken", vec![]),
        C::Duplicate => ("conflict-duplicate", vec![]),
    };
    Arg::words(id, &args)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, [(header::CONTENT_TYPE, "application/json")], self.body()).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.lang.is_none() {
            response.extensions_mut().insert(Undescribed(self));
        } else {
            response.extensions_mut().insert(Described(self));
        }
        response
    }
}

/// An error answered before its language was chosen: left on the response for
/// [`in_callers_language`].
#[derive(Debug, Clone)]
struct Undescribed(ApiError);

/// An error answered in its language: left on the response for the layers that write
/// it another way (Graph's envelope on the Graph-shaped routes, `graph`).
#[derive(Debug, Clone)]
pub(crate) struct Described(pub ApiError);

impl ApiError {
    /// The language the error is described in (English until one is chosen).
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_default()
    }
}

/// The error language. The platform layer picks the caller's language (`X-Locale`, else
/// the signed-in caller's locale, else English) once it knows the caller, leaves it in the
/// request's extensions for a handler that describes errors inside a successful answer
/// (see [`Lang`]'s extractor), and passes the answer here: an error body is written again
/// in that language.
pub(crate) fn in_callers_language(mut response: Response, lang: Lang) -> Response {
    let Some(Undescribed(error)) = response.extensions_mut().remove::<Undescribed>() else {
        return response;
    };
    let error = error.in_lang(lang);
    if lang != Lang::default() {
        *response.body_mut() = Body::from(error.body());
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
    response.extensions_mut().insert(Described(error));
    response
}

/// The caller's language, as [`in_callers_language`] picked it (English on a route it
/// does not wrap).
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Lang>()
            .copied()
            .unwrap_or_else(|| Lang::from_headers(&parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partnerdesk_domain::SubscriptionId;

    #[test]
    fn active_subscriptions_name_the_blockers_in_data() {
        let id = SubscriptionId(uuid::Uuid::nil());
        let e = ApiError::from(AppError::Domain(DomainError::ActiveSubscriptionsExist {
            ids: vec![id],
        }));
        assert_eq!(
            (e.status(), e.code(), e.name()),
            (StatusCode::CONFLICT, 3101, "active_subscriptions_exist")
        );
        assert_eq!(e.data, ErrorData::Ids(vec![id.to_string()]));
        assert!(e.description().contains(&id.to_string()));
    }

    #[test]
    fn internal_causes_are_not_shown() {
        let e = ApiError::from(AppError::Internal("password column is corrupt".into()));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.description().contains("corrupt"));
    }

    /// Latin words a Russian description may hold besides product names: the API's own
    /// identifiers (header names, a route, standard names), which are not English to
    /// translate, and the samples' request address (`POST /v1/customers`, said back as the
    /// caller sent it).
    const API_WORDS: [&str; 10] = [
        "If-Match",
        "Bearer",
        "EdDSA",
        "ETag",
        "docs",
        "MS-RequestId",
        "UUID",
        "autoExtendDuration",
        "POST",
        "customers",
    ];

    /// Every error the API answers, described, with the properties it names (which are the
    /// API's identifiers, as the caller sent them).
    fn every_api_error() -> Vec<ApiError> {
        let mut all: Vec<ApiError> = crate::web::refusal::tests::samples()
            .into_iter()
            .map(|e| match e {
                // The value the caller sent is said back as it came.
                AppError::Domain(DomainError::InvalidGdapDuration { .. }) => {
                    DomainError::InvalidGdapDuration { value: "P999D".into() }.into()
                }
                other => other,
            })
            .map(ApiError::from)
            .collect();
        for what in RESOURCES {
            all.push(ApiError::from(AppError::NotFound(what)));
        }
        for state in STATES {
            all.push(ApiError::from(AppError::Domain(DomainError::InvalidTransition {
                entity: "GDAP relationship",
                action: "approve",
                state,
            })));
            all.push(ApiError::from(AppError::Domain(DomainError::GdapPropertyNotEditable {
                property: "displayName",
                state,
            })));
        }
        for action in ACTIONS {
            all.push(ApiError::from(AppError::Domain(DomainError::ForbiddenRole(action))));
        }
        for rule in PartnerTypeRule::ALL {
            all.push(ApiError::from(AppError::Domain(DomainError::PartnerTypeNotAllowed(
                rule,
            ))));
        }
        for reason in AuthFailure::ALL {
            all.push(ApiError::from(AppError::Unauthenticated(reason)));
        }
        all.extend(WHY.iter().map(|why| ApiError::invalid_property("size", why.clone())));
        all.extend([
            ApiError::invalid_property("body", Why::other("invalid type: integer `5`, expected a string")),
            ApiError::not_supported("filter.Field", "filtering customers by indirectcloudsolutionprovider"),
            ApiError::subscription_not_found("3f2a9c4e-0000-4000-8000-000000000001"),
            ApiError::etag_mismatch(),
            ApiError::if_match_required(),
            ApiError::payload_too_large(1024),
            ApiError::uri_too_long(8192),
            ApiError::route_not_found(),
            ApiError::internal("boom"),
        ]);
        all
    }

    /// Every action a role may be refused.
    const ACTIONS: [Action; 21] = Action::ALL;

    /// Every name a resource is not found by, or refuses a move by.
    const RESOURCES: [&str; 27] = [
        "customer",
        "partner",
        "organisation",
        "user",
        "member",
        "offer",
        "order",
        "subscription",
        "invitation",
        "relationship",
        "relationship request",
        "indirect reseller link",
        "support contact",
        "DAP grant",
        "GDAP relationship",
        "GDAP request",
        "GDAP operation",
        "security group",
        "access assignment",
        "role",
        "webhook registration",
        "webhook event",
        "API token",
        "refresh token",
        "server key",
        "idempotency key",
        "page",
    ];

    /// Every state a refusal names.
    const STATES: [&str; 17] = [
        "pending",
        "accepted",
        "declined",
        "revoked",
        "expired",
        "active",
        "closed",
        "suspended",
        "deleted",
        "created",
        "approvalPending",
        "approved",
        "activating",
        "expiring",
        "terminationRequested",
        "terminating",
        "terminated",
    ];

    /// The reasons the API gives itself that have their own words.
    const WHY: [Why; 12] = [
        Why::Required,
        Why::GivenTwice,
        Why::TrueOrFalse,
        Why::WholeNumber,
        Why::OutOfRange,
        Why::Uuid,
        Why::ForeignToken,
        Why::NotSupportedHere,
        Why::NotValid,
        Why::Empty,
        Why::OneItem,
        Why::OneRole,
    ];

    /// Compiles only while every reason is in [`WHY`] (or is `Other`).
    fn listed(why: &Why) {
        match why {
            Why::Required
            | Why::GivenTwice
            | Why::TrueOrFalse
            | Why::WholeNumber
            | Why::OutOfRange
            | Why::Uuid
            | Why::ForeignToken
            | Why::NotSupportedHere
            | Why::NotValid
            | Why::Empty
            | Why::OneItem
            | Why::OneRole
            | Why::Other(_) => {}
        }
    }

    #[test]
    fn the_apis_own_reasons_keep_their_english_in_data() {
        let said: Vec<String> = WHY
            .iter()
            .inspect(|why| listed(why))
            .map(|why| match ApiError::invalid_property("size", why.clone()).data {
                ErrorData::Property { reason, .. } => reason,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            said,
            [
                "is required",
                "is given more than once",
                "must be true or false",
                "must be a whole number",
                "is out of range",
                "must be a UUID",
                "is not a token this server issued",
                "is not supported here",
                "is not a valid value",
                "is empty",
                "needs at least one item",
                "needs at least one role",
            ]
        );
    }

    /// The English words of a Russian description: Latin words that are not a property the
    /// error names, nor one of the API's identifiers.
    fn english_in(e: &ApiError, text: &str) -> Vec<String> {
        let mut allowed: Vec<&str> = API_WORDS.to_vec();
        if let ErrorData::Property { property, .. } = &e.data {
            allowed.push(property.trim_start_matches('$'));
        }
        for (name, value) in &e.args {
            if let ("property", Arg::Text(property)) = (*name, value) {
                allowed.push(property.as_str());
            }
        }
        crate::web::refusal::english::latin_words(text, &allowed)
    }

    #[test]
    fn every_reason_credentials_are_refused_for_has_its_own_russian_words() {
        let mut said = std::collections::BTreeSet::new();
        for reason in AuthFailure::ALL {
            let e = ApiError::from(AppError::Unauthenticated(reason));
            let ru = e.clone().in_lang(Lang::Ru).description();
            let en = e.in_lang(Lang::En).description();
            assert!(en.ends_with(reason.describe()), "{reason:?}: {en}");
            assert!(
                said.insert(ru.clone()),
                "{reason:?} is worded like another reason: {ru}"
            );
        }
        assert!(said.contains("Доступ запрещён: срок действия токена истёк"), "{said:?}");
    }

    #[test]
    fn no_russian_description_has_english_words() {
        let all = every_api_error();
        let mut named = std::collections::BTreeSet::new();
        let mut english = Vec::new();
        for e in &all {
            named.insert(e.name());
            let ru = e.clone().in_lang(Lang::Ru).description();
            let en = e.clone().in_lang(Lang::En).description();
            assert_ne!(ru, en, "{} is not said in Russian", e.name());
            let found = english_in(e, &ru);
            if !found.is_empty() || ru.contains('{') {
                english.push(format!("{}: {ru} {found:?}", e.name()));
            }
        }
        assert!(
            english.is_empty(),
            "English in Russian descriptions:\n{}",
            english.join("\n")
        );
        // Every description errors.ftl has is among them.
        for id in crate::i18n::message_ids(crate::i18n::RU_ERRORS) {
            if !id.contains('-') {
                assert!(named.contains(id.as_str()), "no error says {id}");
            }
        }
    }

    #[test]
    fn every_word_errors_ftl_puts_into_a_description_is_russian_in_russian() {
        let ids = crate::i18n::message_ids(crate::i18n::RU_ERRORS);
        assert_eq!(
            ids,
            crate::i18n::message_ids(crate::i18n::EN_ERRORS),
            "en and ru list other messages"
        );
        let sample = [
            ("email", Arg::from("ann@contoso.example")),
            ("requestId", Arg::from("3f2a9c4e-0000-4000-8000-000000000001")),
            ("method", Arg::from("POST")),
            ("path", Arg::from("/v1/customers")),
        ];
        let mut words = 0;
        for id in ids.iter().filter(|id| id.contains('-')) {
            words += 1;
            let ru = i18n::message(Lang::Ru, id, &sample);
            let en = i18n::message(Lang::En, id, &sample);
            let found = crate::web::refusal::english::latin_words(&ru, &API_WORDS);
            assert!(found.is_empty(), "{id}: {ru} {found:?}");
            assert_ne!(ru, en, "{id} is not said in Russian");
        }
        assert!(words > 80, "only {words} words");
    }

    #[test]
    fn the_english_descriptions_keep_the_apps_words() {
        for kind in crate::web::refusal::tests::conflicts() {
            let e = ApiError::from(AppError::Conflict(kind.clone())).in_lang(Lang::En);
            assert_eq!(e.description(), format!("Conflict: {kind}"));
            assert_eq!(e.name(), "conflict");
        }
        for what in RESOURCES {
            assert!(known("resource", what).is_some(), "{what} has no words");
            let e = ApiError::not_found(what).in_lang(Lang::En);
            assert_eq!(
                e.description(),
                format!("Not found: no {what} with that id is visible to you.")
            );
        }
        for state in STATES {
            assert!(known("state", state).is_some(), "{state} has no words");
        }
        for (property, reason) in crate::web::refusal::tests::reasons() {
            let e = ApiError::from(AppError::Domain(DomainError::invalid(property, reason.clone())));
            assert_eq!(
                e.clone().in_lang(Lang::En).description(),
                format!("Invalid property {property}: {reason}")
            );
            assert_eq!(
                e.data,
                ErrorData::Property {
                    property: property.into(),
                    reason: reason.to_string(),
                }
            );
        }
        let wrong = ApiError::from(AppError::WrongCurrentPassword);
        assert_eq!(
            (wrong.status(), wrong.name()),
            (StatusCode::UNAUTHORIZED, "unauthenticated")
        );
        assert_eq!(
            wrong.clone().in_lang(Lang::En).description(),
            "Access denied: the current password is wrong"
        );
        assert_eq!(
            wrong.in_lang(Lang::Ru).description(),
            "Доступ запрещён: текущий пароль введён неверно"
        );
    }

    #[test]
    fn every_error_name_has_a_message() {
        let en = crate::i18n::message_ids(crate::i18n::EN_ERRORS);
        for name in [
            "invalid_property",
            "quantity_out_of_range",
            "subscription_deleted",
            "unauthenticated",
            "forbidden_role",
            "no_active_relationship",
            "partner_type_not_allowed",
            "not_found",
            "subscription_not_found",
            "active_subscriptions_exist",
            "relationship_already_active",
            "request_expired",
            "request_already_answered",
            "invalid_transition",
            "delegated_admin_not_consented",
            "mail_off",
            "etag_mismatch",
            "if_match_required",
            "conflict",
            "already_in_use",
            "payload_too_large",
            "uri_too_long",
            "route_not_found",
            "unavailable",
            "internal",
        ] {
            assert!(en.iter().any(|id| id == name), "{name}");
        }
    }
}
