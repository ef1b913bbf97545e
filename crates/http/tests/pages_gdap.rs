//! Router-level tests of the delegated admin (GDAP) screens, on every backend, through the
//! forms as a browser without JavaScript would: the partner creates a relationship (bad
//! input refused beside its field, what was typed kept), sends it for approval and gets the
//! link; the customer's global admin approves it from that link; the list by status and the
//! relationships ending within 30 days the home page counts; bulk extension with a result
//! per relationship; termination by either side after a confirmation; security groups;
//! another partner's or customer's relationship is not found.

use axum::http::StatusCode;
use axum::Router;
use chrono::Duration;
use partnerdesk_app::gdap::{GdapAction, GdapPatch, GdapStatus, NewGdapRelationship};
use partnerdesk_app::AppError;
use partnerdesk_app::{Caller, Clock};
use partnerdesk_domain::gdap::GLOBAL_ADMINISTRATOR_ROLE;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::GdapId;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::world::HELPDESK_ADMINISTRATOR;
use partnerdesk_testkit::{CustomerActor, PartnerActor, TestApp, TestDb, PASSWORD};

#[path = "common/dashboard.rs"]
mod dashboard;

use dashboard::{customer_name, email_of, org_name, Page, Visitor};

/// Microsoft Entra's User Administrator, in the default catalogue.
const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";

struct World {
    t: TestApp,
    router: Router,
    partner: PartnerActor,
    customer: CustomerActor,
    customer_name: String,
    partner_name: String,
}

impl World {
    async fn on(db: TestDb) -> World {
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await;
        let customer_name = customer_name(&t, &partner.admin, customer.id).await;
        let partner_name = org_name(&t, &partner.admin).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        World {
            t,
            router,
            partner,
            customer,
            customer_name,
            partner_name,
        }
    }

    async fn as_user(&self, caller: &Caller) -> Visitor {
        Visitor::signed_in(&self.router, &email_of(&self.t, caller).await, PASSWORD).await
    }

    async fn status(&self, id: GdapId) -> GdapStatus {
        self.t
            .app
            .gdap_relationship(&self.partner.admin, id)
            .await
            .expect("relationship")
            .status
    }
}

/// The id in a `/gdap/{id}` redirect.
fn created_id(page: &Page) -> GdapId {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location()
        .strip_prefix("/gdap/")
        .expect("on to the relationship")
        .parse()
        .expect("an id")
}

/// Switches a signed-in visitor's language to Russian.
async fn to_russian(v: &mut Visitor) {
    let csrf = v.get("/profile").await.csrf();
    let switched = v
        .post("/language", &[("_csrf", &csrf), ("lang", "ru"), ("back", "/profile")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_partner_creates_and_sends_a_relationship_and_the_customer_approves_it_from_the_link() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let mut partner = w.as_user(&w.partner.admin).await;
        let form = partner.get("/gdap/new").await;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        assert!(
            form.body.contains("Helpdesk Administrator"),
            "{b}: roles from the catalogue"
        );
        assert!(form.body.contains(&w.customer_name), "{b}: the partner's customers");

        let customer = w.customer.id.to_string();
        let good = [
            ("name", "Helpdesk for Contoso"),
            ("roles", HELPDESK_ADMINISTRATOR),
            ("days", "90"),
            ("auto_extend", "no"),
            ("customer", customer.as_str()),
        ];
        let created = partner.submit("/gdap/new", "/gdap/new", &good).await;
        let id = created_id(&created);
        let detail = partner.get(&format!("/gdap/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK, "{b}");
        assert!(detail.body.contains("Helpdesk Administrator"), "{b}: roles by name");
        assert!(detail.body.contains("id=\"send-for-approval\""), "{b}");
        assert!(
            !detail.body.contains("id=\"approval-link\""),
            "{b}: no link before sending"
        );

        let sent = partner
            .submit(&format!("/gdap/{id}"), &format!("/gdap/{id}/send"), &[])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{b}: {}", sent.body);
        assert_eq!(w.status(id).await, GdapStatus::ApprovalPending, "{b}");
        let detail = partner.get(&format!("/gdap/{id}")).await;
        let link = detail
            .attribute_after("id=\"approval-link\" type=\"text\" readonly value=\"")
            .expect("the approval link is shown");
        let path = format!("/partners/admin-relationships/{id}");
        assert!(link.ends_with(&path), "{b}: {link}");

        // The customer's global admin opens the link.
        let mut admin = w.as_user(&w.customer.admin).await;
        let ask = admin.get(&path).await;
        assert_eq!(ask.status, StatusCode::OK, "{b}: {}", ask.body);
        assert!(ask.body.contains(&w.partner_name), "{b}: who asks");
        assert!(ask.body.contains("Helpdesk Administrator"), "{b}: the role by name");
        assert!(
            ask.body.contains("Can reset passwords for non-administrators"),
            "{b}: what the role allows"
        );
        assert!(ask.body.contains("90 days"), "{b}: for how long");
        let approved = admin.submit(&path, &format!("{path}/approve"), &[]).await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER, "{b}: {}", approved.body);
        assert_eq!(w.status(id).await, GdapStatus::Active, "{b}");
        let after = admin.get(&path).await;
        assert!(!after.body.contains("id=\"approve\""), "{b}: answered once");
        let mine = admin.get("/partners/admin-relationships").await;
        assert!(mine.body.contains("Helpdesk for Contoso"), "{b}: the customer's list");

        // The partner sees it active, in English and in Russian.
        let active = partner.get("/gdap?status=active").await;
        assert!(active.body.contains("Helpdesk for Contoso"), "{b}");
        let pending = partner.get("/gdap?status=approvalPending").await;
        assert!(
            !pending.body.contains("Helpdesk for Contoso"),
            "{b}: filtered by status"
        );
        let other = w.t.customer_of(&w.partner).await;
        let theirs = partner.get(&format!("/gdap?customer={}", other.id)).await;
        assert!(
            !theirs.body.contains("Helpdesk for Contoso"),
            "{b}: filtered by customer"
        );
        let kept = format!("<input type=\"hidden\" name=\"customer\" value=\"{}\">", other.id);
        assert!(theirs.body.contains(&kept), "{b}: the status filter keeps the customer");
        let ours = partner.get(&format!("/gdap?customer={customer}&status=active")).await;
        assert!(ours.body.contains("Helpdesk for Contoso"), "{b}");
        to_russian(&mut partner).await;
        let ru = partner.get(&format!("/gdap/{id}")).await;
        assert!(ru.body.contains("Действуют"), "{b}: {}", ru.body);
        let ru_new = partner.get("/gdap/new").await;
        assert!(ru_new.body.contains("Срок в днях"), "{b}");
    }
}

#[tokio::test]
async fn the_customer_can_reject_and_the_new_form_refuses_bad_input_beside_the_field() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let mut partner = w.as_user(&w.partner.admin).await;
        let no_name = partner
            .submit(
                "/gdap/new",
                "/gdap/new",
                &[("name", " "), ("roles", HELPDESK_ADMINISTRATOR), ("days", "30")],
            )
            .await;
        assert_eq!(no_name.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(no_name.body.contains("id=\"name-error\""), "{b}: {}", no_name.body);
        assert!(
            no_name.body.contains(&format!(
                "value=\"{HELPDESK_ADMINISTRATOR}\" id=\"role-{HELPDESK_ADMINISTRATOR}\" checked"
            )),
            "{b}: the role chosen is kept"
        );
        let no_role = partner
            .submit("/gdap/new", "/gdap/new", &[("name", "Ops"), ("days", "30")])
            .await;
        assert_eq!(no_role.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(no_role.body.contains("id=\"roles-error\""), "{b}");
        assert!(no_role.body.contains("value=\"Ops\""), "{b}: the name typed is kept");
        let too_long = partner
            .submit(
                "/gdap/new",
                "/gdap/new",
                &[("name", "Ops"), ("roles", HELPDESK_ADMINISTRATOR), ("days", "731")],
            )
            .await;
        assert_eq!(too_long.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(too_long.body.contains("id=\"days-error\""), "{b}: {}", too_long.body);
        assert!(too_long.body.contains("value=\"731\""), "{b}");
        // Global Administrator cannot extend itself: the app's refusal, on the page.
        let refused = partner
            .submit(
                "/gdap/new",
                "/gdap/new",
                &[
                    ("name", "Everything"),
                    ("roles", GLOBAL_ADMINISTRATOR_ROLE),
                    ("days", "30"),
                    ("auto_extend", "yes"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(refused.body.contains("role=\"alert\""), "{b}: {}", refused.body);
        let listed = partner.get("/gdap").await;
        assert!(listed.body.contains("id=\"gdap-none\""), "{b}: nothing was created");

        // Russian refusals are Russian.
        to_russian(&mut partner).await;
        let ru = partner
            .submit("/gdap/new", "/gdap/new", &[("name", ""), ("days", "30")])
            .await;
        assert!(ru.body.contains("Введите название"), "{b}: {}", ru.body);

        // The customer rejects.
        let id =
            w.t.gdap(w.partner.id, w.customer.id, GdapStatus::ApprovalPending, None)
                .await;
        let mut admin = w.as_user(&w.customer.admin).await;
        let path = format!("/partners/admin-relationships/{id}");
        let rejected = admin.submit(&path, &format!("{path}/reject"), &[]).await;
        assert_eq!(rejected.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            w.status(id).await,
            GdapStatus::Terminated,
            "{b}: a rejected request ends"
        );
    }
}

#[tokio::test]
async fn the_home_count_leads_to_the_relationships_ending_within_30_days_and_bulk_extension_answers_each() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let now = w.t.clock.now();
        let soon =
            w.t.gdap(
                w.partner.id,
                w.customer.id,
                GdapStatus::Active,
                Some(now + Duration::days(10)),
            )
            .await;
        let later =
            w.t.gdap(
                w.partner.id,
                w.customer.id,
                GdapStatus::Active,
                Some(now + Duration::days(100)),
            )
            .await;
        // Global Administrator: it cannot extend itself.
        let everything =
            w.t.app
                .create_gdap_relationship(
                    &w.partner.admin,
                    NewGdapRelationship {
                        display_name: "Everything".into(),
                        duration: "P20D".into(),
                        roles: vec![GLOBAL_ADMINISTRATOR_ROLE.into()],
                        customer: Some(w.customer.id),
                        auto_extend: None,
                    },
                )
                .await
                .expect("create")
                .id;
        w.t.app
            .request_gdap_action(&w.partner.admin, everything, GdapAction::LockForApproval)
            .await
            .expect("lock");
        w.t.app
            .request_gdap_action(&w.customer.admin, everything, GdapAction::Approve)
            .await
            .expect("approve");

        let mut partner = w.as_user(&w.partner.admin).await;
        let home = partner.get("/home").await;
        assert!(
            home.body
                .contains("<a href=\"/gdap?ending=soon\" id=\"count-dap-expiring\"><span class=\"count\">2</span>"),
            "{b}: {}",
            home.body
        );
        let ending = partner.get("/gdap?ending=soon").await;
        assert_eq!(ending.status, StatusCode::OK, "{b}");
        assert!(ending.body.contains(&format!("/gdap/{soon}")), "{b}");
        assert!(ending.body.contains(&format!("/gdap/{everything}")), "{b}");
        assert!(
            !ending.body.contains(&format!("/gdap/{later}")),
            "{b}: ends in 100 days"
        );

        let (soon_s, everything_s) = (soon.to_string(), everything.to_string());
        let done = partner
            .submit(
                "/gdap",
                "/gdap/extend",
                &[("ids", soon_s.as_str()), ("ids", everything_s.as_str())],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{b}: {}", done.body);
        let results = done
            .body
            .split("id=\"bulk-results\"")
            .nth(1)
            .and_then(|r| r.split("</ul>").next())
            .expect("a result per relationship")
            .to_string();
        assert_eq!(results.matches("<li").count(), 2, "{b}: {results}");
        assert_eq!(results.matches("class=\"ok\"").count(), 1, "{b}: {results}");
        assert_eq!(results.matches("class=\"error\"").count(), 1, "{b}: {results}");
        assert!(
            results.contains("<li class=\"error\">Everything: "),
            "{b}: by name: {results}"
        );
        let extended = w.t.app.gdap_relationship(&w.partner.admin, soon).await.expect("soon");
        assert_eq!(extended.auto_extend_days, 180, "{b}");
        let refused =
            w.t.app
                .gdap_relationship(&w.partner.admin, everything)
                .await
                .expect("everything");
        assert_eq!(refused.auto_extend_days, 0, "{b}: refused, unchanged");
        let ending = partner.get("/gdap?ending=soon").await;
        assert!(
            !ending.body.contains(&format!("/gdap/{soon}")),
            "{b}: extends itself now"
        );

        let none = partner.submit("/gdap", "/gdap/extend", &[]).await;
        assert_eq!(none.status, StatusCode::SEE_OTHER, "{b}: nothing ticked");
        let back = partner.get(none.location()).await;
        assert!(back.refusal().is_some(), "{b}: says to tick one: {}", back.body);
    }
}

#[tokio::test]
async fn either_side_terminates_after_a_confirmation_and_others_find_nothing() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let by_partner = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Active, None).await;
        let by_customer = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Active, None).await;
        let other = w.t.partner(PartnerType::Direct).await;
        let other_customer = w.t.customer_of(&other).await;
        let mut intruder = w.as_user(&other.admin).await;
        let mut stranger = w.as_user(&other_customer.admin).await;
        for uri in [format!("/gdap/{by_partner}"), format!("/gdap/{by_partner}/terminate")] {
            let page = intruder.get(&uri).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}: another partner on {uri}");
            assert!(!page.body.contains("Helpdesk access"), "{b}: {uri} leaks the name");
        }
        let tried = intruder
            .submit("/gdap", &format!("/gdap/{by_partner}/terminate"), &[])
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{b}");
        let tried = intruder
            .submit("/gdap", &format!("/gdap/{by_partner}/extend"), &[])
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{b}");
        let page = stranger
            .get(&format!("/partners/admin-relationships/{by_partner}"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}: another customer");
        let tried = stranger
            .submit(
                "/partners/admin-relationships",
                &format!("/partners/admin-relationships/{by_partner}/terminate"),
                &[],
            )
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(w.status(by_partner).await, GdapStatus::Active, "{b}: untouched");

        let mut partner = w.as_user(&w.partner.admin).await;
        let confirm = format!("/gdap/{by_partner}/terminate");
        let page = partner.get(&confirm).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("id=\"confirm-terminate\""), "{b}");
        assert_eq!(w.status(by_partner).await, GdapStatus::Active, "{b}: only asked");
        let done = partner.submit(&confirm, &confirm, &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{b}: {}", done.body);
        assert_eq!(w.status(by_partner).await, GdapStatus::Terminated, "{b}");

        let mut admin = w.as_user(&w.customer.admin).await;
        let confirm = format!("/partners/admin-relationships/{by_customer}/terminate");
        let page = admin.get(&confirm).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        let done = admin.submit(&confirm, &confirm, &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{b}: {}", done.body);
        assert_eq!(w.status(by_customer).await, GdapStatus::Terminated, "{b}: rule 8");
    }
}

#[tokio::test]
async fn security_groups_are_made_filled_and_given_access_in_a_relationship() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let id = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Active, None).await;
        let mut partner = w.as_user(&w.partner.admin).await;
        let blank = partner
            .submit("/security-groups", "/security-groups", &[("name", "  ")])
            .await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(blank.body.contains("id=\"name-error\""), "{b}: {}", blank.body);
        let made = partner
            .submit("/security-groups", "/security-groups", &[("name", "Tier 1 support")])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{b}: {}", made.body);
        let group_page = made.location().to_string();
        let page = partner.get(&group_page).await;
        assert!(page.body.contains("id=\"members-none\""), "{b}");
        let me = w.partner.admin.user_id.to_string();
        let added = partner
            .submit(&group_page, &format!("{group_page}/members"), &[("user", me.as_str())])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{b}");
        let page = partner.get(&group_page).await;
        assert!(page.body.contains("id=\"members\""), "{b}: {}", page.body);
        let group = group_page.rsplit('/').next().expect("id").to_string();
        let detail = format!("/gdap/{id}");
        let no_role = partner
            .submit(&detail, &format!("{detail}/access"), &[("group", group.as_str())])
            .await;
        assert_eq!(no_role.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            no_role.body.contains("id=\"access-roles-error\""),
            "{b}: {}",
            no_role.body
        );
        assert!(
            no_role.body.contains("id=\"assignments-none\""),
            "{b}: nothing assigned"
        );
        let assigned = partner
            .submit(
                &detail,
                &format!("{detail}/access"),
                &[("group", group.as_str()), ("roles", HELPDESK_ADMINISTRATOR)],
            )
            .await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{b}: {}", assigned.body);
        let page = partner.get(&detail).await;
        let table = page
            .body
            .split("id=\"access-assignments\"")
            .nth(1)
            .expect("the assignments");
        assert!(table.contains("Tier 1 support"), "{b}: the group by name");
        assert!(table.contains("Helpdesk Administrator"), "{b}: the roles by name");
        let removed = partner
            .submit(
                &group_page,
                &format!("{group_page}/members/remove"),
                &[("user", me.as_str())],
            )
            .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{b}");
        let page = partner.get(&group_page).await;
        assert!(page.body.contains("id=\"members-none\""), "{b}");
    }
}

/// The value of the hidden `version` field on a page.
#[tokio::test]
async fn a_relationship_not_yet_sent_is_deleted_after_a_confirmation_at_the_version_it_showed() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let id = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Created, None).await;
        let confirm = format!("/gdap/{id}/delete");
        let other = w.t.partner(PartnerType::Direct).await;
        let mut intruder = w.as_user(&other.admin).await;
        let page = intruder.get(&confirm).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}: another partner");
        let tried = intruder.submit("/gdap", &confirm, &[("version", "1")]).await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{b}");

        let mut partner = w.as_user(&w.partner.admin).await;
        let detail = partner.get(&format!("/gdap/{id}")).await;
        assert!(
            detail.body.contains(&format!("href=\"{confirm}\"")),
            "{b}: {}",
            detail.body
        );
        let page = partner.get(&confirm).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("id=\"confirm-delete\""), "{b}: {}", page.body);
        assert_eq!(w.status(id).await, GdapStatus::Created, "{b}: only asked");
        let read_at = version_on(&page);

        // Renamed after the confirmation was read: refused, nothing deleted, asked again.
        let g = w.t.app.gdap_relationship(&w.partner.admin, id).await.expect("g");
        let rename = GdapPatch {
            display_name: Some("Renamed meanwhile".into()),
            ..GdapPatch::default()
        };
        w.t.app
            .update_gdap_relationship(&w.partner.admin, id, g.version, rename)
            .await
            .expect("rename");
        let stale = partner.submit(&confirm, &confirm, &[("version", &read_at)]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}: {}", stale.body);
        assert!(stale.body.contains("id=\"form-error\""), "{b}: {}", stale.body);
        assert!(stale.body.contains("Renamed meanwhile"), "{b}: shows it as it is now");
        assert_eq!(w.status(id).await, GdapStatus::Created, "{b}: still there");

        to_russian(&mut partner).await;
        let ru = partner.get(&confirm).await;
        assert!(ru.body.contains("Удаление отношений GDAP"), "{b}: {}", ru.body);
        let version = version_on(&ru);
        let done = partner.submit(&confirm, &confirm, &[("version", &version)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{b}: {}", done.body);
        assert_eq!(done.location(), "/gdap", "{b}");
        let list = partner.get("/gdap").await;
        assert_eq!(list.notice().as_deref(), Some("Отношения GDAP удалены."), "{b}");
        assert!(!list.body.contains("Renamed meanwhile"), "{b}: gone from the list");
        let gone = w.t.app.gdap_relationship(&w.partner.admin, id).await;
        assert!(matches!(gone, Err(AppError::NotFound(_))), "{b}: {gone:?}");

        // Once sent, there is no delete button and a forged one is refused.
        let sent =
            w.t.gdap(w.partner.id, w.customer.id, GdapStatus::ApprovalPending, None)
                .await;
        let detail = partner.get(&format!("/gdap/{sent}")).await;
        assert!(!detail.body.contains("id=\"delete\""), "{b}: {}", detail.body);
        let confirm = format!("/gdap/{sent}/delete");
        let page = partner.get(&confirm).await;
        let version = version_on(&page);
        let refused = partner.submit(&confirm, &confirm, &[("version", &version)]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{b}: {}", refused.body);
        assert!(refused.body.contains("id=\"form-error\""), "{b}: {}", refused.body);
        assert_eq!(w.status(sent).await, GdapStatus::ApprovalPending, "{b}: untouched");
    }
}

fn version_on(page: &Page) -> String {
    page.attribute_after("name=\"version\" value=\"")
        .expect("the form carries its version")
}

#[tokio::test]
async fn a_relationship_is_changed_as_its_status_allows_and_a_stale_form_is_refused_with_the_current_values() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let id = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Created, None).await;
        let mut partner = w.as_user(&w.partner.admin).await;
        let edit = format!("/gdap/{id}/edit");
        let detail = partner.get(&format!("/gdap/{id}")).await;
        assert!(
            detail.body.contains(&format!("href=\"{edit}\"")),
            "{b}: {}",
            detail.body
        );
        let form = partner.get(&edit).await;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        assert!(
            form.body.contains("id=\"name\""),
            "{b}: a created one's name can change"
        );
        let version = version_on(&form);

        // Refused beside the field; nothing changes.
        let blank = partner
            .submit(
                &edit,
                &edit,
                &[
                    ("version", &version),
                    ("name", " "),
                    ("days", "60"),
                    ("roles", HELPDESK_ADMINISTRATOR),
                ],
            )
            .await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(blank.body.contains("id=\"name-error\""), "{b}: {}", blank.body);
        let before = w.t.app.gdap_relationship(&w.partner.admin, id).await.expect("g");
        let everything = [
            ("version", version.as_str()),
            ("name", "Everything"),
            ("days", "60"),
            ("roles", GLOBAL_ADMINISTRATOR_ROLE),
            ("auto_extend", "yes"),
        ];
        let refused = partner.submit(&edit, &edit, &everything).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(refused.body.contains("role=\"alert\""), "{b}: {}", refused.body);
        assert!(
            refused.body.contains("value=\"Everything\""),
            "{b}: what was typed is kept"
        );
        let after = w.t.app.gdap_relationship(&w.partner.admin, id).await.expect("g");
        assert_eq!(after, before, "{b}: nothing changed");

        let saved = partner
            .submit(
                &edit,
                &edit,
                &[
                    ("version", &version),
                    ("name", "Helpdesk, renamed"),
                    ("days", "60"),
                    ("roles", HELPDESK_ADMINISTRATOR),
                    ("auto_extend", "yes"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{b}: {}", saved.body);
        let g = w.t.app.gdap_relationship(&w.partner.admin, id).await.expect("g");
        assert_eq!(
            (g.display_name.as_str(), g.duration_days, g.auto_extend_days),
            ("Helpdesk, renamed", 60, 180),
            "{b}"
        );

        // The form read before that change is stale: refused, showing the values now.
        let stale = partner
            .submit(
                &edit,
                &edit,
                &[
                    ("version", &version),
                    ("name", "Lost"),
                    ("days", "30"),
                    ("roles", HELPDESK_ADMINISTRATOR),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}: {}", stale.body);
        assert!(stale.body.contains("id=\"form-error\""), "{b}: {}", stale.body);
        assert!(
            stale.body.contains("value=\"Helpdesk, renamed\""),
            "{b}: the current name"
        );
        assert!(stale.body.contains("value=\"60\""), "{b}: the current duration");
        assert_eq!(
            version_on(&stale),
            g.version.to_string(),
            "{b}: read again at the current version"
        );
        let unchanged = w.t.app.gdap_relationship(&w.partner.admin, id).await.expect("g");
        assert_eq!(unchanged, g, "{b}: the stale form changed nothing");

        // Waiting for the customer: nothing to change.
        w.t.app
            .request_gdap_action(&w.partner.admin, id, GdapAction::LockForApproval)
            .await
            .expect("lock");
        let locked = partner.get(&edit).await;
        assert_eq!(locked.status, StatusCode::OK, "{b}");
        assert!(locked.body.contains("id=\"gdap-not-editable\""), "{b}: {}", locked.body);

        // In force: its roles and auto-extension, not its name.
        let active = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Active, None).await;
        let edit = format!("/gdap/{active}/edit");
        let form = partner.get(&edit).await;
        assert!(!form.body.contains("id=\"name\""), "{b}: an active one keeps its name");
        let version = version_on(&form);
        let extended = partner
            .submit(
                &edit,
                &edit,
                &[
                    ("version", &version),
                    ("roles", HELPDESK_ADMINISTRATOR),
                    ("auto_extend", "yes"),
                ],
            )
            .await;
        assert_eq!(extended.status, StatusCode::SEE_OTHER, "{b}: {}", extended.body);
        let g = w.t.app.gdap_relationship(&w.partner.admin, active).await.expect("g");
        assert_eq!(g.auto_extend_days, 180, "{b}");
        to_russian(&mut partner).await;
        let ru = partner.get(&edit).await;
        assert!(ru.body.contains("Изменение отношения GDAP"), "{b}: {}", ru.body);
    }
}

#[tokio::test]
async fn access_assignments_change_roles_and_are_removed_after_a_confirmation() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let id = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Active, None).await;
        // Two roles in the relationship, one given to the group.
        let g = w.t.app.gdap_relationship(&w.partner.admin, id).await.expect("g");
        let two = vec![HELPDESK_ADMINISTRATOR.to_string(), USER_ADMINISTRATOR.to_string()];
        let patch = partnerdesk_app::gdap::GdapPatch {
            roles: Some(two),
            ..Default::default()
        };
        w.t.app
            .update_gdap_relationship(&w.partner.admin, id, g.version, patch)
            .await
            .expect("two roles");
        let (_, a) =
            w.t.security_group_with_access(
                &w.partner.admin,
                "Tier 2",
                w.partner.admin.user_id,
                id,
                &[HELPDESK_ADMINISTRATOR],
            )
            .await;
        let mut partner = w.as_user(&w.partner.admin).await;
        let page = format!("/gdap/{id}/access/{}", a.id);
        let detail = partner.get(&format!("/gdap/{id}")).await;
        assert!(
            detail.body.contains(&format!("href=\"{page}\"")),
            "{b}: {}",
            detail.body
        );
        let form = partner.get(&page).await;
        assert_eq!(form.status, StatusCode::OK, "{b}: {}", form.body);
        let version = version_on(&form);

        let none = partner.submit(&page, &page, &[("version", &version)]).await;
        assert_eq!(none.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(none.body.contains("id=\"roles-error\""), "{b}: {}", none.body);
        let saved = partner
            .submit(
                &page,
                &page,
                &[
                    ("version", &version),
                    ("roles", HELPDESK_ADMINISTRATOR),
                    ("roles", USER_ADMINISTRATOR),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{b}: {}", saved.body);
        let now = w.t.app.access_assignment(&w.partner.admin, id, a.id).await.expect("a");
        assert_eq!(now.roles.len(), 2, "{b}");
        // The form read before: refused with the roles as they are now.
        let stale = partner
            .submit(
                &page,
                &page,
                &[("version", &version), ("roles", HELPDESK_ADMINISTRATOR)],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}");
        assert!(stale.body.contains("id=\"form-error\""), "{b}: {}", stale.body);
        assert!(
            stale
                .body
                .contains(&format!("id=\"role-{USER_ADMINISTRATOR}\" checked")),
            "{b}: the current roles"
        );
        let same = w.t.app.access_assignment(&w.partner.admin, id, a.id).await.expect("a");
        assert_eq!(same, now, "{b}: the stale form changed nothing");

        let confirm = format!("{page}/remove");
        let asked = partner.get(&confirm).await;
        assert_eq!(asked.status, StatusCode::OK, "{b}");
        assert!(asked.body.contains("id=\"confirm-remove-access\""), "{b}");
        assert!(
            w.t.app.access_assignment(&w.partner.admin, id, a.id).await.is_ok(),
            "{b}: only asked"
        );
        let removed = partner
            .submit(&confirm, &confirm, &[("version", &now.version.to_string())])
            .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{b}: {}", removed.body);
        let left = w.t.app.access_assignments(&w.partner.admin, id).await.expect("list");
        assert!(left.is_empty(), "{b}: {left:?}");

        // Another partner finds none of it.
        let other = w.t.partner(PartnerType::Direct).await;
        let mut intruder = w.as_user(&other.admin).await;
        assert_eq!(intruder.get(&page).await.status, StatusCode::NOT_FOUND, "{b}");
    }
}

#[tokio::test]
async fn a_security_group_is_renamed_and_deleted_after_a_confirmation_unless_it_has_access() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let id = w.t.gdap(w.partner.id, w.customer.id, GdapStatus::Active, None).await;
        let (used, _) =
            w.t.security_group_with_access(
                &w.partner.admin,
                "Tier 3",
                w.partner.admin.user_id,
                id,
                &[HELPDESK_ADMINISTRATOR],
            )
            .await;
        let free =
            w.t.app
                .create_security_group(&w.partner.admin, "Night shift")
                .await
                .expect("group");
        let mut partner = w.as_user(&w.partner.admin).await;
        let page = format!("/security-groups/{}", free.id);
        let rename = format!("{page}/rename");
        let version = version_on(&partner.get(&page).await);
        let taken = partner
            .submit(&page, &rename, &[("version", &version), ("name", "tier 3")])
            .await;
        assert_eq!(taken.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(taken.body.contains("id=\"name-error\""), "{b}: {}", taken.body);
        assert!(taken.body.contains("value=\"tier 3\""), "{b}: what was typed is kept");
        let renamed = partner
            .submit(&page, &rename, &[("version", &version), ("name", "Day shift")])
            .await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{b}: {}", renamed.body);
        let now = w.t.app.security_group(&w.partner.admin, free.id).await.expect("group");
        assert_eq!(now.group.display_name, "Day shift", "{b}");
        let stale = partner
            .submit(&page, &rename, &[("version", &version), ("name", "Lost")])
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}");
        assert!(stale.body.contains("value=\"Day shift\""), "{b}: the current name");
        assert!(stale.body.contains("id=\"form-error\""), "{b}: {}", stale.body);

        // The one with access is not deleted; the confirmation says why.
        let used_page = format!("/security-groups/{}/delete", used.id);
        let asked = partner.get(&used_page).await;
        assert_eq!(asked.status, StatusCode::OK, "{b}");
        let refused = partner.submit(&used_page, &used_page, &[]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{b}");
        assert!(refused.body.contains("id=\"form-error\""), "{b}: {}", refused.body);
        assert!(w.t.app.security_group(&w.partner.admin, used.id).await.is_ok(), "{b}");

        let delete = format!("{page}/delete");
        let deleted = partner.submit(&delete, &delete, &[]).await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{b}: {}", deleted.body);
        let gone = w.t.app.security_group(&w.partner.admin, free.id).await;
        assert!(gone.is_err(), "{b}: deleted");
        let list = partner.get("/security-groups").await;
        assert!(!list.body.contains("Day shift"), "{b}");
        to_russian(&mut partner).await;
        let ru = partner.get(&used_page).await;
        assert!(ru.body.contains("Удаление группы безопасности"), "{b}: {}", ru.body);
    }
}

#[tokio::test]
async fn the_operator_adds_and_changes_roles_of_the_catalogue() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let w = World::on(db).await;
        let mut op = w.as_user(&w.t.operator).await;
        let home = op.get("/operator/roles").await;
        assert_eq!(home.status, StatusCode::OK, "{b}");
        assert!(home.body.contains("href=\"/operator/roles\""), "{b}: in the navigation");
        assert!(home.body.contains("Helpdesk Administrator"), "{b}");
        let bad = op
            .submit(
                "/operator/roles",
                "/operator/roles",
                &[("id", "Not an id!"), ("name", "Billing reader")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(bad.body.contains("id=\"id-error\""), "{b}: {}", bad.body);
        assert!(bad.body.contains("value=\"Billing reader\""), "{b}: kept");
        let added = op
            .submit(
                "/operator/roles",
                "/operator/roles",
                &[
                    ("id", "billing-reader"),
                    ("name", "Billing reader"),
                    ("description", "Reads invoices."),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{b}: {}", added.body);
        let again = op
            .submit(
                "/operator/roles",
                "/operator/roles",
                &[("id", "billing-reader"), ("name", "Twice")],
            )
            .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(again.body.contains("id=\"id-error\""), "{b}: the id is taken");
        let page = "/operator/roles/billing-reader";
        let form = op.get(page).await;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        let version = version_on(&form);
        let blank = op.submit(page, page, &[("version", &version), ("name", " ")]).await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(blank.body.contains("id=\"name-error\""), "{b}: {}", blank.body);
        let saved = op
            .submit(page, page, &[("version", &version), ("name", "Invoice reader")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{b}: {}", saved.body);
        let stale = op.submit(page, page, &[("version", &version), ("name", "Lost")]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{b}");
        assert!(stale.body.contains("value=\"Invoice reader\""), "{b}: the current name");
        let roles = w.t.app.roles().await.expect("roles");
        let role = roles.iter().find(|r| r.id == "billing-reader").expect("added");
        assert_eq!(role.name, "Invoice reader", "{b}");

        // A partner may not.
        let mut partner = w.as_user(&w.partner.admin).await;
        assert_eq!(
            partner.get("/operator/roles").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
    }
}
