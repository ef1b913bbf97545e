//! What every page shares: the chrome around it (title, navigation, language switch, who is
//! signed in, the notice), error pages, and turning an app error into words.

use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::http::StatusCode;
use std::sync::{Arc, Mutex};

use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::org::OrgKind;
use partnerdesk_domain::permission::Action;

use super::session::{Notice, Visitor};
use super::tr::Tr;
use crate::error::ApiError;
use crate::state::AppState;

/// Why a page handler left early: an app error, said by [`in_visitors_words`] as the error
/// page in the visitor's language, or a page already made (a refused form token, a page for
/// partners only). Handlers return [`PageResult`] and leave with `?`.
#[derive(Debug)]
pub enum PageError {
    App(AppError),
    Page(Response),
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        Self::App(error)
    }
}

impl From<Response> for PageError {
    fn from(page: Response) -> Self {
        Self::Page(page)
    }
}

/// What a page handler answers: the page, or why it left early.
pub type PageResult<T = Response> = Result<T, PageError>;

/// An app error on its way out, waiting for [`in_visitors_words`] to say it.
#[derive(Debug, Clone)]
struct Unsaid(AppError);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            Self::Page(page) => page,
            Self::App(error) => {
                let mut response = page_status(&error).into_response();
                response.extensions_mut().insert(Unsaid(error));
                response
            }
        }
    }
}

/// The status of the page of an app error.
fn page_status(error: &AppError) -> StatusCode {
    match error {
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        _ => ApiError::from(error.clone()).status(),
    }
}

/// Where the visitor of a request is kept once read, for its error page.
#[derive(Debug, Clone, Default)]
pub(crate) struct VisitorSlot(Arc<Mutex<Option<Visitor>>>);

impl VisitorSlot {
    /// Keeps `visitor` for the error page of this request.
    pub(crate) fn keep(&self, visitor: &Visitor) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(visitor.clone());
        }
    }

    /// The visitor kept so far, if any (a posted form checks its token against it).
    pub(crate) fn peek(&self) -> Option<Visitor> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }

    fn take(&self) -> Option<Visitor> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// The layer that says a page's app error: the error page, inside the signed-in frame, in
/// the language of the visitor the handler read (kept in a [`VisitorSlot`]).
pub(crate) async fn in_visitors_words(mut request: Request, next: Next) -> Response {
    let slot = VisitorSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let Some(Unsaid(error)) = response.extensions_mut().remove::<Unsaid>() else {
        return response;
    };
    match slot.take() {
        Some(visitor) => app_error(&visitor, error),
        None => {
            // Every handler reads its visitor before it can fail; this is a bug, not a page.
            tracing::error!(?error, "a page failed before its visitor was read");
            response
        }
    }
}

/// The frame of a page, for `layout.html`.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub tr: Tr,
    pub title: String,
    pub csrf: String,
    /// This page's path and query: where the language switch comes back to.
    pub here: String,
    /// The navigation entry of this page: `home`, `customers`, ...
    pub nav: &'static str,
    /// The signed-in user's name, when signed in.
    pub user_name: Option<String>,
    pub is_partner: bool,
    pub is_customer: bool,
    pub is_operator: bool,
    /// Whether the user may manage its organisation's webhooks (the navigation links them).
    pub webhooks: bool,
    pub flash: Option<Notice>,
}

impl Chrome {
    /// A fresh one-time token for a form that changes something (its `_form` field): the
    /// form is applied once per token, however often it is submitted. Each call makes a
    /// new one, so every form on a page has its own.
    pub fn form_token(&self) -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The chrome of a page for `visitor`; signed in, it names the user.
    pub fn of(visitor: &Visitor, nav: &'static str, title: String) -> Self {
        let user_name = visitor.session.as_ref().map(|s| s.user_name.clone());
        Self {
            tr: visitor.tr,
            title,
            csrf: visitor.csrf.clone(),
            here: visitor.here.clone(),
            nav,
            user_name,
            is_partner: visitor.caller().is_some_and(|c| c.org_kind == OrgKind::Partner),
            is_customer: visitor.caller().is_some_and(|c| c.org_kind == OrgKind::Customer),
            is_operator: visitor.caller().is_some_and(|c| c.org_kind == OrgKind::Operator),
            webhooks: may_manage_webhooks(visitor),
            flash: visitor.flash.clone(),
        }
    }
}

/// Whether the signed-in user may manage webhooks.
fn may_manage_webhooks(visitor: &Visitor) -> bool {
    visitor
        .caller()
        .is_some_and(|c| c.authorize(Action::ManageWebhooks).is_ok())
}

/// A page that says what went wrong and what to do next.
#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage {
    chrome: Chrome,
    message: String,
}

/// An error page without a database round trip (it must work when the database does not).
pub fn error_page(visitor: &Visitor, status: StatusCode, title: &str, message: &str) -> Response {
    let chrome = Chrome {
        tr: visitor.tr,
        title: title.to_string(),
        csrf: visitor.csrf.clone(),
        here: visitor.here.clone(),
        nav: "",
        // The session was read with the request: the signed-in frame (navigation, sign out)
        // stays, with no further round trip.
        user_name: visitor.session.as_ref().map(|s| s.user_name.clone()),
        is_partner: visitor.caller().is_some_and(|c| c.org_kind == OrgKind::Partner),
        is_customer: visitor.caller().is_some_and(|c| c.org_kind == OrgKind::Customer),
        is_operator: visitor.caller().is_some_and(|c| c.org_kind == OrgKind::Operator),
        webhooks: may_manage_webhooks(visitor),
        flash: None,
    };
    let page = ErrorPage {
        chrome,
        message: message.to_string(),
    };
    render(visitor, status, &page)
}

/// The page of an address the dashboard does not have: 404, in the visitor's language, inside
/// the signed-in frame (navigation, sign out) when the visitor is signed in.
pub async fn not_found(request: Request, state: &AppState) -> Response {
    let (mut parts, _) = request.into_parts();
    let Ok(visitor) = Visitor::from_request_parts(&mut parts, state).await;
    let tr = visitor.tr;
    let page = ErrorPage {
        chrome: Chrome::of(&visitor, "", tr.t("error-not-found-title")),
        message: tr.t("error-not-found"),
    };
    render(&visitor, StatusCode::NOT_FOUND, &page)
}

/// The page of an address too long to answer (414), in the visitor's language; its language
/// switch comes back to the start page.
pub async fn uri_too_long(request: Request, state: &AppState) -> Response {
    let (mut parts, _) = request.into_parts();
    let Ok(mut visitor) = Visitor::from_request_parts(&mut parts, state).await;
    visitor.here = "/".to_string();
    let tr = visitor.tr;
    error_page(
        &visitor,
        StatusCode::URI_TOO_LONG,
        &tr.t("error-uri-too-long-title"),
        &tr.t("error-uri-too-long"),
    )
}

/// Renders a template as a page; a template that fails to render is logged and answered 500.
pub fn render(visitor: &Visitor, status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => visitor.page(status, html),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            visitor.page(StatusCode::INTERNAL_SERVER_ERROR, visitor.tr.t("internal"))
        }
    }
}

/// An app error as the dashboard says it, in the visitor's language (never the API's
/// English details).
pub fn describe(tr: &Tr, error: AppError) -> String {
    super::refusal::refusal(tr, &error).text
}

/// The page for an app error: not found, refused, or something else, in the visitor's words.
pub fn app_error(visitor: &Visitor, error: AppError) -> Response {
    let tr = visitor.tr;
    match &error {
        AppError::NotFound(_) => error_page(
            visitor,
            StatusCode::NOT_FOUND,
            &tr.t("error-not-found-title"),
            &tr.t("error-not-found"),
        ),
        _ => {
            let text = super::refusal::refusal(&tr, &error).text;
            let status = ApiError::from(error).status();
            error_page(visitor, status, &tr.t("error-title"), &text)
        }
    }
}

/// The status of a form's page: 409 when the form was read before someone else's change,
/// 400 when it was refused, 200 when it is shown to be filled in.
pub fn form_status(refused: bool, stale: bool) -> StatusCode {
    if stale {
        StatusCode::CONFLICT
    } else if refused {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    }
}

/// The partner side of a page: refused with a clear page for anyone else.
pub fn require_partner(visitor: &Visitor, caller: &Caller) -> Result<(), Response> {
    require_kind(visitor, caller, OrgKind::Partner, "error-partners-only")
}

/// The customer side of a page: refused with a clear page for anyone else.
pub fn require_customer(visitor: &Visitor, caller: &Caller) -> Result<(), Response> {
    require_kind(visitor, caller, OrgKind::Customer, "mypartners-customers-only")
}

/// A page for organisations of `kind`: anyone else gets the page saying `why`.
fn require_kind(visitor: &Visitor, caller: &Caller, kind: OrgKind, why: &str) -> Result<(), Response> {
    if caller.org_kind == kind {
        return Ok(());
    }
    let tr = visitor.tr;
    Err(error_page(
        visitor,
        StatusCode::FORBIDDEN,
        &tr.t("error-forbidden-title"),
        &tr.t(why),
    ))
}
