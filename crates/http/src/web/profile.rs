//! Profile, for every signed-in user: the language (the same setting as the switch in the
//! header) and personal API tokens. A new token's secret is shown once, on the page that
//! answers the form (never stored, never put in a cookie); after that only its name and
//! dates are listed. Revoking asks first, saying that scripts using it stop at once.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::token::ApiToken;
use partnerdesk_domain::ApiTokenId;

use super::form::Fields;
use super::pages::{app_error, describe, or_page, render, Chrome};
use super::session::{set_cookie, SignedIn, Visitor, LANG_COOKIE};
use super::tr::Tr;
use crate::i18n::Lang;
use crate::platform::idempotency::ReplayAs;
use crate::state::AppState;

/// The longest lifetime the form offers, as the app allows.
const MAX_DAYS: i64 = 3650;

/// One personal token, as listed.
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub expires: String,
    /// `active`, `expired` or `revoked` (also the badge's class).
    pub status: &'static str,
    pub status_text: String,
}

impl TokenRow {
    fn of(tr: &Tr, token: &ApiToken, now: chrono::DateTime<chrono::Utc>) -> Self {
        let never = || tr.t("profile-token-never");
        let status = if token.revoked_at.is_some() {
            "revoked"
        } else if token.is_usable(now) {
            "active"
        } else {
            "expired"
        };
        Self {
            id: token.id.to_string(),
            name: token.name.as_str().to_string(),
            created: tr.date(&token.created_at),
            last_used: token.last_used_at.as_ref().map_or_else(never, |at| tr.date(at)),
            expires: token.expires_at.as_ref().map_or_else(never, |at| tr.date(at)),
            status,
            status_text: tr.t(&format!("profile-token-{status}")),
        }
    }
}

#[derive(Template)]
#[template(path = "web/profile.html")]
struct ProfilePage {
    chrome: Chrome,
    name: String,
    email: String,
    tokens: Vec<TokenRow>,
    /// What the token form held when it was refused.
    token_name: String,
    token_days: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "web/profile_token_created.html")]
struct TokenCreatedPage {
    chrome: Chrome,
    name: String,
    secret: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "web/profile_token_revoke.html")]
struct RevokePage {
    chrome: Chrome,
    token: TokenRow,
}

/// The profile page; `error` (with the form's values) when a new token was refused.
async fn profile_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    status: StatusCode,
    form: Option<(String, String, String)>,
) -> Response {
    let tr = visitor.tr;
    let me = match state.app.me(caller).await {
        Ok(me) => me,
        Err(e) => return app_error(visitor, e),
    };
    let tokens = match state.app.list_api_tokens(caller).await {
        Ok(t) => t,
        Err(e) => return app_error(visitor, e),
    };
    let now = state.app.now();
    // Newest first: the one just made or revoked is on top.
    let tokens = tokens.iter().rev().map(|t| TokenRow::of(&tr, t, now)).collect();
    let (token_name, token_days, error) = match form {
        Some((name, days, error)) => (name, days, Some(error)),
        None => (String::new(), String::new(), None),
    };
    let chrome = Chrome::of(visitor, "profile", tr.t("profile-title"));
    render(
        visitor,
        status,
        &ProfilePage {
            chrome,
            name: me.display_name.as_str().to_string(),
            email: me.email.as_str().to_string(),
            tokens,
            token_name,
            token_days,
            error,
        },
    )
}

/// `GET /profile`.
pub async fn profile(State(state): State<AppState>, SignedIn { visitor, caller }: SignedIn) -> Response {
    profile_page(&state, &visitor, &caller, StatusCode::OK, None).await
}

/// `POST /profile/language`: the user's own language, as the header switch sets it (and
/// the cookie for the pages before sign-in). Back to the profile, in the new language.
pub async fn save_language(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    body: Bytes,
) -> Response {
    let form = or_page!(Fields::checked(&visitor, &body));
    let Some(lang) = form.get("lang").and_then(Lang::parse) else {
        return visitor.redirect("/profile", Some(visitor.tr.t("profile-language-choose")));
    };
    let tr = Tr::new(lang);
    if let Err(e) = state.app.set_my_locale(&caller, tr.locale()).await {
        return app_error(&visitor, e);
    }
    let mut response = visitor.redirect("/profile", Some(tr.t("profile-language-saved")));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, tr.code(), Some(365 * 24 * 3600), visitor.secure),
    );
    response
}

/// `POST /profile/tokens`: makes a token and shows its secret, this once. A refused form
/// comes back with what was typed and what to change.
pub async fn create_token(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    body: Bytes,
) -> Response {
    let form = or_page!(Fields::checked(&visitor, &body));
    let tr = visitor.tr;
    let name = form.get("name").unwrap_or("").trim().to_string();
    let days_text = form.get("days").unwrap_or("").trim().to_string();
    let refuse = |error: String| (name.clone(), days_text.clone(), error);
    if name.is_empty() {
        let form = refuse(tr.t("profile-token-name-needed"));
        return profile_page(&state, &visitor, &caller, StatusCode::BAD_REQUEST, Some(form)).await;
    }
    let days = if days_text.is_empty() {
        None
    } else {
        match days_text.parse::<i64>() {
            Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(d),
            _ => {
                let form = refuse(tr.tn("profile-token-days-invalid", "max", MAX_DAYS));
                return profile_page(&state, &visitor, &caller, StatusCode::BAD_REQUEST, Some(form)).await;
            }
        }
    };
    match state.app.create_expiring_api_token(&caller, &name, days).await {
        Ok(created) => {
            let chrome = Chrome::of(&visitor, "profile", tr.t("profile-token-created-title"));
            // The secret is on this page once: a repeat of the form goes to the profile.
            let replay = ReplayAs::redirect("/profile");
            let expires = created
                .token
                .expires_at
                .as_ref()
                .map_or_else(|| tr.t("profile-token-never"), |at| tr.date(at));
            let mut page = render(
                &visitor,
                StatusCode::OK,
                &TokenCreatedPage {
                    chrome,
                    name: created.token.name.as_str().to_string(),
                    secret: created.secret,
                    expires,
                },
            );
            page.extensions_mut().insert(replay);
            page
        }
        Err(e @ AppError::Domain(_)) => {
            let form = refuse(describe(&tr, e));
            profile_page(&state, &visitor, &caller, StatusCode::BAD_REQUEST, Some(form)).await
        }
        Err(e) => app_error(&visitor, e),
    }
}

/// One of the caller's tokens, by the id in the path; a page for anything else.
async fn load_token(state: &AppState, visitor: &Visitor, caller: &Caller, raw_id: &str) -> Result<ApiToken, Response> {
    let not_found = || app_error(visitor, AppError::NotFound("API token"));
    let id: ApiTokenId = raw_id.parse().map_err(|_| not_found())?;
    let tokens = state
        .app
        .list_api_tokens(caller)
        .await
        .map_err(|e| app_error(visitor, e))?;
    tokens.into_iter().find(|t| t.id == id).ok_or_else(not_found)
}

/// `GET /profile/tokens/{id}/revoke`: the confirmation. A revoked token has nothing to ask.
pub async fn confirm_revoke(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let token = or_page!(load_token(&state, &visitor, &caller, &id).await);
    if token.revoked_at.is_some() {
        return visitor.redirect("/profile", None);
    }
    let tr = visitor.tr;
    let row = TokenRow::of(&tr, &token, state.app.now());
    let title = tr.t1("profile-revoke-title", "name", &row.name);
    let chrome = Chrome::of(&visitor, "profile", title);
    render(&visitor, StatusCode::OK, &RevokePage { chrome, token: row })
}

/// `POST /profile/tokens/{id}/revoke`: the token stops working at once.
pub async fn revoke(
    State(state): State<AppState>,
    SignedIn { visitor, caller }: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    or_page!(Fields::checked(&visitor, &body));
    let token = or_page!(load_token(&state, &visitor, &caller, &id).await);
    match state.app.revoke_api_token(&caller, token.id).await {
        Ok(t) => {
            let notice = visitor.tr.t1("profile-token-revoked-notice", "name", t.name.as_str());
            visitor.redirect("/profile", Some(notice))
        }
        Err(e) => app_error(&visitor, e),
    }
}
