//! The invitation a relationship request link opens (`/invitations/{token}`, rule 1): who
//! asks, what rights come with it and until when. Anyone holding the link may read it; the
//! customer's global admin accepts or declines it. A visitor who is not signed in is asked
//! to sign in and comes back here; anyone else is told who can answer.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use partnerdesk_app::requests::InvitationView;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::org::OrgKind;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::request::RequestState;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::form::Fields;
use super::pages::{describe, render, Chrome, PageResult};
use super::session::Visitor;
use crate::error::ApiError;
use crate::state::AppState;

/// What is encoded in a path segment or a query value: all but the unreserved characters
/// (an invitation token is base64url, so it goes through unchanged).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The path of the invitation page of `token`.
pub(crate) fn invitation_path(token: &str) -> String {
    format!("/invitations/{}", utf8_percent_encode(token, UNRESERVED))
}

/// The sign-in page, coming back to the invitation after.
pub(crate) fn sign_in_href(token: &str) -> String {
    format!(
        "/signin?next={}",
        utf8_percent_encode(&invitation_path(token), UNRESERVED)
    )
}

/// Who is looking, as far as answering goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    /// Not signed in: asked to sign in first.
    SignedOut,
    /// The customer's global admin: may accept or decline.
    CustomerAdmin,
    /// Another user of a customer: its global admin answers.
    CustomerUser,
    /// A partner or operator user: only a customer's global admin answers.
    NotCustomer,
}

impl Viewer {
    fn of(caller: Option<&Caller>) -> Self {
        match caller {
            None => Self::SignedOut,
            Some(c) if c.org_kind != OrgKind::Customer => Self::NotCustomer,
            Some(c) if c.authorize(Action::AnswerRequest).is_ok() => Self::CustomerAdmin,
            Some(_) => Self::CustomerUser,
        }
    }
}

#[derive(Template)]
#[template(path = "web/invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    /// This page's path; the answers post below it.
    path: String,
    /// The partner's name; empty when the link is unknown.
    partner: String,
    /// `pending`, `accepted`, `declined`, `expired`, `revoked`, or `unknown`.
    state: &'static str,
    include_dap: bool,
    expires: String,
    /// `signed-out`, `admin`, `customer-user`, `not-customer`.
    viewer: &'static str,
    /// The customer already works with this partner and the request brings nothing new
    /// (no delegated admin), so accepting would be refused.
    already_partner: bool,
    /// Where "Sign in to answer" goes.
    signin_href: String,
    /// Why the last answer was refused, in the visitor's words.
    error: Option<String>,
}

/// The page of the invitation behind `token`, with `error` when an answer was refused.
async fn invitation_page(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let tr = visitor.tr;
    let viewer = Viewer::of(visitor.caller());
    let found: Option<InvitationView> = match state.app.view_invitation(token).await {
        Ok(view) => Some(view),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let (partner, state_name, include_dap, expires) = match &found {
        Some(view) => (
            view.partner.name.as_str().to_string(),
            view.state.as_str(),
            view.request.include_dap,
            tr.date(&view.request.expires_at),
        ),
        None => (String::new(), "unknown", false, String::new()),
    };
    let already_partner = match (&found, visitor.caller()) {
        (Some(view), Some(caller))
            if viewer == Viewer::CustomerAdmin && view.state == RequestState::Pending && !view.request.include_dap =>
        {
            state
                .app
                .list_my_partners(caller, false)
                .await
                .map(|list| list.iter().any(|p| p.partner.id == view.partner.id))
                .unwrap_or(false)
        }
        _ => false,
    };
    let title = if found.is_some() {
        tr.t1("invitation-title", "partner", &partner)
    } else {
        tr.t("invitation-unknown-title")
    };
    let status = match (&error, &found) {
        (Some((status, _)), _) => *status,
        (None, None) => StatusCode::NOT_FOUND,
        (None, Some(view)) if matches!(view.state, RequestState::Expired | RequestState::Revoked) => StatusCode::GONE,
        (None, Some(_)) => StatusCode::OK,
    };
    let chrome = Chrome::of(visitor, "", title);
    Ok(render(
        visitor,
        status,
        &InvitationPage {
            chrome,
            path: invitation_path(token),
            partner,
            state: state_name,
            include_dap,
            expires,
            viewer: match viewer {
                Viewer::SignedOut => "signed-out",
                Viewer::CustomerAdmin => "admin",
                Viewer::CustomerUser => "customer-user",
                Viewer::NotCustomer => "not-customer",
            },
            already_partner,
            signin_href: sign_in_href(token),
            error: error.map(|(_, text)| text),
        },
    ))
}

/// `GET /invitations/{token}`: open to anyone holding the link.
pub async fn view(State(state): State<AppState>, visitor: Visitor, Path(token): Path<String>) -> PageResult {
    invitation_page(&state, &visitor, &token, None).await
}

/// What an answer needs before it runs: the form's token and a signed-in visitor. Signed
/// out, the visitor is sent to sign in and back to the invitation (not to this POST).
fn answering<'a>(visitor: &'a Visitor, token: &str, body: &Bytes) -> Result<&'a Caller, Response> {
    let form = Fields::parse(body);
    visitor.check_csrf(form.get("_csrf"))?;
    match visitor.caller() {
        Some(caller) => Ok(caller),
        None => Err(visitor.redirect(&sign_in_href(token), None)),
    }
}

/// A refused answer: the invitation again, saying why (expired, answered already, not
/// allowed, ...) in the visitor's words.
async fn refused(state: &AppState, visitor: &Visitor, token: &str, error: AppError) -> PageResult {
    match error {
        AppError::Domain(_) => {
            let status = ApiError::from(error.clone()).status();
            let text = describe(&visitor.tr, error);
            invitation_page(state, visitor, token, Some((status, text))).await
        }
        // The link is unknown: the page says so.
        AppError::NotFound(_) => invitation_page(state, visitor, token, None).await,
        other => Err(other.into()),
    }
}

/// `POST /invitations/{token}/accept`: the customer's global admin accepts; then its
/// Partner relationships page, with a notice.
pub async fn accept(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    body: Bytes,
) -> PageResult {
    answer(&state, &visitor, &token, &body, true).await
}

/// `POST /invitations/{token}/decline`: nothing opens; the invitation then says so.
pub async fn decline(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    body: Bytes,
) -> PageResult {
    answer(&state, &visitor, &token, &body, false).await
}

/// Accepts (then the Partner relationships page) or declines (then the invitation) with a
/// notice naming the partner; refused, the invitation says why.
async fn answer(state: &AppState, visitor: &Visitor, token: &str, body: &Bytes, accept: bool) -> PageResult {
    let caller = answering(visitor, token, body)?.clone();
    let answered = if accept {
        state.app.accept_relationship_request(&caller, token).await.map(|_| ())
    } else {
        state.app.decline_relationship_request(&caller, token).await.map(|_| ())
    };
    match answered {
        Ok(()) => {
            let partner = partner_name(state, token).await;
            let (id, back) = if accept {
                ("invitation-accepted", "/partners".to_string())
            } else {
                ("invitation-declined", invitation_path(token))
            };
            Ok(visitor.redirect(&back, Some(visitor.tr.t1(id, "partner", &partner))))
        }
        Err(e) => refused(state, visitor, token, e).await,
    }
}

/// The name of the partner behind an invitation, for a notice.
async fn partner_name(state: &AppState, token: &str) -> String {
    state
        .app
        .view_invitation(token)
        .await
        .map(|v| v.partner.name.as_str().to_string())
        .unwrap_or_default()
}
