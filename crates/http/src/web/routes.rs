//! Every page of the dashboard, in one table that builds the router and lists the pages
//! ([`pages`]); `tests/pages.rs` walks that list, so a new page joins the router-level
//! tests (who may see it, who is refused) by itself.

use std::collections::BTreeSet;

use axum::handler::Handler;
use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::pages::in_visitors_words;
use super::{account, audit, customers, home, operator, signin, subscriptions};
use super::{former, history, offboarding, orders, password_reset, requests};
use super::{gdap, gdap_approval, invitation, my_partners, operator_roles, profile, security_groups, webhooks};
use crate::state::AppState;

/// The stylesheet, embedded in the binary.
const APP_CSS: &str = include_str!("../../assets/app.css");

/// The dashboard's routes, with [`in_visitors_words`] around them.
pub fn routes() -> Router<AppState> {
    table().router.layer(middleware::from_fn(in_visitors_words))
}

/// Every (method, path) the dashboard registers, the method lower case as axum's routing
/// functions: what tests walk to try every page.
pub fn pages() -> BTreeSet<(String, String)> {
    table()
        .pages
        .into_iter()
        .map(|(method, path)| (method.to_string(), path.to_string()))
        .collect()
}

/// The one list of the dashboard's pages: it builds the router and names what it holds.
fn table() -> Table {
    Table::default()
        .get("/", signin::root)
        .get("/static/app.css", stylesheet)
        // --- signed out ---
        .get("/signin", signin::sign_in_form)
        .post("/signin", signin::sign_in)
        .post("/signout", signin::sign_out)
        .post("/language", signin::switch_language)
        .get("/forgot-password", password_reset::forgot_form)
        .post("/forgot-password", password_reset::forgot)
        .get("/reset-password/{token}", password_reset::reset_form)
        .post("/reset-password/{token}", password_reset::reset)
        // --- anyone holding an invitation link; answered by the customer's global admin ---
        .get("/invitations/{token}", invitation::view)
        .post("/invitations/{token}/accept", invitation::accept)
        .post("/invitations/{token}/decline", invitation::decline)
        // --- customer ---
        .get("/partners", my_partners::list)
        .get("/partners/{pid}/end", my_partners::confirm_end)
        .post("/partners/{pid}/end", my_partners::end)
        .get("/partners/{pid}/adminroles", my_partners::confirm_remove_admin_roles)
        .post("/partners/{pid}/adminroles", my_partners::remove_admin_roles)
        .get("/partners/admin-relationships", gdap_approval::list)
        .get("/partners/admin-relationships/{gid}", gdap_approval::view)
        .post("/partners/admin-relationships/{gid}/approve", gdap_approval::approve)
        .post("/partners/admin-relationships/{gid}/reject", gdap_approval::reject)
        .get(
            "/partners/admin-relationships/{gid}/terminate",
            gdap_approval::confirm_terminate,
        )
        .post(
            "/partners/admin-relationships/{gid}/terminate",
            gdap_approval::terminate,
        )
        // --- every signed-in user (the audit log: its organisation's admins) ---
        .get("/audit", audit::list)
        .get("/audit/export.csv", audit::export)
        .get("/audit/{record}", audit::record)
        .get("/profile", profile::profile)
        .post("/profile/name", profile::save_name)
        .post("/profile/password", profile::change_password)
        .post("/profile/language", profile::save_language)
        .post("/profile/tokens", profile::create_token)
        .get("/profile/tokens/{tid}/revoke", profile::confirm_revoke)
        .post("/profile/tokens/{tid}/revoke", profile::revoke)
        // --- whoever may manage webhooks (partner and customer admins, the operator) ---
        .get("/webhooks", webhooks::list)
        .post("/webhooks", webhooks::create)
        .get("/webhooks/{hid}", webhooks::detail)
        .post("/webhooks/{hid}", webhooks::update)
        .post("/webhooks/{hid}/test", webhooks::send_test)
        .post("/webhooks/{hid}/redeliver", webhooks::redeliver)
        .get("/webhooks/{hid}/delete", webhooks::confirm_delete)
        .post("/webhooks/{hid}/delete", webhooks::delete)
        // --- operator ---
        .get("/operator/partners", operator::partners)
        .get("/operator/partners/new", operator::new_partner)
        .post("/operator/partners/new", operator::add_partner)
        .get("/operator/offers", operator::offers)
        .get("/operator/offers/new", operator::new_offer)
        .post("/operator/offers/new", operator::create_offer)
        .get("/operator/offers/{id}", operator::edit_offer)
        .post("/operator/offers/{id}", operator::update_offer)
        .get("/operator/roles", operator_roles::list)
        .post("/operator/roles", operator_roles::create)
        .get("/operator/roles/{role}", operator_roles::edit)
        .post("/operator/roles/{role}", operator_roles::update)
        // --- partner ---
        .get("/home", home::home)
        .get("/customers", customers::list)
        .get("/customers/export.csv", customers::export)
        .get("/customers/request", requests::form)
        .post("/customers/request", requests::create)
        .get("/customers/former", former::list)
        .get("/customers/former/{fid}", former::history)
        .get("/customers/request/{rid}/revoke", requests::confirm_revoke)
        .post("/customers/request/{rid}/revoke", requests::revoke)
        .get("/customers/{id}", account::customer)
        .get("/customers/{id}/account", account::account)
        .get("/customers/{id}/remove", account::confirm_removal)
        .post("/customers/{id}/remove", account::remove)
        .get("/customers/{id}/subscriptions", subscriptions::list)
        .post("/customers/{id}/subscriptions", subscriptions::bulk)
        .get("/customers/{id}/subscriptions/{sid}", subscriptions::detail)
        .post("/customers/{id}/subscriptions/{sid}", subscriptions::change_status)
        .get(
            "/customers/{id}/subscriptions/{sid}/cancel",
            subscriptions::confirm_cancel,
        )
        .post("/customers/{id}/subscriptions/{sid}/cancel", subscriptions::cancel)
        .post(
            "/customers/{id}/subscriptions/{sid}/support",
            subscriptions::assign_support,
        )
        .get("/customers/{id}/orders", orders::list)
        .post("/customers/{id}/orders", orders::place)
        .get("/customers/{id}/offboarding", offboarding::preview)
        .post("/customers/{id}/offboarding", offboarding::offboard)
        .get("/customers/{id}/history", history::history)
        .get("/gdap", gdap::list)
        .post("/gdap/extend", gdap::bulk_extend)
        .get("/gdap/new", gdap::new)
        .post("/gdap/new", gdap::create)
        .get("/gdap/{gid}", gdap::detail)
        .get("/gdap/{gid}/edit", gdap::edit)
        .post("/gdap/{gid}/edit", gdap::update)
        .post("/gdap/{gid}/send", gdap::send)
        .post("/gdap/{gid}/extend", gdap::extend)
        .post("/gdap/{gid}/access", gdap::assign)
        .get("/gdap/{gid}/access/{aid}", gdap::access)
        .post("/gdap/{gid}/access/{aid}", gdap::update_access)
        .get("/gdap/{gid}/access/{aid}/remove", gdap::confirm_remove_access)
        .post("/gdap/{gid}/access/{aid}/remove", gdap::remove_access)
        .get("/gdap/{gid}/delete", gdap::confirm_delete)
        .post("/gdap/{gid}/delete", gdap::delete)
        .get("/gdap/{gid}/terminate", gdap::confirm_terminate)
        .post("/gdap/{gid}/terminate", gdap::terminate)
        .get("/security-groups", security_groups::list)
        .post("/security-groups", security_groups::create)
        .get("/security-groups/{sgid}", security_groups::detail)
        .post("/security-groups/{sgid}/rename", security_groups::rename)
        .get("/security-groups/{sgid}/delete", security_groups::confirm_delete)
        .post("/security-groups/{sgid}/delete", security_groups::delete)
        .post("/security-groups/{sgid}/members", security_groups::add_member)
        .post("/security-groups/{sgid}/members/remove", security_groups::remove_member)
}

/// The router being built and the pages it holds.
#[derive(Default)]
struct Table {
    router: Router<AppState>,
    pages: Vec<(&'static str, &'static str)>,
}

impl Table {
    /// `GET path`; a path given with both methods is one route answering both.
    fn get<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.router = self.router.route(path, get(handler));
        self.pages.push(("get", path));
        self
    }

    /// `POST path`.
    fn post<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.router = self.router.route(path, post(handler));
        self.pages.push(("post", path));
        self
    }
}

/// `GET /static/app.css`: cached for a day (the file changes only with the binary).
async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        APP_CSS,
    )
        .into_response()
}
