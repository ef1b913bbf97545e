//! The home page: the counts that matter to the signed-in user.

use askama::Template;
use axum::http::StatusCode;
use partnerdesk_app::overview::PartnerOverview;
use partnerdesk_domain::org::OrgKind;

use super::pages::{render, Chrome, PageResult};
use super::session::Visit;

#[derive(Template)]
#[template(path = "web/home.html")]
struct HomePage {
    chrome: Chrome,
    welcome: String,
    /// The user has no name yet: the page asks for one.
    ask_name: bool,
    /// A partner's counts; other users have none.
    overview: Option<PartnerOverview>,
}

/// `GET /home`.
pub async fn home(Visit(state, visitor, caller): Visit) -> PageResult {
    let chrome = Chrome::of(&visitor, "home", visitor.tr.t("home-title"));
    // A user created without a name is named by its e-mail address: greeted without it,
    // and asked for a name instead.
    let name = chrome.user_name.as_deref().filter(|n| !n.contains('@'));
    let welcome = match name {
        Some(name) => visitor.tr.t1("home-welcome", "name", name),
        None => visitor.tr.t("home-welcome-unnamed"),
    };
    let ask_name = name.is_none();
    let overview = if caller.org_kind == OrgKind::Partner {
        Some(state.app.partner_overview(&caller).await?)
    } else {
        None
    };
    Ok(render(
        &visitor,
        StatusCode::OK,
        &HomePage {
            chrome,
            welcome,
            ask_name,
            overview,
        },
    ))
}
