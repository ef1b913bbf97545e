//! Signing in and out, the start page redirect, and the language switch.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use partnerdesk_app::AppError;
use serde::Deserialize;

use super::form::{Fields, Form};
use super::pages::{render, Chrome, PageResult};
use super::session::{safe_next, set_cookie, Visitor, LANG_COOKIE, SESSION_COOKIE};
use super::tr::Tr;
use crate::i18n::Lang;
use crate::peer::Peer;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "web/signin.html")]
struct SignInPage {
    chrome: Chrome,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /`: the home page when signed in, else sign-in.
pub async fn root(visitor: Visitor) -> Response {
    let to = if visitor.session.is_some() { "/home" } else { "/signin" };
    visitor.redirect(to, None)
}

fn sign_in_page(visitor: &Visitor, status: StatusCode, next: String, email: String, error: Option<String>) -> Response {
    let chrome = Chrome::of(visitor, "", visitor.tr.t("signin-title"));
    render(
        visitor,
        status,
        &SignInPage {
            chrome,
            next,
            email,
            error,
        },
    )
}

/// `GET /signin`: the form; signed in already, straight on to where the visitor was going.
pub async fn sign_in_form(visitor: Visitor, Query(q): Query<NextQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if visitor.session.is_some() {
        return visitor.redirect(&next, None);
    }
    sign_in_page(&visitor, StatusCode::OK, next, String::new(), None)
}

/// `POST /signin`: checks the password, starts a session, goes on to `next`. A wrong
/// e-mail and a wrong password get the same answer. Past the sign-in limits (shared with
/// the API's password grant, see `App::sign_in`) the page says when to try again.
pub async fn sign_in(
    State(state): State<AppState>,
    Peer(client): Peer,
    visitor: Visitor,
    Form(form): Form,
) -> PageResult {
    let next = safe_next(form.get("next"));
    let email = form.get("email").unwrap_or("").trim().to_string();
    let password = form.get("password").unwrap_or("");
    Ok(match state.app.start_web_session(&client, &email, password).await {
        Ok(started) => {
            // A language picked on the sign-in page becomes the user's own setting.
            let picked = visitor.picked_lang;
            if let Some(lang) = picked.filter(|l| Some(*l) != Lang::parse(&started.session.caller.locale)) {
                if let Err(e) = state
                    .app
                    .set_my_locale(&started.session.caller, Tr::new(lang).locale())
                    .await
                {
                    tracing::warn!(error = %e, "the language picked before sign-in was not kept");
                }
            }
            let mut response = visitor.redirect(&next, None);
            // A browser-session cookie (gone when the browser closes); the server ends the
            // session itself after its lifetime.
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &started.secret, None, visitor.secure),
            );
            response
        }
        Err(AppError::Unauthenticated(_)) => {
            let error = visitor.tr.t("signin-failed");
            sign_in_page(&visitor, StatusCode::UNAUTHORIZED, next, email, Some(error))
        }
        Err(AppError::TooManyFailedSignIns { retry_after_seconds }) => {
            let minutes = i64::try_from(retry_after_seconds.div_ceil(60).max(1)).unwrap_or(i64::MAX);
            let error = visitor.tr.tn("signin-throttled", "minutes", minutes);
            let mut page = sign_in_page(&visitor, StatusCode::TOO_MANY_REQUESTS, next, email, Some(error));
            page.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
            page
        }
        Err(e) => return Err(e.into()),
    })
}

/// `POST /signout`: ends the session here and on the server.
pub async fn sign_out(State(state): State<AppState>, visitor: Visitor, body: Bytes) -> PageResult {
    let form = Fields::parse(&body);
    if visitor.session.is_some() {
        visitor.check_csrf(form.get("_csrf"))?;
    }
    if let Some(secret) = &visitor.secret {
        if let Err(e) = state.app.end_web_session(secret).await {
            tracing::warn!(error = %e, "a session could not be ended on the server");
        }
    }
    let mut response = visitor.redirect("/signin", Some(visitor.tr.t("signed-out")));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), visitor.secure),
    );
    Ok(response)
}

/// `POST /language`: switches the language: the user's own setting when signed in, and a
/// cookie for the pages before sign-in. Back to the page it came from.
pub async fn switch_language(State(state): State<AppState>, visitor: Visitor, Form(form): Form) -> PageResult {
    let lang = form.get("lang").and_then(Lang::parse).unwrap_or_default();
    let tr = Tr::new(lang);
    if let Some(caller) = visitor.caller() {
        state.app.set_my_locale(caller, tr.locale()).await?;
    }
    let back = safe_next(form.get("back"));
    let mut response = visitor.redirect(&back, None);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, tr.code(), Some(365 * 24 * 3600), visitor.secure),
    );
    Ok(response.into_response())
}
