//! The home page: the counts that matter to the signed-in user.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use partnerdesk_app::overview::PartnerOverview;
use partnerdesk_domain::org::OrgKind;

use super::pages::{app_error, render, Chrome};
use super::session::SignedIn;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "web/home.html")]
struct HomePage {
    chrome: Chrome,
    welcome: String,
    /// A partner's counts; other users have none.
    overview: Option<PartnerOverview>,
}

/// `GET /home`.
pub async fn home(State(state): State<AppState>, SignedIn { visitor, caller }: SignedIn) -> Response {
    let chrome = Chrome::of(&visitor, "home", visitor.tr.t("home-title"));
    let welcome = visitor
        .tr
        .t1("home-welcome", "name", chrome.user_name.as_deref().unwrap_or(""));
    let overview = if caller.org_kind == OrgKind::Partner {
        match state.app.partner_overview(&caller).await {
            Ok(o) => Some(o),
            Err(e) => return app_error(&visitor, e),
        }
    } else {
        None
    };
    render(
        &visitor,
        StatusCode::OK,
        &HomePage {
            chrome,
            welcome,
            overview,
        },
    )
}
