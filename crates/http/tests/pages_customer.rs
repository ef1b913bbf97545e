//! Router-level tests of the customer's side of the dashboard and of every user's profile,
//! on every backend: the invitation a request link opens (read by anyone, answered by the
//! customer's global admin), Partner relationships (ending one under rule 3 with the
//! effects of rule 4, removing admin roles under rule 8), and personal API tokens and the
//! language on the profile.

use axum::http::StatusCode;
use axum::Router;
use chrono::Duration;
use partnerdesk_app::Caller;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::{GdapStatus, RelationshipState};
use partnerdesk_domain::request::RequestState;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{CustomerActor, PartnerActor, TestApp, TestDb, PASSWORD};

#[path = "common/dashboard.rs"]
mod dashboard;

use dashboard::{customer_name, email_of, Visitor};

/// An app, its router, and a partner that has not worked with `customer` yet.
struct World {
    t: TestApp,
    router: Router,
    partner: PartnerActor,
    partner_name: String,
    customer: CustomerActor,
}

impl World {
    async fn on(db: TestDb) -> World {
        let t = TestApp::on(db).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        let partner = t.partner(PartnerType::Direct).await;
        let partner_name = t
            .app
            .get_partner(&t.operator, partner.id)
            .await
            .expect("partner")
            .name
            .as_str()
            .to_string();
        // It once worked with another partner: that relationship is in its history.
        let customer = t.customer_alone().await;
        World {
            t,
            router,
            partner,
            partner_name,
            customer,
        }
    }

    async fn visitor_as(&self, caller: &Caller) -> Visitor {
        Visitor::signed_in(&self.router, &email_of(&self.t, caller).await, PASSWORD).await
    }

    /// A new invitation from the partner; its token.
    async fn invitation(&self, include_dap: bool) -> String {
        self.t
            .app
            .create_relationship_request(&self.partner.admin, include_dap)
            .await
            .expect("request")
            .token
    }

    /// The customer accepts an invitation of the partner (with DAP) through the app.
    async fn work_together(&self) {
        let token = self.invitation(true).await;
        self.t
            .app
            .accept_relationship_request(&self.customer.admin, &token)
            .await
            .expect("accept");
    }

    async fn partner_has_customer(&self) -> bool {
        self.t
            .app
            .list_customers(&self.partner.admin, None, None, 100)
            .await
            .expect("customers")
            .items
            .iter()
            .any(|c| c.id == self.customer.id)
    }
}

/// An active GDAP relationship between the two.
async fn add_gdap(w: &World) {
    w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Active, None).await;
}

// --- the invitation ---

#[tokio::test]
async fn an_invitation_is_read_by_anyone_and_accepted_by_the_customers_admin_after_signing_in() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let token = w.invitation(true).await;
        let path = format!("/invitations/{token}");

        // Anyone holding the link reads who asks, for what and until when.
        let mut v = Visitor::new(&w.router);
        let page = v.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(page.body.contains(&w.partner_name), "{b}: names the partner");
        assert!(page.body.contains("Reseller"), "{b}");
        assert!(page.body.contains("also asks for administrator access"), "{b}: DAP");
        assert!(page.body.contains("May 30, 2026"), "{b}: valid 90 days: {}", page.body);
        assert!(!page.body.contains("accept-invitation"), "{b}: no answer signed out");
        let signin = format!("/signin?next=%2Finvitations%2F{token}");
        assert!(
            page.body.contains(&signin),
            "{b}: asked to sign in first: {}",
            page.body
        );

        // An answer posted while signed out goes to sign in, and back to the invitation.
        let csrf = v.cookie("pd_csrf").expect("csrf cookie").to_string();
        let early = v.post(&format!("{path}/accept"), &[("_csrf", &csrf)]).await;
        assert_eq!(early.location(), signin, "{b}");
        let email = email_of(&w.t, &w.customer.admin).await;
        let back = v.sign_in_to(&email, PASSWORD, &path).await;
        assert_eq!(back.location(), path, "{b}: back to the invitation");
        assert!(!w.partner_has_customer().await, "{b}: nothing happened yet");

        let page = v.get(&path).await;
        assert!(page.body.contains("id=\"accept-invitation\""), "{b}: {}", page.body);
        assert!(
            page.body.contains("Declining is final"),
            "{b}: declining says what it does"
        );
        let done = v.post(&format!("{path}/accept"), &[("_csrf", &page.csrf())]).await;
        assert_eq!(done.location(), "/partners", "{b}: {}", done.body);
        let partners = v.get("/partners").await;
        assert_eq!(partners.status, StatusCode::OK, "{b}");
        let notice = partners.notice().expect("a notice");
        assert!(
            notice.contains("You accepted") && notice.contains(&w.partner_name),
            "{b}: {notice}"
        );
        assert!(
            partners.body.contains("Delegated admin (DAP)"),
            "{b}: its rights are listed"
        );

        // The partner now has the customer; the link says it was answered.
        assert!(w.partner_has_customer().await, "{b}");
        let mut partner = w.visitor_as(&w.partner.admin).await;
        let customers = partner.get("/customers").await;
        let name = customer_name(&w.t, &w.partner.admin, w.customer.id).await;
        assert!(customers.body.contains(&name), "{b}: in the partner's list");
        let again = v.get(&path).await;
        assert!(again.body.contains("has been accepted"), "{b}");
        assert!(!again.body.contains("accept-invitation"), "{b}");
    }
}

#[tokio::test]
async fn accepting_a_link_again_says_the_relationship_is_already_active_in_the_pages_language() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let token = w.invitation(false).await;
        let path = format!("/invitations/{token}");
        let mut v = w.visitor_as(&w.customer.admin).await;
        let ru = v.submit("/profile", "/profile/language", &[("lang", "ru")]).await;
        assert_eq!(ru.location(), "/profile", "{b}");

        // The form is opened, accepted, and sent again (a second tab, the back button).
        let page = v.get(&path).await;
        let csrf = page.csrf();
        let done = v.post(&format!("{path}/accept"), &[("_csrf", &csrf)]).await;
        assert_eq!(done.location(), "/partners", "{b}: {}", done.body);
        let again = v.post(&format!("{path}/accept"), &[("_csrf", &csrf)]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{b}: {}", again.body);
        assert!(
            again.body.contains("Отношения реселлера с этим партнёром уже активны."),
            "{b}: {}",
            again.body
        );
        assert!(!again.body.contains("уже ответили"), "{b}: not that the link was used");
        assert!(!again.body.contains("already"), "{b}: no English on a Russian page");

        // A second link of the same partner says the same.
        let second = w.invitation(false).await;
        let path = format!("/invitations/{second}");
        let page = v.get(&path).await;
        let refused = v.post(&format!("{path}/accept"), &[("_csrf", &page.csrf())]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{b}");
        assert!(
            refused
                .body
                .contains("Отношения реселлера с этим партнёром уже активны."),
            "{b}: {}",
            refused.body
        );
    }
}

#[tokio::test]
async fn a_partner_user_sees_the_invitation_but_is_told_only_the_customers_admin_answers() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let token = w.invitation(false).await;
        let path = format!("/invitations/{token}");
        let other = w.t.partner(PartnerType::Direct).await;
        let mut v = w.visitor_as(&other.admin).await;
        let page = v.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains(&w.partner_name), "{b}");
        assert!(page.body.contains("Not asked for"), "{b}: no DAP in this one");
        assert!(
            page.body
                .contains("Only the invited customer&#39;s global admin can answer"),
            "{b}: {}",
            page.body
        );
        assert!(!page.body.contains("accept-invitation"), "{b}");
        // Posting anyway is refused, in words, and changes nothing.
        let refused = v.post(&format!("{path}/accept"), &[("_csrf", &page.csrf())]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{b}");
        assert!(
            refused.body.contains("Your role may not answer relationship requests"),
            "{b}: {}",
            refused.body
        );
        let seen = w.t.app.view_invitation(&token).await.expect("view");
        assert_eq!(seen.state, RequestState::Pending, "{b}");

        // A customer user who is not its global admin is told to pass the link on.
        let user = w.t.user_with_role(&w.customer.admin, "user").await;
        let mut u = w.visitor_as(&user).await;
        let page = u.get(&path).await;
        assert!(page.body.contains("Send them this link"), "{b}");
        assert!(!page.body.contains("accept-invitation"), "{b}");
    }
}

#[tokio::test]
async fn an_expired_declined_or_unknown_link_says_so() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let declined = w.invitation(false).await;
        let expired = w.invitation(false).await;
        let mut v = w.visitor_as(&w.customer.admin).await;

        // Declined: nothing opens, and the link says it was declined.
        let path = format!("/invitations/{declined}");
        let done = v.submit(&path, &format!("{path}/decline"), &[]).await;
        assert_eq!(done.location(), path, "{b}");
        let page = v.get(&path).await;
        assert!(page.notice().expect("notice").contains("You declined"), "{b}");
        assert!(page.body.contains("was declined and cannot be answered again"), "{b}");
        assert!(!w.partner_has_customer().await, "{b}");

        // Expired (the request lives 90 days; the session only 12 hours).
        let path = format!("/invitations/{expired}");
        w.t.clock.advance(Duration::days(91));
        let mut v = w.visitor_as(&w.customer.admin).await;
        let page = v.get(&path).await;
        assert_eq!(page.status, StatusCode::GONE, "{b}");
        assert!(page.body.contains("has expired"), "{b}: {}", page.body);
        assert!(page.body.contains("send you a new one"), "{b}: says what to do");
        assert!(!page.body.contains("accept-invitation"), "{b}");
        // An answer posted anyway (a form opened before it expired) is refused, saying why.
        let late = v.post(&format!("{path}/accept"), &[("_csrf", &page.csrf())]).await;
        assert_eq!(late.status, StatusCode::GONE, "{b}");
        assert!(late.body.contains("has expired or was revoked"), "{b}: {}", late.body);
        assert!(!w.partner_has_customer().await, "{b}");

        // Unknown, in the visitor's language.
        let mut anon = Visitor::new(&w.router);
        let page = anon.get("/invitations/not-a-real-token").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}");
        assert!(page.body.contains("This invitation link is not valid"), "{b}");
        let ru = v.submit("/profile", "/profile/language", &[("lang", "ru")]).await;
        assert_eq!(ru.location(), "/profile", "{b}");
        let page = v.get("/invitations/not-a-real-token").await;
        assert!(page.body.contains("Эта ссылка-приглашение недействительна"), "{b}");
    }
}

// --- partner relationships ---

#[tokio::test]
async fn the_customer_ends_a_relationship_only_once_no_subscription_is_active_with_every_effect_stated() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        w.work_together().await;
        let active = w.t.buy(&w.partner, w.customer.id, 2).await;
        let supported = w.t.buy(&w.partner, w.customer.id, 3).await;
        w.t.app
            .update_subscription_support_contact(&w.partner.admin, w.customer.id, supported.id, w.partner.id)
            .await
            .expect("support contact");
        w.t.app
            .suspend_subscription(&w.partner.admin, w.customer.id, supported.id)
            .await
            .expect("suspend");
        let pid = w.partner.id.to_string();
        let mut v = w.visitor_as(&w.customer.admin).await;

        // Refused while a subscription is active: inactive, with the reason and which one.
        let list = v.get("/partners").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        assert!(
            list.body.contains(&format!("id=\"end-{pid}\" disabled")),
            "{b}: the action is inactive: {}",
            list.body
        );
        assert!(list.body.contains("has one active subscription with you"), "{b}");
        assert!(list.body.contains(&active.friendly_name), "{b}: names the blocker");
        assert!(list.body.contains("id=\"mypartners-history\""), "{b}: the old partner");
        let confirm = v.get(&format!("/partners/{pid}/end")).await;
        assert_eq!(confirm.location(), "/partners", "{b}: no confirmation while blocked");
        // Posted anyway (a subscription became active meanwhile): refused, saying why.
        let refused = v
            .post(&format!("/partners/{pid}/end"), &[("_csrf", &list.csrf())])
            .await;
        assert_eq!(refused.location(), "/partners", "{b}");
        let after = v.get("/partners").await;
        assert!(after.refusal().expect("refusal").contains("was not ended"), "{b}");
        assert!(w.partner_has_customer().await, "{b}");

        // Once nothing is active: a confirmation stating every effect, then done.
        w.t.app
            .suspend_subscription(&w.partner.admin, w.customer.id, active.id)
            .await
            .expect("suspend");
        let list = v.get("/partners").await;
        assert!(
            list.body.contains(&format!("href=\"/partners/{pid}/end\"")),
            "{b}: {}",
            list.body
        );
        let confirm = v.get(&format!("/partners/{pid}/end")).await;
        assert_eq!(confirm.status, StatusCode::OK, "{b}");
        let effects = confirm.body.split("<ul class=\"effects\">").nth(1).expect("effects");
        let effects = effects.split("</ul>").next().unwrap_or_default();
        assert_eq!(effects.matches("<li>").count(), 5, "{b}: every effect: {effects}");
        assert!(
            effects.contains("from the subscription that names"),
            "{b}: the support assignment"
        );
        assert!(effects.contains("delegated admin rights (DAP)"), "{b}");
        assert!(confirm.body.contains("Suspended subscriptions stay suspended"), "{b}");
        let ended = v
            .post(
                &format!("/partners/{pid}/end"),
                &[("_csrf", &confirm.csrf()), ("reason", "switching")],
            )
            .await;
        assert_eq!(ended.location(), "/partners", "{b}");
        let list = v.get("/partners").await;
        assert!(list.notice().expect("notice").contains("has ended"), "{b}");
        assert!(list.body.contains("You have no active partner"), "{b}");
        let history = list.body.split("id=\"mypartners-history\"").nth(1).expect("history");
        assert!(history.contains(&w.partner_name), "{b}: it stays as history");

        assert!(!w.partner_has_customer().await, "{b}: gone from the partner's list");
        let err =
            w.t.app
                .get_customer(&w.partner.admin, w.customer.id)
                .await
                .expect_err("closed");
        assert_eq!(err.code(), "no_active_relationship", "{b}");
        let subs =
            w.t.app
                .list_subscriptions(&w.customer.admin, w.customer.id)
                .await
                .expect("subscriptions");
        assert!(subs.iter().all(|s| s.support_partner_id.is_none()), "{b}");
    }
}

#[tokio::test]
async fn only_the_customers_global_admin_changes_relationships_and_partners_are_refused() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        w.work_together().await;
        let pid = w.partner.id.to_string();
        let user = w.t.user_with_role(&w.customer.admin, "user").await;
        let mut u = w.visitor_as(&user).await;
        let list = u.get("/partners").await;
        assert_eq!(list.status, StatusCode::OK, "{b}: a customer user sees its partners");
        assert!(list.body.contains(&w.partner_name), "{b}");
        assert!(!list.body.contains(&format!("/partners/{pid}/end")), "{b}: no actions");
        assert!(list.body.contains("Only a global admin of your organisation"), "{b}");
        let confirm = u.get(&format!("/partners/{pid}/end")).await;
        assert_eq!(confirm.status, StatusCode::FORBIDDEN, "{b}");
        assert!(confirm.body.contains("Your role may not"), "{b}");

        // The partner is sent away from the customer's pages.
        let mut p = w.visitor_as(&w.partner.admin).await;
        let page = p.get("/partners").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{b}");
        assert!(page.body.contains("This page is for customers"), "{b}");

        // Another customer's admin learns nothing of this partner.
        let stranger = w.t.customer_alone().await;
        let mut s = w.visitor_as(&stranger.admin).await;
        assert_eq!(
            s.get(&format!("/partners/{pid}/end")).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(
            s.get(&format!("/partners/{pid}/adminroles")).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_customer_removes_a_partners_admin_roles_after_a_confirmation_and_the_relationship_stays() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        w.work_together().await;
        add_gdap(&w).await;
        w.t.buy(&w.partner, w.customer.id, 1).await;
        let pid = w.partner.id.to_string();
        let mut v = w.visitor_as(&w.customer.admin).await;
        let list = v.get("/partners").await;
        assert!(list.body.contains("Granular delegated admin (GDAP): 1"), "{b}");
        assert!(
            list.body.contains(&format!("href=\"/partners/{pid}/adminroles\"")),
            "{b}: at any time, even with active subscriptions"
        );
        let confirm = v.get(&format!("/partners/{pid}/adminroles")).await;
        assert_eq!(confirm.status, StatusCode::OK, "{b}");
        assert!(confirm.body.contains("delegated admin rights (DAP)"), "{b}");
        assert!(confirm.body.contains("terminate the GDAP relationship"), "{b}");
        assert!(confirm.body.contains("The reseller relationship stays"), "{b}");
        let done = v
            .post(&format!("/partners/{pid}/adminroles"), &[("_csrf", &confirm.csrf())])
            .await;
        assert_eq!(done.location(), "/partners", "{b}");
        let list = v.get("/partners").await;
        assert!(
            list.notice().expect("notice").contains("(2 rights ended)"),
            "{b}: {:?}",
            list.notice()
        );
        assert!(list.body.contains("No admin roles"), "{b}");
        assert!(!list.body.contains(&format!("/partners/{pid}/adminroles")), "{b}");

        let view =
            w.t.app
                .get_customer(&w.partner.admin, w.customer.id)
                .await
                .expect("still a reseller");
        assert!(!view.delegated_access, "{b}: DAP gone");
        assert_eq!(
            view.relationship.map(|r| r.state),
            Some(RelationshipState::Active),
            "{b}"
        );
        let again = v.get(&format!("/partners/{pid}/adminroles")).await;
        assert!(again.body.contains("there is nothing to remove"), "{b}");
        assert!(!again.body.contains("confirm-remove-roles"), "{b}");

        // The partner asks for delegated admin again: the invitation offers Accept to a
        // customer it already works with, and accepting brings DAP back.
        let token = w.invitation(true).await;
        let page = v.get(&format!("/invitations/{token}")).await;
        assert!(page.body.contains("id=\"accept-invitation\""), "{b}: {}", page.body);
        let accepted = v
            .post(&format!("/invitations/{token}/accept"), &[("_csrf", &page.csrf())])
            .await;
        assert_eq!(accepted.location(), "/partners", "{b}");
        let view =
            w.t.app
                .get_customer(&w.partner.admin, w.customer.id)
                .await
                .expect("still a reseller");
        assert!(view.delegated_access, "{b}: DAP is back");
    }
}

// --- profile ---

#[tokio::test]
async fn a_token_form_submitted_twice_makes_one_token_and_does_not_show_its_secret_again() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let mut v = w.visitor_as(&w.partner.admin).await;
        let profile = v.get("/profile").await;
        let once = profile
            .body
            .split("action=\"/profile/tokens\"")
            .nth(1)
            .and_then(|form| form.split("name=\"_form\" value=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .expect("a one-time form token")
            .to_string();
        let fields = [
            ("_csrf", profile.csrf()),
            ("_form", once),
            ("name", "twice".to_string()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let first = v.post("/profile/tokens", &fields).await;
        assert_eq!(first.status, StatusCode::OK, "{b}: {}", first.body);
        let secret = first
            .attribute_after("id=\"token-secret\" type=\"text\" class=\"secret\" readonly value=\"")
            .expect("the secret is shown");
        let second = v.post("/profile/tokens", &fields).await;
        assert_eq!(second.status, StatusCode::SEE_OTHER, "{b}: {}", second.body);
        assert_eq!(second.location(), "/profile", "{b}");
        assert!(!second.body.contains(&secret), "{b}: the secret is shown once");
        let tokens = w.t.app.list_api_tokens(&w.partner.admin).await.expect("tokens");
        assert_eq!(tokens.iter().filter(|t| t.name.as_str() == "twice").count(), 1, "{b}");
    }
}

#[tokio::test]
async fn a_personal_token_is_shown_once_then_only_listed_and_can_be_revoked() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let mut v = w.visitor_as(&w.partner.admin).await;
        let profile = v.get("/profile").await;
        assert_eq!(profile.status, StatusCode::OK, "{b}");
        assert!(profile.body.contains("You have no personal API tokens"), "{b}");

        // Bad input comes back with what was typed and what to change.
        let bad = v
            .post(
                "/profile/tokens",
                &[("_csrf", &profile.csrf()), ("name", "billing export"), ("days", "0")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(bad.body.contains("whole number of days from 1 to 3650"), "{b}");
        assert!(bad.body.contains("value=\"billing export\""), "{b}");
        let unnamed = v
            .post("/profile/tokens", &[("_csrf", &profile.csrf()), ("name", "  ")])
            .await;
        assert_eq!(unnamed.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(unnamed.body.contains("Give the token a name"), "{b}");

        let created = v
            .post(
                "/profile/tokens",
                &[("_csrf", &profile.csrf()), ("name", "billing export"), ("days", "30")],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{b}: {}", created.body);
        let secret = created
            .attribute_after("id=\"token-secret\" type=\"text\" class=\"secret\" readonly value=\"")
            .expect("the secret is shown");
        assert!(secret.starts_with("pd_"), "{b}: {secret}");
        assert!(created.body.contains("It will not be shown again"), "{b}");
        assert!(created.body.contains("Mar 31, 2026"), "{b}: the expiry");
        let caller = w.t.app.authenticate(&secret).await.expect("the token works");
        assert_eq!(caller.user_id, w.partner.admin.user_id, "{b}");

        // Afterwards only listed, never shown.
        let profile = v.get("/profile").await;
        assert!(profile.body.contains("billing export"), "{b}");
        assert!(!profile.body.contains(&secret), "{b}: the secret is not shown again");
        let id =
            w.t.app
                .list_api_tokens(&w.partner.admin)
                .await
                .expect("tokens")
                .into_iter()
                .find(|t| t.name.as_str() == "billing export")
                .expect("listed")
                .id
                .to_string();
        let revoke = format!("/profile/tokens/{id}/revoke");
        assert!(profile.body.contains(&format!("href=\"{revoke}\"")), "{b}");

        // Someone else cannot even see the confirmation.
        let mut other = w.visitor_as(&w.customer.admin).await;
        assert_eq!(other.get(&revoke).await.status, StatusCode::NOT_FOUND, "{b}");

        let confirm = v.get(&revoke).await;
        assert_eq!(confirm.status, StatusCode::OK, "{b}");
        assert!(confirm.body.contains("billing export"), "{b}");
        assert!(
            confirm.body.contains("stop every script or program that uses it"),
            "{b}"
        );
        let done = v.post(&revoke, &[("_csrf", &confirm.csrf())]).await;
        assert_eq!(done.location(), "/profile", "{b}");
        let profile = v.get("/profile").await;
        assert!(profile.notice().expect("notice").contains("was revoked"), "{b}");
        assert!(profile.body.contains("badge revoked"), "{b}");
        assert!(!profile.body.contains(&format!("href=\"{revoke}\"")), "{b}");
        assert!(w.t.app.authenticate(&secret).await.is_err(), "{b}: it stopped working");
        assert_eq!(v.get(&revoke).await.location(), "/profile", "{b}: nothing to ask");
    }
}

#[tokio::test]
async fn the_language_saved_on_the_profile_is_the_users_own_setting() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let mut v = w.visitor_as(&w.customer.admin).await;
        let profile = v.get("/profile").await;
        assert!(profile.body.contains("value=\"en\" id=\"lang-en\" checked"), "{b}");
        assert!(profile.body.contains("href=\"/partners\""), "{b}: a customer's nav");
        let saved = v.submit("/profile", "/profile/language", &[("lang", "ru")]).await;
        assert_eq!(saved.location(), "/profile", "{b}");
        assert!(saved
            .headers
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap_or_default().starts_with("pd_lang=ru")));
        let profile = v.get("/profile").await;
        assert!(profile.body.contains("<h1>Профиль</h1>"), "{b}");
        assert_eq!(profile.notice().as_deref(), Some("Язык сохранён."), "{b}");
        assert!(profile.body.contains("value=\"ru\" id=\"lang-ru\" checked"), "{b}");
        let me = w.t.app.me(&w.customer.admin).await.expect("me");
        assert_eq!(me.locale.as_str(), "ru-RU", "{b}");
        // A new session speaks Russian too.
        let mut again = w.visitor_as(&w.customer.admin).await;
        assert!(
            again.get("/partners").await.body.contains("Отношения с партнёрами"),
            "{b}"
        );
    }
}
