//! Request a reseller relationship (rule 1): the partner asks for its invitation link, with
//! delegated admin or without, and gets it with a ready e-mail to send the customer's global
//! admin, in the partner's language. The form makes the link when the partner has no open
//! one of that kind and redirects to `?link=dap` (or `?link=reseller`), which shows the open
//! link: the same one on every load, until it is used, revoked or expires (only its hash is
//! stored; the token is derived from the request with a server key). Below: the requests
//! still pending.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use partnerdesk_app::requests::CreatedRequest;
use partnerdesk_app::AppError;
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::RequestId;

use super::form::{Fields, Form};
use super::pages::{render, require_partner, Chrome, PageError, PageResult};
use super::path_id::PageId;
use super::session::SignedIn;
use super::tr::Tr;
use crate::i18n::{self, Arg};
use crate::state::AppState;

/// A new invitation: the link and the e-mail that carries it.
pub struct Invitation {
    pub url: String,
    pub expires: String,
    pub email: String,
    /// What the customer is asked for, in words.
    pub rights: String,
}

/// A pending request, as a row.
pub struct PendingRow {
    pub id: String,
    pub created: String,
    pub rights: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "web/relationship_request.html")]
struct RequestPage {
    chrome: Chrome,
    ttl_days: i64,
    created: Option<Invitation>,
    pending: Vec<PendingRow>,
    /// Whether the form offers to mail the link to the customer's admin.
    mail_enabled: bool,
}

fn rights(tr: &Tr, include_dap: bool) -> String {
    if include_dap {
        tr.t("request-rights-dap")
    } else {
        tr.t("request-rights-reseller")
    }
}

/// The e-mail to send with the link: subject, then paragraphs, in the partner's language.
fn email(tr: &Tr, partner: &str, created: &CreatedRequest) -> String {
    let with = |id: &str| {
        i18n::message(
            tr.lang,
            id,
            &[
                ("partner", Arg::from(partner)),
                ("link", Arg::from(created.url.as_str())),
                ("date", Arg::from(tr.date(&created.request.expires_at))),
            ],
        )
    };
    let mut parts = vec![
        format!(
            "{}: {}",
            tr.t("request-email-subject-label"),
            with("request-email-subject")
        ),
        with("request-email-greeting"),
        with("request-email-reseller"),
    ];
    if created.request.include_dap {
        parts.push(with("request-email-dap"));
    }
    parts.extend([
        with("request-email-how"),
        created.url.clone(),
        with("request-email-expires"),
        with("request-email-sign-off"),
    ]);
    parts.join("\n\n")
}

fn pending_rows(tr: &Tr, requests: &[RelationshipRequest]) -> Vec<PendingRow> {
    requests
        .iter()
        .filter(|r| r.state == RequestState::Pending)
        .map(|r| PendingRow {
            id: r.id.to_string(),
            created: tr.date(&r.created_at),
            rights: rights(tr, r.include_dap),
            expires: tr.date(&r.expires_at),
        })
        .collect()
}

async fn request_page(state: &AppState, signed: &SignedIn, created: Option<Invitation>) -> PageResult {
    let SignedIn { visitor, caller } = signed;
    require_partner(visitor, caller)?;
    let requests = state.app.list_relationship_requests(caller).await?;
    let tr = visitor.tr;
    let chrome = Chrome::of(visitor, "customers", tr.t("request-title"));
    Ok(render(
        visitor,
        StatusCode::OK,
        &RequestPage {
            chrome,
            ttl_days: state.app.config().request_ttl_days,
            created,
            pending: pending_rows(&tr, &requests),
            mail_enabled: state.app.mail_enabled(),
        },
    ))
}

/// The kind of link `?link=` names: `Some(true)` with delegated admin, `Some(false)` without.
fn link_kind(query: Option<&str>) -> Option<bool> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes()).find_map(|(name, value)| match (&*name, &*value) {
        ("link", "dap") => Some(true),
        ("link", "reseller") => Some(false),
        _ => None,
    })
}

/// `GET /customers/request`: the form and the pending requests; with `?link=`, the open
/// link of that kind and its e-mail instead of the form (the form again when there is none).
pub async fn form(State(state): State<AppState>, signed: SignedIn, RawQuery(query): RawQuery) -> PageResult {
    let Some(include_dap) = link_kind(query.as_deref()) else {
        return request_page(&state, &signed, None).await;
    };
    let SignedIn { visitor, caller } = &signed;
    require_partner(visitor, caller)?;
    match state.app.open_relationship_request_link(caller, include_dap).await? {
        Some(open) => {
            let invitation = invitation(&state, &signed, &open).await?;
            request_page(&state, &signed, Some(invitation)).await
        }
        None => request_page(&state, &signed, None).await,
    }
}

/// `POST /customers/request`: makes the invitation link of the kind asked for unless the
/// partner has an open one, then shows it; with an address in `send_to` (mail on), also
/// mails it to the customer's admin on the partner's behalf.
pub async fn create(State(state): State<AppState>, signed: SignedIn, body: Bytes) -> PageResult {
    let form = Fields::parse(&body);
    let SignedIn { visitor, caller } = &signed;
    visitor.check_csrf(form.get("_csrf"))?;
    require_partner(visitor, caller)?;
    let include_dap = form.get("include_dap") == Some("yes");
    let send_to = form.get("send_to").map(str::trim).filter(|s| !s.is_empty());
    let notice = match send_to.filter(|_| state.app.mail_enabled()) {
        Some(to) => {
            state
                .app
                .send_relationship_request(caller, include_dap, to, None)
                .await?;
            Some(visitor.tr.t1("request-mailed", "email", to))
        }
        None => {
            state.app.relationship_request_link(caller, include_dap).await?;
            None
        }
    };
    let kind = if include_dap { "dap" } else { "reseller" };
    Ok(visitor.redirect(&format!("/customers/request?link={kind}"), notice))
}

/// The link with its e-mail, in the partner's language.
async fn invitation(state: &AppState, signed: &SignedIn, created: &CreatedRequest) -> PageResult<Invitation> {
    let SignedIn { visitor, caller } = signed;
    let partner = state.app.organization_profile(caller).await?.company_name;
    let tr = visitor.tr;
    Ok(Invitation {
        email: email(&tr, &partner, created),
        url: created.url.clone(),
        expires: tr.date(&created.request.expires_at),
        rights: rights(&tr, created.request.include_dap),
    })
}

#[derive(Template)]
#[template(path = "web/relationship_request_revoke.html")]
struct RevokePage {
    chrome: Chrome,
    request: PendingRow,
}

/// The partner's pending request of the path, or the page saying why not.
async fn pending_request(state: &AppState, signed: &SignedIn, id: RequestId) -> PageResult<RelationshipRequest> {
    let SignedIn { visitor, caller } = signed;
    require_partner(visitor, caller)?;
    let not_found = || PageError::from(AppError::NotFound("relationship request"));
    let requests = state.app.list_relationship_requests(caller).await?;
    requests
        .into_iter()
        .find(|r| r.id == id && r.state == RequestState::Pending)
        .ok_or_else(not_found)
}

/// `GET /customers/request/{rid}/revoke`: what revoking does, before it is done.
pub async fn confirm_revoke(
    State(state): State<AppState>,
    signed: SignedIn,
    PageId(rid): PageId<RequestId>,
) -> PageResult {
    let request = pending_request(&state, &signed, rid).await?;
    let visitor = &signed.visitor;
    let tr = visitor.tr;
    let chrome = Chrome::of(visitor, "customers", tr.t("request-revoke-title"));
    let row = pending_rows(&tr, std::slice::from_ref(&request)).remove(0);
    Ok(render(visitor, StatusCode::OK, &RevokePage { chrome, request: row }))
}

/// `POST /customers/request/{rid}/revoke`: the link stops working at once.
pub async fn revoke(
    State(state): State<AppState>,
    signed: SignedIn,
    PageId(rid): PageId<RequestId>,
    Form(_): Form,
) -> PageResult {
    let visitor = &signed.visitor;
    let request = pending_request(&state, &signed, rid).await?;
    state
        .app
        .revoke_relationship_request(&signed.caller, request.id)
        .await?;
    Ok(visitor.redirect("/customers/request", Some(visitor.tr.t("request-revoked"))))
}
