//! Use cases beyond the relationship rules: the operator's, the indirect provider's, DAP
//! consent, sign-in, and bad input that must change nothing. Each runs on every backend.

use partnerdesk_app::operator::{NewPartnerInput, OfferInput};
use partnerdesk_app::{AppError, SignInClient};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::DomainError;
use partnerdesk_testkit::{backends, TestApp, PASSWORD};

fn offer_input(min: i64, max: i64) -> OfferInput {
    OfferInput {
        name: "Backup".into(),
        description: String::new(),
        unit_type: "Licenses".into(),
        term_duration: "P1Y".into(),
        unit_price_minor: 100,
        currency: "usd".into(),
        min_quantity: min,
        max_quantity: max,
        countries: vec!["us".into()],
        is_available: true,
    }
}

#[tokio::test]
async fn only_the_operator_manages_partners_and_offers() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let err = t
            .app
            .create_offer(&partner.admin, offer_input(1, 10))
            .await
            .expect_err("partner");
        assert_eq!(err.code(), "forbidden_role", "{b}");
        let input = NewPartnerInput {
            name: "Sneaky".into(),
            partner_type: "direct".into(),
            admin_email: "x@sneaky.example".into(),
            admin_password: PASSWORD.into(),
            admin_name: None,
            indirect_provider_id: None,
        };
        let err = t.app.add_partner(&partner.admin, input).await.expect_err("partner");
        assert_eq!(err.code(), "forbidden_role", "{b}");
    }
}

#[tokio::test]
async fn an_offer_with_bad_bounds_is_refused_naming_the_property_and_a_stale_update_is_a_conflict() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let err = t
            .app
            .create_offer(&t.operator, offer_input(5, 2))
            .await
            .expect_err("max < min");
        assert!(
            matches!(
                err,
                AppError::Domain(DomainError::InvalidProperty {
                    property: "maximumQuantity",
                    ..
                })
            ),
            "{b}: {err:?}"
        );
        let offer = t
            .app
            .create_offer(&t.operator, offer_input(1, 10))
            .await
            .expect("create");
        assert_eq!(
            (offer.currency.as_str(), offer.countries[0].as_str()),
            ("USD", "US"),
            "{b}: normalised"
        );
        let updated = t
            .app
            .update_offer(&t.operator, offer.id, offer_input(1, 20), Some(offer.version))
            .await
            .expect("update");
        assert_eq!(updated.max_quantity, 20, "{b}");
        let err = t
            .app
            .update_offer(&t.operator, offer.id, offer_input(1, 30), Some(offer.version))
            .await
            .expect_err("stale");
        assert_eq!(err, AppError::VersionConflict("offer"), "{b}");
        assert_eq!(
            t.app.get_offer(&t.operator, offer.id).await.expect("get").max_quantity,
            20,
            "{b}: unchanged"
        );
    }
}

#[tokio::test]
async fn a_taken_admin_email_refuses_the_whole_partner() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let input = |name: &str| NewPartnerInput {
            name: name.into(),
            partner_type: "direct".into(),
            admin_email: "same@partner.example".into(),
            admin_password: PASSWORD.into(),
            admin_name: None,
            indirect_provider_id: None,
        };
        t.app.add_partner(&t.operator, input("First")).await.expect("first");
        let err = t
            .app
            .add_partner(&t.operator, input("Second"))
            .await
            .expect_err("email taken");
        assert_eq!(err.code(), "already_in_use", "{b}");
        let partners = t.app.list_partners(&t.operator, None, 100).await.expect("list");
        assert_eq!(
            partners.iter().filter(|p| p.name.as_str() == "Second").count(),
            0,
            "{b}: no half-made partner"
        );
    }
}

#[tokio::test]
async fn sign_in_does_not_tell_which_part_was_wrong() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let wrong_password = t
            .app
            .sign_in(&SignInClient::unknown(), "operator@vendor.example", "nope-nope-nope")
            .await
            .expect_err("wrong");
        let wrong_email = t
            .app
            .sign_in(&SignInClient::unknown(), "nobody@vendor.example", PASSWORD)
            .await
            .expect_err("wrong");
        assert_eq!(wrong_password, wrong_email, "{b}");
        assert!(
            t.app
                .sign_in(&SignInClient::unknown(), "OPERATOR@vendor.example", PASSWORD)
                .await
                .is_ok(),
            "{b}: e-mail is case-insensitive"
        );
    }
}

#[tokio::test]
async fn dap_needs_the_customers_consent_from_the_request() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_of(&partner).await; // created by the partner: no consent given
        let err = t
            .app
            .approve_dap(&partner.admin, customer.id)
            .await
            .expect_err("no consent");
        assert_eq!(err.code(), "delegated_admin_not_consented", "{b}");

        let other = t.customer_alone().await;
        let req = t
            .app
            .create_relationship_request(&partner.admin, true)
            .await
            .expect("request");
        t.app
            .accept_relationship_request(&other.admin, &req.token)
            .await
            .expect("accept");
        assert_eq!(
            t.app.terminate_dap(&partner.admin, other.id).await.expect("revoke"),
            1,
            "{b}"
        );
        assert!(
            !t.app
                .get_customer(&partner.admin, other.id)
                .await
                .expect("get")
                .delegated_access,
            "{b}"
        );
        let again = t
            .app
            .approve_dap(&partner.admin, other.id)
            .await
            .expect("consented: grant again");
        assert!(again.ended_at.is_none(), "{b}");
        assert!(
            t.app
                .get_customer(&partner.admin, other.id)
                .await
                .expect("get")
                .delegated_access,
            "{b}"
        );
    }
}

#[tokio::test]
async fn an_indirect_provider_links_and_unlinks_its_resellers() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let provider = t.partner(PartnerType::IndirectProvider).await;
        let reseller = t.partner(PartnerType::IndirectReseller).await;
        let direct = t.partner(PartnerType::Direct).await;

        let err = t
            .app
            .link_indirect_reseller(&direct.admin, reseller.id)
            .await
            .expect_err("direct partner");
        assert_eq!(err.code(), "partner_type_not_allowed", "{b}");
        let err = t
            .app
            .link_indirect_reseller(&provider.admin, direct.id)
            .await
            .expect_err("not a reseller");
        assert_eq!(err.code(), "invalid_property", "{b}");

        t.app
            .link_indirect_reseller(&provider.admin, reseller.id)
            .await
            .expect("link");
        let links = t.app.list_resellers(&provider.admin).await.expect("list");
        assert_eq!(
            links.iter().map(|l| l.reseller_id).collect::<Vec<_>>(),
            vec![reseller.id],
            "{b}"
        );
        let customer = t.customer_with(&provider, Some(reseller.id)).await;
        let seen = t
            .app
            .list_customers(&reseller.admin, None, None, 10)
            .await
            .expect("reseller list");
        assert_eq!(
            seen.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![customer.id],
            "{b}: both relationships open"
        );

        t.app
            .unlink_indirect_reseller(&provider.admin, reseller.id)
            .await
            .expect("unlink");
        assert!(
            t.app.list_resellers(&provider.admin).await.expect("list").is_empty(),
            "{b}"
        );
        let err = t
            .app
            .unlink_indirect_reseller(&provider.admin, reseller.id)
            .await
            .expect_err("twice");
        assert_eq!(err.code(), "not_found", "{b}");
    }
}

#[tokio::test]
async fn an_indirect_reseller_cannot_order_or_suspend_and_is_told_to_go_through_its_provider() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let provider = t.partner(PartnerType::IndirectProvider).await;
        let reseller = t.partner_under(PartnerType::IndirectReseller, Some(provider.id)).await;
        let customer = t.customer_with(&provider, Some(reseller.id)).await;
        let line = partnerdesk_app::orders::LineInput {
            offer_id: t.offer.id,
            quantity: 1,
            friendly_name: None,
        };
        let err = t
            .app
            .create_order(&reseller.admin, customer.id, vec![line.clone()], None)
            .await
            .expect_err("reseller");
        assert_eq!(err.code(), "partner_type_not_allowed", "{b}");
        let placed = t
            .app
            .create_order(&provider.admin, customer.id, vec![line], Some(reseller.id))
            .await
            .expect("provider");
        assert_eq!(
            placed.subscriptions[0].reseller_id,
            Some(reseller.id),
            "{b}: reseller of record"
        );
        let subs = t
            .app
            .list_subscriptions(&reseller.admin, customer.id)
            .await
            .expect("reseller sees it");
        assert_eq!(subs.len(), 1, "{b}");
        let err = t
            .app
            .suspend_subscription(&reseller.admin, customer.id, subs[0].id)
            .await
            .expect_err("reseller");
        assert_eq!(
            err.code(),
            "partner_type_not_allowed",
            "{b}: subscriptions are the provider's to manage"
        );
    }
}

#[tokio::test]
async fn customer_users_see_only_their_own_organisation() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let mine = t.customer_of(&partner).await;
        let theirs = t.customer_of(&partner).await;
        assert!(t.app.get_customer(&mine.admin, mine.id).await.is_ok(), "{b}");
        assert_eq!(
            t.app.get_customer(&mine.admin, theirs.id).await.expect_err("other"),
            AppError::NotFound("customer"),
            "{b}"
        );
        let err = t
            .app
            .list_subscriptions(&mine.admin, theirs.id)
            .await
            .expect_err("other");
        assert_eq!(err.code(), "not_found", "{b}");
    }
}
