//! A forgotten password: `/forgot-password` asks for the address and always answers the
//! same; the mailed link opens `/reset-password/{token}`, which sets a new password once.
//! Without mail the first page says to ask an admin instead.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use partnerdesk_app::password_reset::ResetOutcome;
use partnerdesk_app::AppError;
use partnerdesk_domain::mail::ResetRefusal;

use super::form::Form;
use super::pages::{render, Chrome, PageResult};
use super::session::Visitor;
use crate::peer::Peer;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "web/forgot_password.html")]
struct ForgotPage {
    chrome: Chrome,
    mail_enabled: bool,
    /// The request was taken: the page says a mail is on its way if the address has an
    /// account.
    asked: bool,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "web/reset_password.html")]
struct ResetPage {
    chrome: Chrome,
    token: String,
    /// Why the link does not work; no form then.
    refused: Option<String>,
    error: Option<String>,
}

fn forgot_page(
    visitor: &Visitor,
    state: &AppState,
    status: StatusCode,
    page: (bool, String, Option<String>),
) -> Response {
    let (asked, email, error) = page;
    let chrome = Chrome::of(visitor, "", visitor.tr.t("forgot-title"));
    render(
        visitor,
        status,
        &ForgotPage {
            chrome,
            mail_enabled: state.app.mail_enabled(),
            asked,
            email,
            error,
        },
    )
}

/// `GET /forgot-password`.
pub async fn forgot_form(State(state): State<AppState>, visitor: Visitor) -> Response {
    forgot_page(&visitor, &state, StatusCode::OK, (false, String::new(), None))
}

/// `POST /forgot-password`: the same answer whether or not the address has an account;
/// past the limits (those of signing in) the page says when to try again.
pub async fn forgot(
    State(state): State<AppState>,
    Peer(client): Peer,
    visitor: Visitor,
    Form(form): Form,
) -> PageResult {
    let email = form.get("email").unwrap_or("").trim().to_string();
    Ok(match state.app.request_password_reset(&client, &email).await {
        Ok(()) => forgot_page(&visitor, &state, StatusCode::OK, (true, email, None)),
        Err(AppError::TooManyFailedSignIns { retry_after_seconds }) => {
            let minutes = i64::try_from(retry_after_seconds.div_ceil(60).max(1)).unwrap_or(i64::MAX);
            let error = visitor.tr.tn("forgot-throttled", "minutes", minutes);
            let mut page = forgot_page(
                &visitor,
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                (false, email, Some(error)),
            );
            page.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
            page
        }
        Err(e) => return Err(e.into()),
    })
}

fn reset_page(
    visitor: &Visitor,
    status: StatusCode,
    token: String,
    refused: Option<ResetRefusal>,
    error: Option<String>,
) -> Response {
    let chrome = Chrome::of(visitor, "", visitor.tr.t("reset-title"));
    let refused = refused.map(|r| {
        visitor.tr.t(match r {
            ResetRefusal::Unknown => "reset-refused-unknown",
            ResetRefusal::Used => "reset-refused-used",
            ResetRefusal::Expired => "reset-refused-expired",
        })
    });
    render(
        visitor,
        status,
        &ResetPage {
            chrome,
            token,
            refused,
            error,
        },
    )
}

/// `GET /reset-password/{token}`: the form, or why the link no longer works (410).
pub async fn reset_form(State(state): State<AppState>, visitor: Visitor, Path(token): Path<String>) -> PageResult {
    Ok(match state.app.check_password_reset(&token).await? {
        Ok(()) => reset_page(&visitor, StatusCode::OK, token, None, None),
        Err(refusal) => reset_page(&visitor, StatusCode::GONE, token, Some(refusal), None),
    })
}

/// `POST /reset-password/{token}`: sets the new password (typed twice) and goes on to
/// sign-in; every session and token of the user has ended.
pub async fn reset(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form,
) -> PageResult {
    let tr = visitor.tr;
    let password = form.get("new_password").unwrap_or("");
    if form.get("new_password_again").unwrap_or("") != password {
        let error = Some(tr.t("profile-password-mismatch"));
        return Ok(reset_page(&visitor, StatusCode::BAD_REQUEST, token, None, error));
    }
    Ok(match state.app.reset_forgotten_password(&token, password).await {
        Ok(ResetOutcome::Done) => visitor.redirect("/signin", Some(tr.t("reset-done"))),
        Ok(ResetOutcome::Refused(refusal)) => reset_page(&visitor, StatusCode::GONE, token, Some(refusal), None),
        Err(AppError::Domain(_)) => {
            let error = Some(tr.t("reset-too-short"));
            reset_page(&visitor, StatusCode::BAD_REQUEST, token, None, error)
        }
        Err(e) => return Err(e.into()),
    })
}
