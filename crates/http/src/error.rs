//! The `/v1` error body and the one place where application errors become HTTP answers
//! (API.md, "Errors"): status, Partner Center's numeric `code`, our stable `errorName`, a
//! localized `description`, `data` with details, and `source: "partnerdesk"`.
//!
//! Internal causes are logged here, once, and never shown to the client.
//!
//! Handlers and extractors return an [`ApiError`] without choosing a language. Its
//! response is written in English and carries the error along; [`in_callers_language`],
//! a layer every request passes once the caller is known, writes the body again in the
//! caller's language (`X-Locale`, else the caller's own locale, else English).

use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use partnerdesk_app::AppError;
use partnerdesk_domain::DomainError;
use serde::Serialize;

use crate::i18n::{self, Arg, Lang};

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

    /// 400 `invalid_property`: `property` is malformed or out of range.
    pub fn invalid_property(property: impl Into<String>, reason: impl Into<String>) -> Self {
        let (property, reason) = (property.into(), reason.into());
        Self::new(StatusCode::BAD_REQUEST, 3000, "invalid_property")
            .arg("property", property.clone())
            .arg("reason", reason.clone())
            .data(ErrorData::Property { property, reason })
    }

    /// 400 `invalid_property` for a feature the API does not offer yet.
    pub fn not_supported(property: impl Into<String>, feature: impl Into<String>) -> Self {
        let (property, feature) = (property.into(), feature.into());
        Self::new(StatusCode::BAD_REQUEST, 3000, "invalid_property")
            .arg("property", property.clone())
            .arg("reason", format!("{feature} is not supported yet"))
            .data(ErrorData::Property {
                property,
                reason: format!("{feature} is not supported yet"),
            })
    }

    /// 404 `not_found`: nothing of that id is visible to the caller.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, 1000, "not_found").arg("what", what)
    }

    /// 404 `subscription_not_found` (Partner Center's 20003).
    pub fn subscription_not_found(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, 20003, "subscription_not_found").arg("id", id)
    }

    /// 412 `etag_mismatch`: `If-Match` is stale.
    pub fn etag_mismatch() -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, 2055, "etag_mismatch")
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
        D::InvalidProperty { property, reason } => ApiError::invalid_property(property, reason),
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
            ApiError::new(StatusCode::CONFLICT, 409, "request_already_answered").arg("state", state)
        }
        D::ForbiddenRole(action) => ApiError::new(StatusCode::FORBIDDEN, 2032, "forbidden_role").arg("action", action),
        D::PartnerTypeNotAllowed(reason) => {
            ApiError::new(StatusCode::FORBIDDEN, 800039, "partner_type_not_allowed").arg("reason", reason)
        }
        D::InvalidTransition { entity, action, state } => {
            ApiError::new(StatusCode::CONFLICT, 409, "invalid_transition")
                .arg("entity", entity)
                .arg("action", action)
                .arg("state", state)
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
                .arg("state", state)
        }
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
            AppError::Conflict(detail) => ApiError::new(StatusCode::CONFLICT, 409, "conflict").arg("detail", detail),
            AppError::VersionConflict(_) => ApiError::etag_mismatch(),
            AppError::Unauthenticated(reason) => {
                ApiError::new(StatusCode::UNAUTHORIZED, 400, "unauthenticated").arg("reason", reason)
            }
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
        }
        response
    }
}

/// An error answered before its language was chosen: left on the response for
/// [`in_callers_language`].
#[derive(Debug, Clone)]
struct Undescribed(ApiError);

/// The response layer of the error language. It picks the caller's language (`X-Locale`,
/// else the signed-in caller's locale, else English), leaves it in the request's
/// extensions for a handler that describes errors inside a successful answer (see
/// [`Lang`]'s extractor), and writes every error body the request is answered with in
/// that language. It runs after authentication, so it knows the caller.
pub(crate) async fn in_callers_language(mut request: Request, next: Next) -> Response {
    let locale = crate::platform::caller_of(&request).map(|caller| caller.locale.clone());
    let lang = Lang::pick(request.headers(), locale.as_deref());
    request.extensions_mut().insert(lang);
    let mut response = next.run(request).await;
    let Some(Undescribed(error)) = response.extensions_mut().remove::<Undescribed>() else {
        return response;
    };
    if lang != Lang::default() {
        *response.body_mut() = Body::from(error.in_lang(lang).body());
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
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
            "etag_mismatch",
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
