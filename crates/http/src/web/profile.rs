//! Profile, for every signed-in user: the name, the password, the language (the same
//! setting as the switch in the header) and personal API tokens. A new token's secret is
//! shown once, on the page that answers the form (never stored, never put in a cookie);
//! after that only its name and dates are listed. Revoking asks first, saying that scripts
//! using it stop at once. A new password needs the current one and ends every other
//! session; the notice after it says what ended.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use partnerdesk_app::users::OwnPasswordChange;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::token::ApiToken;
use partnerdesk_domain::ApiTokenId;

use super::form::Form;
use super::pages::{render, Chrome, PageError, PageResult};
use super::path_id::PageId;
use super::refusal::{refusal, FormError, Refusal};
use super::session::{set_cookie, Notice, SignedIn, Visit, Visitor, LANG_COOKIE, SESSION_COOKIE};
use super::tr::Tr;
use crate::i18n::Lang;
use crate::peer::Peer;
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
    /// Why the token form was refused (`name`, `expiresInDays` or the whole form).
    error: FormError,
    /// Why the name form was refused (`displayName`).
    name_error: FormError,
    /// Why the password form was refused (`currentPassword`, `password`, `passwordAgain`
    /// or the whole form).
    password_error: FormError,
    /// Whether the "also revoke my API tokens" box is ticked (it is, unless the user
    /// unticked it in a refused form).
    revoke_api_tokens: bool,
}

/// A form of the profile page that was refused, with what it held.
enum Refused {
    Nothing,
    Token {
        name: String,
        days: String,
        error: FormError,
    },
    Name {
        name: String,
        error: FormError,
    },
    Password {
        error: FormError,
        revoke_api_tokens: bool,
    },
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

/// The profile page; with a refused form, the form again with what it held and why.
async fn profile_page(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    status: StatusCode,
    refused: Refused,
) -> PageResult {
    let tr = visitor.tr;
    let me = state.app.me(caller).await?;
    let tokens = state.app.list_api_tokens(caller).await?;
    let now = state.app.now();
    // Newest first: the one just made or revoked is on top.
    let tokens = tokens.iter().rev().map(|t| TokenRow::of(&tr, t, now)).collect();
    let mut page = ProfilePage {
        chrome: Chrome::of(visitor, "profile", tr.t("profile-title")),
        name: me.display_name.as_str().to_string(),
        email: me.email.as_str().to_string(),
        tokens,
        token_name: String::new(),
        token_days: String::new(),
        error: FormError::none(),
        name_error: FormError::none(),
        password_error: FormError::none(),
        revoke_api_tokens: true,
    };
    match refused {
        Refused::Nothing => {}
        Refused::Token { name, days, error } => {
            (page.token_name, page.token_days, page.error) = (name, days, error);
        }
        Refused::Name { name, error } => (page.name, page.name_error) = (name, error),
        Refused::Password {
            error,
            revoke_api_tokens,
        } => (page.password_error, page.revoke_api_tokens) = (error, revoke_api_tokens),
    }
    Ok(render(visitor, status, &page))
}

/// `GET /profile`.
pub async fn profile(Visit(state, visitor, caller): Visit) -> PageResult {
    profile_page(&state, &visitor, &caller, StatusCode::OK, Refused::Nothing).await
}

/// `POST /profile/language`: the user's own language, as the header switch sets it (and
/// the cookie for the pages before sign-in). Back to the profile, in the new language.
pub async fn save_language(Visit(state, visitor, caller): Visit, Form(form): Form) -> PageResult {
    let Some(lang) = form.get("lang").and_then(Lang::parse) else {
        return Ok(visitor.redirect_with(
            "/profile",
            Some(Notice::warning(visitor.tr.t("profile-language-choose"))),
        ));
    };
    let tr = Tr::new(lang);
    state.app.set_my_locale(&caller, tr.locale()).await?;
    let mut response = visitor.redirect("/profile", Some(tr.t("profile-language-saved")));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, tr.code(), Some(365 * 24 * 3600), visitor.secure),
    );
    Ok(response)
}

/// `POST /profile/tokens`: makes a token and shows its secret, this once. A refused form
/// comes back with what was typed and what to change.
pub async fn create_token(Visit(state, visitor, caller): Visit, Form(form): Form) -> PageResult {
    let tr = visitor.tr;
    let name = form.get("name").unwrap_or("").trim().to_string();
    let days_text = form.get("days").unwrap_or("").trim().to_string();
    let refuse = |error: Refusal| Refused::Token {
        name: name.clone(),
        days: days_text.clone(),
        error: error.into(),
    };
    if name.is_empty() {
        let form = refuse(Refusal::of_field("name", tr.t("profile-token-name-needed")));
        return profile_page(&state, &visitor, &caller, StatusCode::BAD_REQUEST, form).await;
    }
    let days = if days_text.is_empty() {
        None
    } else {
        match days_text.parse::<i64>() {
            Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(d),
            _ => {
                let why = tr.tn("profile-token-days-invalid", "max", MAX_DAYS);
                let form = refuse(Refusal::of_field("expiresInDays", why));
                return profile_page(&state, &visitor, &caller, StatusCode::BAD_REQUEST, form).await;
            }
        }
    };
    Ok(match state.app.create_expiring_api_token(&caller, &name, days).await {
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
            let form = refuse(refusal(&tr, &e));
            profile_page(&state, &visitor, &caller, StatusCode::BAD_REQUEST, form).await?
        }
        Err(e) => return Err(e.into()),
    })
}

/// `POST /profile/name`: the user's own display name.
pub async fn save_name(Visit(state, visitor, caller): Visit, Form(form): Form) -> PageResult {
    let name = form.get("name").unwrap_or("").trim().to_string();
    Ok(match state.app.set_my_display_name(&caller, &name).await {
        Ok(_) => visitor.redirect("/profile", Some(visitor.tr.t("profile-name-saved"))),
        Err(e @ AppError::Domain(_)) => {
            let error = FormError::of(&visitor.tr, &e);
            let refused = Refused::Name { name, error };
            profile_page(&state, &visitor, &caller, StatusCode::BAD_REQUEST, refused).await?
        }
        Err(e) => return Err(e.into()),
    })
}

/// `POST /profile/password`: the user's own password, after the current one. Every other
/// session and every refresh token of the user ends, and its API tokens too when the box is
/// ticked (the default). This session goes on under a new cookie secret, so a copy of the
/// old cookie is worth nothing: the user just proved the current password here, and ending
/// this session too would only make them sign in again. The notice says what ended.
pub async fn change_password(
    State(state): State<AppState>,
    Peer(client): Peer,
    SignedIn { visitor, caller }: SignedIn,
    Form(form): Form,
) -> PageResult {
    let tr = visitor.tr;
    let revoke_api_tokens = form.get("revoke_api_tokens").is_some();
    let (st, vi, ca) = (&state, &visitor, &caller);
    let refuse = move |status: StatusCode, error: Refusal| {
        let refused = Refused::Password {
            error: error.into(),
            revoke_api_tokens,
        };
        profile_page(st, vi, ca, status, refused)
    };
    let new_password = form.get("new_password").unwrap_or("");
    if form.get("new_password_again").unwrap_or("") != new_password {
        let why = Refusal::of_field("passwordAgain", tr.t("profile-password-mismatch"));
        return refuse(StatusCode::BAD_REQUEST, why).await;
    }
    let change = OwnPasswordChange {
        current_password: form.get("current_password").unwrap_or("").to_string(),
        new_password: new_password.to_string(),
        revoke_api_tokens,
    };
    Ok(
        match state.app.change_my_password(&caller, &client, change, true).await {
            Ok(changed) => {
                let r = changed.revoked;
                let mut notice = vec![
                    tr.t("profile-password-changed"),
                    tr.tn("profile-password-sessions-ended", "count", count(r.sessions)),
                    tr.tn("profile-password-refresh-revoked", "count", count(r.refresh_tokens)),
                ];
                notice.push(if revoke_api_tokens {
                    tr.tn("profile-password-api-revoked", "count", count(r.api_tokens))
                } else {
                    tr.t("profile-password-api-kept")
                });
                let mut response = visitor.redirect("/profile", Some(notice.join(" ")));
                if let Some(started) = changed.session {
                    response.headers_mut().append(
                        header::SET_COOKIE,
                        set_cookie(SESSION_COOKIE, &started.secret, None, visitor.secure),
                    );
                }
                response
            }
            Err(AppError::WrongCurrentPassword | AppError::Unauthenticated(_)) => {
                let why = Refusal::of_field("currentPassword", tr.t("profile-password-current-wrong"));
                refuse(StatusCode::BAD_REQUEST, why).await?
            }
            Err(AppError::TooManyFailedSignIns { retry_after_seconds }) => {
                let minutes = i64::try_from(retry_after_seconds.div_ceil(60).max(1)).unwrap_or(i64::MAX);
                let error = Refusal::general(tr.tn("profile-password-throttled", "minutes", minutes));
                let mut page = refuse(StatusCode::TOO_MANY_REQUESTS, error).await?;
                page.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
                page
            }
            Err(e @ AppError::Domain(_)) => refuse(StatusCode::BAD_REQUEST, refusal(&tr, &e)).await?,
            Err(e) => return Err(e.into()),
        },
    )
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// One of the caller's tokens, by the id in the path; a page for anything else.
async fn load_token(state: &AppState, caller: &Caller, id: ApiTokenId) -> PageResult<ApiToken> {
    let not_found = || PageError::from(AppError::NotFound("API token"));
    let tokens = state.app.list_api_tokens(caller).await?;
    tokens.into_iter().find(|t| t.id == id).ok_or_else(not_found)
}

/// `GET /profile/tokens/{id}/revoke`: the confirmation. A revoked token has nothing to ask.
pub async fn confirm_revoke(Visit(state, visitor, caller): Visit, PageId(id): PageId<ApiTokenId>) -> PageResult {
    let token = load_token(&state, &caller, id).await?;
    if token.revoked_at.is_some() {
        return Ok(visitor.redirect("/profile", None));
    }
    let tr = visitor.tr;
    let row = TokenRow::of(&tr, &token, state.app.now());
    let title = tr.t1("profile-revoke-title", "name", &row.name);
    let chrome = Chrome::of(&visitor, "profile", title);
    Ok(render(&visitor, StatusCode::OK, &RevokePage { chrome, token: row }))
}

/// `POST /profile/tokens/{id}/revoke`: the token stops working at once.
pub async fn revoke(Visit(state, visitor, caller): Visit, PageId(id): PageId<ApiTokenId>, Form(_): Form) -> PageResult {
    let token = load_token(&state, &caller, id).await?;
    let revoked = state.app.revoke_api_token(&caller, token.id).await?;
    let notice = visitor
        .tr
        .t1("profile-token-revoked-notice", "name", revoked.name.as_str());
    Ok(visitor.redirect("/profile", Some(notice)))
}
