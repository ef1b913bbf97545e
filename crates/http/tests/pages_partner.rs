//! Router-level tests of the partner's customer screens that change things: Orders (an order
//! placed, a bad number of seats refused with what was typed kept), Offboarding (refused on a
//! wrongly typed name, done on the right one), History, and requesting a relationship (the
//! invitation link and its e-mail). Each runs on every backend, through the forms, as a
//! browser without JavaScript would.

use axum::http::StatusCode;
use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_app::Caller;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::RelationshipState;
use partnerdesk_domain::request::RequestState;
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::CustomerId;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{CustomerActor, PartnerActor, TestApp, TestDb, PASSWORD};

#[path = "common/dashboard.rs"]
mod dashboard;

use dashboard::{customer_name, email_of, org_name, Page, Visitor};

/// The text between `start` and the next `end`.
fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let rest = text.split(start).nth(1)?;
    rest.split(end).next().map(str::to_string)
}

/// A partner with a customer of its own, signed in through the sign-in form.
struct World {
    t: TestApp,
    partner: PartnerActor,
    customer: CustomerActor,
    customer_name: String,
    client: Visitor,
}

impl World {
    async fn on(db: TestDb) -> World {
        World::with_locale(db, None).await
    }

    /// As [`World::on`], the partner's admin speaking `locale`.
    async fn with_locale(db: TestDb, locale: Option<&str>) -> World {
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        if let Some(locale) = locale {
            t.app.set_my_locale(&partner.admin, locale).await.expect("locale");
        }
        let customer = t.customer_of(&partner).await;
        let customer_name = customer_name(&t, &partner.admin, customer.id).await;
        let email = email_of(&t, &partner.admin).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        let client = Visitor::signed_in(&router, &email, PASSWORD).await;
        World {
            t,
            partner,
            customer,
            customer_name,
            client,
        }
    }

    fn uri(&self, tab: &str) -> String {
        format!("/customers/{}/{tab}", self.customer.id)
    }

    /// Orders `quantity` seats of the test offer through the Orders form (named `name`, if
    /// given); the form's answer, and the subscription it made.
    async fn order(&mut self, quantity: &str, name: Option<&str>) -> (Page, Option<Subscription>) {
        let orders = self.uri("orders");
        let offer = self.t.offer.id.to_string();
        let mut form = vec![("offer", offer.as_str()), ("quantity", quantity)];
        form.extend(name.map(|n| ("friendly_name", n)));
        let placed = self.client.submit(&orders, &orders, &form).await;
        let made = self
            .t
            .app
            .list_subscriptions(&self.t.operator, self.customer.id)
            .await
            .expect("subscriptions")
            .pop();
        (placed, made)
    }

    async fn subscription_statuses(&self, customer: CustomerId) -> Vec<SubscriptionStatus> {
        operator_subscriptions(&self.t, &self.t.operator, customer).await
    }
}

async fn operator_subscriptions(t: &TestApp, operator: &Caller, customer: CustomerId) -> Vec<SubscriptionStatus> {
    t.app
        .list_subscriptions(operator, customer)
        .await
        .expect("subscriptions")
        .iter()
        .map(|s| s.status)
        .collect()
}

#[tokio::test]
async fn an_order_is_placed_from_the_catalog_and_its_subscription_is_listed() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::on(db).await;
        let orders = w.uri("orders");
        let page = w.client.get(&orders).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Office Suite"),
            "the offer sold in the US is offered"
        );
        assert!(
            page.body.contains("At least 1, at most 100 seats."),
            "the form says the range: {}",
            page.body
        );
        assert!(page.body.contains("not placed any order"));
        let (placed, _) = w.order("7", Some("Sales team")).await;
        assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.body);
        assert_eq!(placed.location(), orders);
        let after = w.client.get(&orders).await;
        assert!(
            after.body.contains("Ordered 7 × Office Suite as “Sales team”."),
            "the notice names what was bought: {}",
            after.body
        );
        assert!(between(&after.body, "<table id=\"orders\">", "</table>")
            .is_some_and(|t| t.contains("Sales team") && t.contains(">7<")));
        let subscriptions = w.client.get(&w.uri("subscriptions")).await;
        assert!(
            subscriptions.body.contains("Sales team"),
            "the new subscription is listed"
        );
        assert_eq!(
            w.subscription_statuses(w.customer.id).await,
            vec![SubscriptionStatus::Active]
        );
    }
}

#[tokio::test]
async fn a_number_of_seats_out_of_range_is_refused_on_the_form_keeping_what_was_typed() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::on(db).await;
        let orders = w.uri("orders");
        let offer = w.t.offer.id.to_string();
        let refused = w
            .client
            .submit(
                &orders,
                &orders,
                &[
                    ("offer", &offer),
                    ("quantity", "500"),
                    ("friendly_name", "Whole company"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        let summary = between(&refused.body, "id=\"order-error\">", "</div>").expect("a summary on the form");
        assert!(summary.contains("Nothing was bought"), "{summary}");
        let beside = between(&refused.body, "id=\"quantity-error\">", "</p>").expect("an error beside the quantity");
        assert_eq!(
            beside,
            "Quantity 500 is outside the offer&#39;s range: at least 1, at most 100."
        );
        assert!(
            refused
                .body
                .contains("aria-describedby=\"quantity-hint quantity-error\" aria-invalid=\"true\""),
            "the quantity field points at its error"
        );
        assert!(refused.body.contains("value=\"500\""), "the number typed is kept");
        assert!(
            refused.body.contains("value=\"Whole company\""),
            "the name typed is kept"
        );
        assert!(refused.body.contains("aria-invalid=\"true\""));

        let not_a_number = w
            .client
            .submit(&orders, &orders, &[("offer", &offer), ("quantity", "seven")])
            .await;
        assert_eq!(not_a_number.status, StatusCode::UNPROCESSABLE_ENTITY);
        let beside = between(&not_a_number.body, "id=\"quantity-error\">", "</p>").expect("beside the quantity");
        assert!(beside.contains("as a whole number"), "{beside}");
        assert!(not_a_number.body.contains("value=\"seven\""));
        assert!(
            w.subscription_statuses(w.customer.id).await.is_empty(),
            "nothing bought"
        );
    }
}

#[tokio::test]
async fn a_refused_order_speaks_the_partners_language() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::with_locale(db, Some("ru-RU")).await;
        let orders = w.uri("orders");
        let offer = w.t.offer.id.to_string();
        let refused = w
            .client
            .submit(&orders, &orders, &[("offer", &offer), ("quantity", "0")])
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            refused.body.contains("Количество 0 вне допустимого"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("Ничего не куплено"));
    }
}

#[tokio::test]
async fn offboarding_is_refused_on_a_wrong_name_and_done_on_the_right_one() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::on(db).await;
        let (t, partner, customer) = (&w.t, &w.partner, w.customer.id);
        // Working together again, now with delegated admin.
        t.app
            .remove_relationship(&partner.admin, customer, None, None)
            .await
            .expect("remove");
        let request = t
            .app
            .create_relationship_request(&partner.admin, true)
            .await
            .expect("request");
        t.app
            .accept_relationship_request(&w.customer.admin, &request.token)
            .await
            .expect("accept");
        let first = t.buy(partner, customer, 3).await;
        t.buy(partner, customer, 4).await;
        let old = t.buy(partner, customer, 5).await;
        t.app
            .suspend_subscription(&partner.admin, customer, old.id)
            .await
            .expect("suspend");
        t.app
            .update_subscription_support_contact(&partner.admin, customer, first.id, partner.id)
            .await
            .expect("support contact");

        let tab = w.uri("offboarding");
        let preview = w.client.get(&tab).await;
        assert_eq!(preview.status, StatusCode::OK);
        let listed = between(&preview.body, "id=\"offboard-suspend\">", "</ul>").expect("the list");
        assert_eq!(
            listed.matches("<li>").count(),
            2,
            "the two active subscriptions: {listed}"
        );
        assert!(preview.body.contains("Subscriptions that will be suspended (2)"));
        let support = between(&preview.body, "id=\"offboard-support\">", "</ul>").expect("support");
        assert_eq!(support.matches("<li>").count(), 1, "{support}");
        let rights = between(&preview.body, "id=\"offboard-rights\">", "</ul>").expect("rights");
        assert!(
            rights.contains("Delegated admin (DAP), granted on Mar 1, 2026"),
            "{rights}"
        );

        let wrong = w
            .client
            .submit(&tab, &tab, &[("confirm_name", "Someone else"), ("reason", "Moving on")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("nothing was changed"), "{}", wrong.body);
        assert!(wrong.body.contains("value=\"Someone else\""), "what was typed is kept");
        assert!(wrong.body.contains(">Moving on</textarea>"), "the reason is kept");
        let statuses = w.subscription_statuses(customer).await;
        assert_eq!(
            statuses.iter().filter(|s| **s == SubscriptionStatus::Active).count(),
            2,
            "nothing changed"
        );
        assert!(w.t.app.get_customer(&w.partner.admin, customer).await.is_ok());

        let name = w.customer_name.clone();
        let done = w
            .client
            .submit(
                &tab,
                &tab,
                &[("confirm_name", &name), ("reason", "Moving on\r\nfor good")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), "/customers");
        let list = w.client.get("/customers").await;
        assert!(
            list.body
                .contains(&format!("{name} was offboarded: 2 subscriptions suspended")),
            "{}",
            list.body
        );
        assert!(
            !list.body.contains(&format!("/customers/{customer}/account")),
            "the customer is gone from the list"
        );
        let statuses = w.subscription_statuses(customer).await;
        assert!(
            statuses.iter().all(|s| *s == SubscriptionStatus::Suspended),
            "{statuses:?}"
        );
        let history =
            w.t.app
                .relationship_history(&w.customer.admin, customer)
                .await
                .expect("history");
        assert!(history.iter().all(|r| r.state == RelationshipState::Closed));
        assert!(history
            .iter()
            .any(|r| r.close_reason.as_deref() == Some("Moving on\nfor good")));

        // The tabs of a customer no longer worked with say so.
        let gone = w.client.get(&tab).await;
        assert_eq!(gone.status, StatusCode::FORBIDDEN, "{}", gone.body);
    }
}

#[tokio::test]
async fn the_history_shows_closed_and_active_relationships_and_who_ended_them() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::on(db).await;
        let me = w.t.app.me(&w.partner.admin).await.expect("me");
        let admin = me.display_name.as_str();
        w.t.app
            .remove_relationship(&w.partner.admin, w.customer.id, Some("Paused <for now>"), None)
            .await
            .expect("remove");
        let again =
            w.t.app
                .create_relationship_request(&w.partner.admin, true)
                .await
                .expect("request");
        w.t.app
            .accept_relationship_request(&w.customer.admin, &again.token)
            .await
            .expect("accept");
        let page = w.client.get(&w.uri("history")).await;
        assert_eq!(page.status, StatusCode::OK);
        let table = between(&page.body, "<tbody>", "</tbody>").expect("a table");
        assert_eq!(table.matches("<tr>").count(), 2, "{table}");
        let first_row = table.split("</tr>").next().unwrap_or_default();
        assert!(
            first_row.contains("Active") && first_row.contains("Consented"),
            "newest first"
        );
        assert!(table.contains("Closed"));
        assert!(table.contains(&format!("{admin} (your organisation)")), "{table}");
        assert!(
            table.contains("Paused &#60;for now&#62;"),
            "the reason, escaped: {table}"
        );
    }
}

#[tokio::test]
async fn a_request_shows_an_invitation_link_and_an_email_to_send() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::on(db).await;
        let partner_name = org_name(&w.t, &w.partner.admin).await;
        let customers = w.client.get("/customers").await;
        assert!(
            customers.body.contains("href=\"/customers/request\""),
            "linked from Customers"
        );
        let form = w.client.get("/customers/request").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("You have no pending requests."));

        let made = w
            .client
            .submit("/customers/request", "/customers/request", &[("include_dap", "yes")])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert_eq!(made.location(), "/customers/request?link=dap");
        let made = w.client.get(made.location()).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let input = between(&made.body, "id=\"invitation-link\"", ">").expect("the link input");
        assert!(input.contains("readonly"), "{input}");
        let url = between(&input, "value=\"", "\"").expect("a link");
        assert!(url.contains("/invitations/"), "{url}");
        let email = between(&made.body, "id=\"invitation-email\"", "</textarea>").expect("the e-mail");
        assert!(email.contains(&partner_name), "the e-mail names the partner: {email}");
        assert!(email.contains(&url), "the e-mail carries the link");
        assert!(email.contains("delegated admin rights (DAP)"), "{email}");
        // The test clock stands at Mar 1, 2026; requests last 90 days.
        assert!(email.contains("The link expires on May 30, 2026."), "{email}");
        let pending = between(&made.body, "<tbody>", "</tbody>").expect("pending requests");
        assert_eq!(pending.matches("<tr>").count(), 1);

        // The link is the invitation: the customer's admin sees who asks, and for what.
        let token = url.rsplit('/').next().expect("a token");
        let seen = w.t.app.view_invitation(token).await.expect("invitation");
        assert_eq!(seen.request.partner_id, w.partner.id);
        assert!(seen.request.include_dap);

        // Without delegated admin, the e-mail does not ask for it.
        let plain = w.client.submit("/customers/request", "/customers/request", &[]).await;
        assert_eq!(plain.location(), "/customers/request?link=reseller");
        let plain = w.client.get(plain.location()).await;
        let email = between(&plain.body, "id=\"invitation-email\"", "</textarea>").expect("the e-mail");
        assert!(!email.contains("DAP"), "{email}");
    }
}

#[tokio::test]
async fn a_request_email_is_written_in_the_partners_language() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::with_locale(db, Some("ru-RU")).await;
        let made = w.client.submit("/customers/request", "/customers/request", &[]).await;
        let made = w.client.get(made.location()).await;
        let email = between(&made.body, "id=\"invitation-email\"", "</textarea>").expect("the e-mail");
        assert!(email.contains("Здравствуйте!"), "{email}");
        assert!(email.contains("Ссылка действует до 30.05.2026."), "{email}");
    }
}

#[tokio::test]
async fn a_pending_request_is_revoked_after_a_confirmation_and_its_link_stops_working() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::on(db).await;
        let created =
            w.t.app
                .create_relationship_request(&w.partner.admin, false)
                .await
                .expect("request");
        let revoke = format!("/customers/request/{}/revoke", created.request.id);
        let list = w.client.get("/customers/request").await;
        assert!(
            list.body.contains(&format!("href=\"{revoke}\"")),
            "each pending request links to revoking it"
        );

        let confirm = w.client.get(&revoke).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(
            confirm.body.contains("The link stops working at once"),
            "the effect is stated first"
        );
        let seen = w.t.app.view_invitation(&created.token).await.expect("invitation");
        assert_eq!(seen.state, RequestState::Pending, "nothing changes before confirming");

        let done = w.client.submit(&revoke, &revoke, &[]).await;
        assert_eq!(done.location(), "/customers/request");
        let after = w.client.get("/customers/request").await;
        assert_eq!(
            after.notice().as_deref(),
            Some("The request was revoked; its link no longer works.")
        );
        assert!(after.body.contains("You have no pending requests."));
        let seen =
            w.t.app
                .view_invitation(&created.token)
                .await
                .expect("the link still explains itself");
        assert_eq!(seen.state, RequestState::Revoked, "the link no longer works");
        let customer = w.t.customer_alone().await;
        assert!(w
            .t
            .app
            .accept_relationship_request(&customer.admin, &created.token)
            .await
            .is_err());
        // Revoked already: there is nothing left to revoke.
        assert_eq!(w.client.get(&revoke).await.status, StatusCode::NOT_FOUND);

        // Another partner cannot revoke this partner's request.
        let other = w.t.partner(PartnerType::Direct).await;
        let theirs =
            w.t.app
                .create_relationship_request(&other.admin, false)
                .await
                .expect("request");
        let page = w
            .client
            .get(&format!("/customers/request/{}/revoke", theirs.request.id))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_search_with_a_control_character_is_refused_in_the_pages_language_with_the_text_kept() {
    for db in partnerdesk_testkit::backends().await {
        let mut w = World::on(db).await;
        for (name, domain) in [
            ("ООО «Ромашка»", "romashka.example"),
            ("Daisy 🌼 Florist", "daisy.example"),
        ] {
            w.t.app
                .add_customer(
                    &w.partner.admin,
                    NewCustomerInput {
                        company_name: name.into(),
                        domain: domain.into(),
                        country: "US".into(),
                        billing_contact: "Ann Buyer".into(),
                        billing_email: format!("billing@{domain}"),
                        admin_password: Some(PASSWORD.into()),
                        ..Default::default()
                    },
                )
                .await
                .expect("create customer");
        }
        let english = "A search cannot contain control characters";
        let russian = "Поиск не может содержать управляющие символы";
        for (typed, sent) in [("ab\u{0}c", "ab%00c"), ("ab\u{1}c", "ab%01c"), ("a\tb", "a%09b")] {
            let page = w.client.get(&format!("/customers?q={sent}")).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{typed:?}: {}", page.body);
            assert!(page.body.contains(english), "{typed:?}: {}", page.body);
            assert!(
                page.body.contains(&format!("value=\"{typed}\" aria-invalid=\"true\"")),
                "the text is kept in the search box: {}",
                page.body
            );
            assert!(!page.body.contains(&w.customer_name), "nothing is listed");
            let export = w.client.get(&format!("/customers/export.csv?q={sent}")).await;
            assert_eq!(export.status, StatusCode::BAD_REQUEST, "{typed:?}");
            assert!(
                export
                    .headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.starts_with("text/html")),
                "a page, not a file"
            );
            assert!(export.body.contains(english), "{}", export.body);
        }
        for (typed, found) in [("ромаш", "ООО «Ромашка»"), ("🌼", "Daisy 🌼 Florist")] {
            let q: String = form_urlencoded::byte_serialize(typed.as_bytes()).collect();
            let page = w.client.get(&format!("/customers?q={q}")).await;
            assert_eq!(page.status, StatusCode::OK, "{typed}");
            assert!(page.body.contains(found), "{typed}: {}", page.body);
            assert!(!page.body.contains(&w.customer_name), "{typed}: only what matches");
            let export = w.client.get(&format!("/customers/export.csv?q={q}")).await;
            assert_eq!(export.status, StatusCode::OK, "{typed}");
            assert!(export.body.contains(found), "{typed}: {}", export.body);
            assert_eq!(export.body.lines().count(), 2, "{typed}: {}", export.body);
        }
        // In Russian for a user who reads Russian.
        w.t.app.set_my_locale(&w.partner.admin, "ru-RU").await.expect("locale");
        let page = w.client.get("/customers?q=%00").await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(page.body.contains(russian), "{}", page.body);
        assert!(!page.body.contains(english));
    }
}

/// The one-time `_form` token of the form that posts to `action` on `page`.
fn form_token(page: &dashboard::Page, action: &str) -> String {
    let form = page
        .body
        .split(&format!("action=\"{action}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("a form posting to {action}: {}", page.body));
    between(form, "name=\"_form\" value=\"", "\"").expect("the form carries a one-time token")
}

#[tokio::test]
async fn the_same_order_form_submitted_twice_makes_one_subscription() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let orders = w.uri("orders");
        let page = w.client.get(&orders).await;
        let (csrf, token) = (page.csrf(), form_token(&page, &orders));
        let offer = w.t.offer.id.to_string();
        let fields = [
            ("_csrf", csrf.as_str()),
            ("_form", token.as_str()),
            ("offer", offer.as_str()),
            ("quantity", "3"),
            ("friendly_name", "Back office"),
        ];
        // A double click, or Back and submit again: the same form, the same token.
        let first = w.client.post(&orders, &fields).await;
        let second = w.client.post(&orders, &fields).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{b}: {}", first.body);
        assert_eq!(
            (second.status, second.location()),
            (first.status, first.location()),
            "{b}: the second submission gets the first answer"
        );
        assert_eq!(
            w.subscription_statuses(w.customer.id).await,
            vec![SubscriptionStatus::Active],
            "{b}: one purchase, one subscription"
        );

        // The page gives every form a fresh token: ordering again is a new order.
        let page = w.client.get(&orders).await;
        let again = form_token(&page, &orders);
        assert_ne!(again, token, "{b}");
        let fields = [
            ("_csrf", csrf.as_str()),
            ("_form", again.as_str()),
            ("offer", offer.as_str()),
            ("quantity", "3"),
        ];
        assert_eq!(w.client.post(&orders, &fields).await.status, StatusCode::SEE_OTHER);
        assert_eq!(w.subscription_statuses(w.customer.id).await.len(), 2, "{b}");
    }
}

#[tokio::test]
async fn the_link_page_shows_the_same_link_on_every_load_until_it_is_revoked() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let link_of = |page: &dashboard::Page| {
            let input = between(&page.body, "id=\"invitation-link\"", ">").expect("the link input");
            between(&input, "value=\"", "\"").expect("a link")
        };
        let made = w
            .client
            .submit("/customers/request", "/customers/request", &[("include_dap", "yes")])
            .await;
        let first = w.client.get(made.location()).await;
        let reload = w.client.get(made.location()).await;
        assert_eq!(link_of(&reload), link_of(&first), "{b}: a reload shows the same link");
        // Asking again with a new form gives the open link too.
        let asked_again = w
            .client
            .submit("/customers/request", "/customers/request", &[("include_dap", "yes")])
            .await;
        let asked_again = w.client.get(asked_again.location()).await;
        assert_eq!(link_of(&asked_again), link_of(&first), "{b}");
        let pending =
            w.t.app
                .list_relationship_requests(&w.partner.admin)
                .await
                .expect("requests")
                .into_iter()
                .filter(|r| r.state == RequestState::Pending)
                .collect::<Vec<_>>();
        assert_eq!(pending.len(), 1, "{b}: one pending request");

        // A link of the other kind is another request.
        let plain = w.client.submit("/customers/request", "/customers/request", &[]).await;
        let plain = w.client.get(plain.location()).await;
        assert_ne!(link_of(&plain), link_of(&first), "{b}");

        // Once revoked, the page offers the form again, and the form makes a new link.
        w.t.app
            .revoke_relationship_request(&w.partner.admin, pending[0].id)
            .await
            .expect("revoke");
        let after = w.client.get("/customers/request?link=dap").await;
        assert!(!after.body.contains("id=\"invitation-link\""), "{b}: {}", after.body);
        assert!(after.body.contains("id=\"create-request\""), "{b}: the form is back");
        let renewed = w
            .client
            .submit("/customers/request", "/customers/request", &[("include_dap", "yes")])
            .await;
        let renewed = w.client.get(renewed.location()).await;
        assert_ne!(link_of(&renewed), link_of(&first), "{b}: a new link after revocation");
    }
}

#[tokio::test]
async fn a_refusal_looks_and_sounds_unlike_a_success_and_an_error_page_keeps_the_signed_in_frame() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let sub = w.t.buy(&w.partner, w.customer.id, 3).await;
        let remove = w.uri("remove");
        let account = w.uri("account");
        let csrf = w.client.get(&account).await.csrf();

        // Refused while a subscription is active: an alert, not the green success banner.
        let refused = w.client.post(&remove, &[("_csrf", &csrf)]).await;
        assert_eq!(refused.location(), account, "{b}: {}", refused.body);
        let page = w.client.get(&account).await;
        let alert = page
            .refusal()
            .unwrap_or_else(|| panic!("{b}: the refusal is an alert: {}", page.body));
        assert!(alert.contains("one active subscription"), "{b}: {alert}");
        assert!(!alert.contains(&sub.id.to_string()), "{b}: no raw ids: {alert}");
        assert!(page.notice().is_none(), "{b}: not shown as a success");

        // Removed: a success, announced politely.
        w.t.app
            .suspend_subscription(&w.partner.admin, w.customer.id, sub.id)
            .await
            .expect("suspend");
        let removed = w.client.post(&remove, &[("_csrf", &csrf)]).await;
        assert_eq!(removed.location(), "/customers", "{b}: {}", removed.body);
        let list = w.client.get("/customers").await;
        assert!(
            list.notice().is_some_and(|n| n.contains("removed")),
            "{b}: {}",
            list.body
        );
        assert!(!list.body.contains("role=\"alert\""), "{b}");

        // Back to the removed customer's account: refused, inside the signed-in frame.
        let back = w.client.get(&account).await;
        assert!(back.status.is_client_error(), "{b}: {}", back.status);
        assert!(
            back.body.contains("href=\"/customers\""),
            "{b}: navigation: {}",
            back.body
        );
        assert!(
            back.body.contains("action=\"/signout\""),
            "{b}: sign out: {}",
            back.body
        );
    }
}

#[tokio::test]
async fn counts_and_terms_read_as_people_write_them_in_both_languages() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::with_locale(db, Some("ru-RU")).await;
        let list = w.client.get("/customers").await;
        assert!(list.body.contains("1 клиент"), "{b}: {}", list.body);
        assert!(!list.body.contains("Клиентов:"), "{b}");
        let orders = w.client.get(&w.uri("orders")).await;
        assert!(orders.body.contains("срок: месяц"), "{b}: {}", orders.body);
        assert!(!orders.body.contains("срок: Месяц"), "{b}");
        let request = w.client.get("/customers/request").await;
        assert!(!request.body.contains("посредник"), "{b}: one word for reseller");
        assert!(request.body.contains("реселлер"), "{b}");

        let csrf = list.csrf();
        w.client
            .post("/language", &[("_csrf", &csrf), ("lang", "en"), ("back", "/customers")])
            .await;
        let list = w.client.get("/customers").await;
        assert!(list.body.contains("1 customer\n"), "{b}: {}", list.body);
        assert!(!list.body.contains("customer(s)"), "{b}");
    }
}

#[tokio::test]
async fn the_removal_confirmation_states_only_what_will_happen() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let preview =
            w.t.app
                .offboarding_preview(&w.partner.admin, w.customer.id)
                .await
                .expect("preview");
        assert!(
            preview.dap_to_end.is_empty() && preview.gdap_to_terminate.is_empty(),
            "{b}: the partner holds no delegated admin rights"
        );
        assert!(preview.support_assignments_to_clear.is_empty(), "{b}");
        let confirm = w.client.get(&w.uri("remove")).await;
        assert_eq!(confirm.status, StatusCode::OK, "{b}: {}", confirm.body);
        let effects = between(&confirm.body, "<ul class=\"effects\">", "</ul>").expect("effects");
        assert!(
            !effects.contains("DAP"),
            "{b}: no delegated admin rights to end: {effects}"
        );
        assert!(!effects.contains("0 subscriptions"), "{b}: {effects}");
        assert!(effects.contains("support contacts;"), "{b}: {effects}");
        assert_eq!(effects.matches("<li>").count(), 4, "{b}: {effects}");
    }
}

#[tokio::test]
async fn a_removed_customer_stays_in_its_history_under_former_customers_read_only() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        w.t.app
            .remove_relationship(&w.partner.admin, w.customer.id, Some("Moved to a new partner"), None)
            .await
            .expect("remove");

        // The History tab it had still answers: with the history, under Former customers.
        let history = w.uri("history");
        let moved = w.client.get(&history).await;
        let former_page = format!("/customers/former/{}", w.customer.id);
        assert_eq!(moved.location(), former_page, "{b}: {}", moved.body);
        let page = w.client.get(&former_page).await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.body);
        assert!(page.body.contains(&w.customer_name), "{b}");
        assert!(page.body.contains("Moved to a new partner"), "{b}: the reason is kept");
        assert!(page.body.contains("badge closed"), "{b}");
        assert!(
            !page.body.contains("<form method=\"post\" action=\"/customers/"),
            "{b}: read-only"
        );

        // Listed under Former customers, linked from the customer list, which is empty now
        // and offers no export of nothing.
        let list = w.client.get("/customers").await;
        assert!(list.body.contains("href=\"/customers/former\""), "{b}");
        assert!(!list.body.contains("export.csv"), "{b}: no export of an empty list");
        let former = w.client.get("/customers/former").await;
        assert!(former.body.contains(&w.customer_name), "{b}: {}", former.body);
        assert!(former.body.contains(&former_page), "{b}");

        // Another partner sees nothing of it.
        let other = w.t.partner(PartnerType::Direct).await;
        let email = email_of(&w.t, &other.admin).await;
        let router = partnerdesk_http::router(w.t.app.clone(), HttpConfig::default());
        let mut stranger = Visitor::signed_in(&router, &email, PASSWORD).await;
        assert_eq!(stranger.get(&former_page).await.status, StatusCode::NOT_FOUND, "{b}");
        let theirs = stranger.get("/customers/former").await;
        assert!(!theirs.body.contains(&w.customer_name), "{b}");

        // Its account stays closed to the partner.
        let again = w.client.get(&w.uri("account")).await;
        assert!(again.status.is_client_error(), "{b}");
    }
}

#[tokio::test]
async fn a_search_that_finds_nothing_offers_no_export() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let all = w.client.get("/customers").await;
        assert!(all.body.contains("export.csv"), "{b}: customers to export");
        let none = w.client.get("/customers?q=zzzz-nothing").await;
        assert!(none.body.contains("zzzz-nothing"), "{b}");
        assert!(!none.body.contains("export.csv"), "{b}: {}", none.body);
    }
}

#[tokio::test]
async fn the_home_page_greets_the_partners_admin_by_name_and_asks_for_one_when_there_is_none() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let email = email_of(&w.t, &w.partner.admin).await;
        let home = w.client.get("/home").await;
        let h1 = between(&home.body, "<h1>", "</h1>").expect("a heading");
        assert_eq!(h1, "Welcome", "{b}: not greeted by an e-mail address");
        assert!(!h1.contains(&email), "{b}");
        assert!(home.body.contains("id=\"ask-name\""), "{b}: asked for a name");

        let saved = w
            .client
            .submit("/profile", "/profile/name", &[("name", "Ann Admin")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{b}: {}", saved.body);
        let home = w.client.get("/home").await;
        assert_eq!(
            between(&home.body, "<h1>", "</h1>").as_deref(),
            Some("Welcome, Ann Admin"),
            "{b}"
        );
        assert!(!home.body.contains("id=\"ask-name\""), "{b}");
    }
}

#[tokio::test]
async fn the_customer_list_is_sorted_by_name() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        for (name, domain) in [
            ("Zeta Works", "zeta.example"),
            ("alpine Ski", "alpine.example"),
            ("Mu Labs", "mu.example"),
        ] {
            w.t.app
                .add_customer(
                    &w.partner.admin,
                    NewCustomerInput {
                        company_name: name.into(),
                        domain: domain.into(),
                        country: "US".into(),
                        culture: None,
                        billing_contact: "Ann Buyer".into(),
                        billing_email: format!("billing@{domain}"),
                        billing_address: None,
                        admin_email: None,
                        admin_password: Some(PASSWORD.into()),
                        indirect_reseller_id: None,
                    },
                )
                .await
                .expect("create customer");
        }
        let list = w.client.get("/customers").await;
        let names: Vec<String> = list
            .body
            .split("/account\">")
            .skip(1)
            .filter_map(|rest| rest.split('<').next())
            .map(str::to_string)
            .collect();
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| n.to_lowercase());
        assert_eq!(names.len(), 4, "{b}: {names:?}");
        assert_eq!(names, sorted, "{b}: by name, whatever the case");
        assert_eq!(names[0], "alpine Ski", "{b}");
    }
}

#[tokio::test]
async fn the_customer_list_says_since_when_each_customer_is_served_and_whether_dap_is_held() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let with_dap = w.t.customer_with_dap(&w.partner).await;
        w.t.app
            .approve_dap(&w.partner.admin, with_dap.id)
            .await
            .expect("take up DAP");
        let today = w.t.app.now();
        let list = w.client.get("/customers").await;
        assert_eq!(list.status, StatusCode::OK, "{b}");
        let row_of =
            |id: CustomerId| between(&list.body, &format!("/customers/{id}/account\">"), "</tr>").expect("a row");
        let since = format!("Reseller since {}", today.format("%b %-d, %Y"));
        let plain = row_of(w.customer.id);
        assert!(plain.contains(&since), "{b}: {plain}");
        assert!(plain.contains("DAP: no"), "{b}: {plain}");
        let held = row_of(with_dap.id);
        assert!(held.contains(&since) && held.contains("DAP: yes"), "{b}: {held}");

        // In Russian, the same in the partner's words.
        w.t.app.set_my_locale(&w.partner.admin, "ru-RU").await.expect("locale");
        let email = email_of(&w.t, &w.partner.admin).await;
        let router = partnerdesk_http::router(w.t.app.clone(), HttpConfig::default());
        let mut ru = Visitor::signed_in(&router, &email, PASSWORD).await;
        let list = ru.get("/customers").await;
        let row = between(&list.body, &format!("/customers/{}/account\">", with_dap.id), "</tr>").expect("row");
        let since = format!("Отношения реселлера с {}", today.format("%d.%m.%Y"));
        assert!(row.contains(&since) && row.contains("DAP: есть"), "{b}: {row}");
        assert!(list.body.contains(">Состояние</th>"), "{b}: the column is named");
    }
}

#[tokio::test]
async fn a_subscription_is_cancelled_after_a_confirmation_that_says_what_cancelling_means() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let (placed, sub) = w.order("5", Some("Design team")).await;
        assert_eq!(placed.status, StatusCode::SEE_OTHER, "{b}");
        let sub = sub.expect("a subscription");
        let detail = format!("/customers/{}/subscriptions/{}", w.customer.id, sub.id);
        let page = w.client.get(&detail).await;
        assert!(
            page.body.contains(&format!("href=\"{detail}/cancel\"")),
            "{b}: the page offers to cancel"
        );

        let confirm = w.client.get(&format!("{detail}/cancel")).await;
        assert_eq!(confirm.status, StatusCode::OK, "{b}");
        let effects = between(&confirm.body, "id=\"cancel-effects\">", "</ul>").expect("effects");
        assert!(effects.contains("loses its 5 seats of"), "{b}: {effects}");
        assert!(effects.contains("cannot be reactivated"), "{b}: {effects}");
        assert!(
            confirm.body.contains("suspend it instead"),
            "{b}: the way back is named"
        );
        assert_eq!(
            w.subscription_statuses(w.customer.id).await,
            [SubscriptionStatus::Active],
            "{b}: nothing yet"
        );

        let done = w
            .client
            .submit(&format!("{detail}/cancel"), &format!("{detail}/cancel"), &[])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            w.subscription_statuses(w.customer.id).await,
            [SubscriptionStatus::Deleted],
            "{b}: active → deleted"
        );
        let after = w.client.get(&detail).await;
        assert!(after.body.contains("is cancelled (deleted)"), "{b}: the notice says so");
        assert!(
            !after.body.contains("id=\"cancel-subscription\""),
            "{b}: a deleted one is not offered again"
        );
        let again = w.client.get(&format!("{detail}/cancel")).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{b}: its confirmation leads back");
    }
}

#[tokio::test]
async fn a_subscriptions_support_contact_is_seen_and_set_among_the_customers_partners() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut w = World::on(db).await;
        let sub = w.order("2", None).await.1.expect("a subscription");
        let detail = format!("/customers/{}/subscriptions/{}", w.customer.id, sub.id);
        let action = format!("{detail}/support");
        let page = w.client.get(&detail).await;
        let shown = between(&page.body, "id=\"support-contact\">", "</dd>").expect("support contact");
        assert_eq!(shown, "None assigned", "{b}");
        let me = w.partner.id.to_string();
        assert!(
            page.body.contains(&format!("<option value=\"{me}\"")),
            "{b}: the partner is a choice"
        );

        // A partner the customer does not work with is refused beside the choice.
        let stranger = w.t.partner(PartnerType::Direct).await;
        let refused = w
            .client
            .submit(&detail, &action, &[("support", &stranger.id.to_string())])
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{b}");
        let why = between(&refused.body, "id=\"support-error\">", "</p>").expect("beside the choice");
        assert!(why.contains("pick one of the customer"), "{b}: {why}");

        let saved = w.client.submit(&detail, &action, &[("support", &me)]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{b}");
        let page = w.client.get(&detail).await;
        let shown = between(&page.body, "id=\"support-contact\">", "</dd>").expect("support contact");
        assert_ne!(shown, "None assigned", "{b}");
        let assigned =
            w.t.app
                .support_contact(&w.partner.admin, w.customer.id, sub.id)
                .await
                .expect("support contact")
                .expect("assigned");
        assert_eq!(assigned.id, w.partner.id, "{b}");
        assert_eq!(shown, assigned.name.as_str(), "{b}: the page names it");
    }
}
