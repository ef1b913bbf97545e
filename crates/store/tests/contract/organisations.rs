//! Organisations, users and reseller links.

use partnerdesk_domain::org::{OrgKind, PartnerType, ResellerLink, Role};
use partnerdesk_domain::values::{Domain, Name};
use partnerdesk_domain::*;
use partnerdesk_store::StoreError;

use crate::support::*;

#[tokio::test]
async fn the_operator_row_is_found_once_inserted() {
    for db in partnerdesk_testkit::backends().await {
        let id: OrgId = new_id();
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(tx.find_operator().await.expect("find operator"), None, "{}", db.backend);
        drop(tx);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_operator(id, "Example Cloud Operator", now())
            .await
            .expect("insert operator");
        tx.commit().await.expect("commit");
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_operator().await.expect("find operator"),
            Some(id),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_partner_and_a_cyrillic_customer_read_back_as_written() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_partner(p.id).await.expect("find partner"),
            Some(p.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_customer(c.id).await.expect("find customer"),
            Some(c.clone()),
            "{}",
            db.backend
        );
        assert_eq!(c.company.company_name.as_str(), "ООО Ромашка");
    }
}

#[tokio::test]
async fn a_partner_is_not_found_as_a_customer_nor_a_customer_as_a_partner() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_customer(CustomerId(p.id.0)).await.expect("find customer"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_partner(PartnerId(c.id.0)).await.expect("find partner"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_partner(new_id()).await.expect("find partner"),
            None,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn partners_are_listed_in_id_order_a_page_at_a_time() {
    for db in partnerdesk_testkit::backends().await {
        let partners: Vec<_> = (0..5).map(|i| partner(&format!("Partner {i}"))).collect();
        let mut tx = db.store.begin().await.expect("begin");
        // Inserted out of order: the list must still come back by id.
        for p in partners.iter().rev() {
            tx.insert_partner(p).await.expect("insert partner");
        }
        tx.insert_customer(&customer("Contoso", "contoso.example"))
            .await
            .expect("insert customer");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let first = tx.list_partners(None, 3).await.expect("first page");
        let rest = tx
            .list_partners(first.last().map(|p| p.id), 3)
            .await
            .expect("second page");
        assert_eq!(first, partners[..3], "{}", db.backend);
        assert_eq!(rest, partners[3..], "{}", db.backend);
    }
}

#[tokio::test]
async fn a_customer_update_bumps_the_version_and_a_stale_one_is_a_version_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let (_, c) = seed_pair(&db).await;
        let mut first = c.clone();
        first.company.company_name = Name::parse("companyName", "ООО Ромашка Плюс").expect("valid name");
        let mut stale = c.clone();
        stale.billing.contact_name = Name::parse("contactName", "Пётр").expect("valid name");

        let mut tx = db.store.begin().await.expect("begin");
        tx.update_customer(&first).await.expect("first update");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let err = tx.update_customer(&stale).await.expect_err("stale update");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        drop(tx);

        let mut tx = db.store.read().await.expect("read");
        let stored = tx.find_customer(c.id).await.expect("find").expect("exists");
        assert_eq!(stored.version, 2, "{}", db.backend);
        assert_eq!(
            stored.company.company_name.as_str(),
            "ООО Ромашка Плюс",
            "{}",
            db.backend
        );
        assert_eq!(
            stored.billing, c.billing,
            "{}: the stale update left no trace",
            db.backend
        );
    }
}

#[tokio::test]
async fn updating_a_customer_that_does_not_exist_is_not_found() {
    for db in partnerdesk_testkit::backends().await {
        let ghost = customer("Nobody", "nobody.example");
        let mut tx = db.store.begin().await.expect("begin");
        let err = tx.update_customer(&ghost).await.expect_err("no such customer");
        assert!(matches!(err, StoreError::NotFound(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn a_user_with_roles_reads_back_by_id_by_email_and_by_organisation() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let agent = user(
            p.id,
            OrgKind::Partner,
            "agent@fabrikam.example",
            &[Role::AdminAgent, Role::SalesAgent],
        );
        let admin = user(
            p.id,
            OrgKind::Partner,
            "admin@fabrikam.example",
            &[Role::PartnerGlobalAdmin],
        );
        let buyer = user(
            c.id,
            OrgKind::Customer,
            "buyer@romashka.example",
            &[Role::CustomerGlobalAdmin],
        );
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_user(&agent, "hash-agent").await.expect("insert agent");
        tx.insert_user(&admin, "hash-admin").await.expect("insert admin");
        tx.insert_user(&buyer, "hash-buyer").await.expect("insert buyer");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_user(agent.id).await.expect("find"),
            Some(agent.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_user(buyer.id).await.expect("find"),
            Some(buyer.clone()),
            "{}",
            db.backend
        );
        let creds = tx
            .find_user_by_email(&buyer.email)
            .await
            .expect("by email")
            .expect("found");
        assert_eq!(
            (creds.user, creds.password_hash.as_str()),
            (buyer.clone(), "hash-buyer"),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.list_users(p.id.into()).await.expect("list"),
            vec![agent, admin],
            "{}",
            db.backend
        );
        assert_eq!(tx.find_user(new_id()).await.expect("find"), None, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_user_is_found_by_email_whatever_the_case_it_is_typed_in() {
    for db in partnerdesk_testkit::backends().await {
        let (p, _) = seed_pair(&db).await;
        let anna = user(
            p.id,
            OrgKind::Partner,
            "Anna.Petrova@Fabrikam.Example",
            &[Role::HelpdeskAgent],
        );
        assert_eq!(anna.email.as_str(), "anna.petrova@fabrikam.example");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_user(&anna, "hash").await.expect("insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        for typed in [
            "ANNA.PETROVA@FABRIKAM.EXAMPLE",
            "anna.petrova@fabrikam.example",
            " Anna.Petrova@fabrikam.EXAMPLE ",
        ] {
            let found = tx.find_user_by_email(&email(typed)).await.expect("by email");
            assert_eq!(found.map(|c| c.user.id), Some(anna.id), "{}: {typed}", db.backend);
        }
        assert!(tx
            .find_user_by_email(&email("anna@fabrikam.example"))
            .await
            .expect("by email")
            .is_none());
    }
}

#[tokio::test]
async fn an_email_that_is_taken_in_another_case_is_a_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_user(
            &user(p.id, OrgKind::Partner, "anna@example.com", &[Role::AdminAgent]),
            "h",
        )
        .await
        .expect("insert first");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let twin = user(c.id, OrgKind::Customer, "ANNA@Example.com", &[Role::CustomerUser]);
        let err = tx.insert_user(&twin, "h").await.expect_err("email taken");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn a_user_update_changes_roles_and_a_stale_one_is_a_version_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let (p, _) = seed_pair(&db).await;
        let u = user(p.id, OrgKind::Partner, "sales@fabrikam.example", &[Role::SalesAgent]);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_user(&u, "old-hash").await.expect("insert");
        let mut promoted = u.clone();
        promoted.roles = vec![Role::PartnerGlobalAdmin, Role::BillingAdmin];
        tx.update_user(&promoted).await.expect("update");
        let err = tx.update_user(&u).await.expect_err("stale");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let stored = tx.find_user(u.id).await.expect("find").expect("exists");
        assert_eq!(stored.roles, promoted.roles, "{}", db.backend);
        assert_eq!(stored.version, 2, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_password_hash_can_be_replaced_and_a_user_deleted() {
    for db in partnerdesk_testkit::backends().await {
        let (p, _) = seed_pair(&db).await;
        let u = user(
            p.id,
            OrgKind::Partner,
            "leaver@fabrikam.example",
            &[Role::HelpdeskAgent],
        );
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_user(&u, "old-hash").await.expect("insert");
        tx.set_password_hash(u.id, "new-hash").await.expect("set hash");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let creds = tx.find_user_by_email(&u.email).await.expect("by email").expect("found");
        assert_eq!(creds.password_hash, "new-hash", "{}", db.backend);
        tx.delete_user(u.id).await.expect("delete");
        assert_eq!(tx.find_user(u.id).await.expect("find"), None, "{}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let err = tx.set_password_hash(u.id, "h").await.expect_err("deleted user");
        assert!(matches!(err, StoreError::NotFound(_)), "{}: {err:?}", db.backend);
        let err = tx.delete_user(u.id).await.expect_err("deleted user");
        assert!(matches!(err, StoreError::NotFound(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn a_reseller_link_reads_back_and_a_reseller_has_one_provider() {
    for db in partnerdesk_testkit::backends().await {
        let mut provider = partner("Northwind Distribution");
        provider.partner_type = PartnerType::IndirectProvider;
        let mut other = partner("Southwind Distribution");
        other.partner_type = PartnerType::IndirectProvider;
        let mut reseller = partner("Adatum Reseller");
        reseller.partner_type = PartnerType::IndirectReseller;
        let link = ResellerLink {
            provider_id: provider.id,
            reseller_id: reseller.id,
            created_at: now(),
        };

        let mut tx = db.store.begin().await.expect("begin");
        for p in [&provider, &other, &reseller] {
            tx.insert_partner(p).await.expect("insert partner");
        }
        tx.insert_reseller_link(&link).await.expect("insert link");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_partner(reseller.id).await.expect("find"),
            Some(reseller.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_provider_of(reseller.id).await.expect("provider"),
            Some(provider.id),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.list_reseller_links(provider.id).await.expect("links"),
            vec![link.clone()],
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_provider_of(provider.id).await.expect("provider"),
            None,
            "{}",
            db.backend
        );
        drop(tx);

        let mut tx = db.store.begin().await.expect("begin");
        let second = ResellerLink {
            provider_id: other.id,
            reseller_id: reseller.id,
            created_at: now(),
        };
        let err = tx
            .insert_reseller_link(&second)
            .await
            .expect_err("one provider per reseller");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
        drop(tx);

        let mut tx = db.store.begin().await.expect("begin");
        assert!(
            tx.delete_reseller_link(provider.id, reseller.id).await.expect("delete"),
            "{}",
            db.backend
        );
        assert!(
            !tx.delete_reseller_link(provider.id, reseller.id)
                .await
                .expect("delete again"),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_provider_of(reseller.id).await.expect("provider"),
            None,
            "{}",
            db.backend
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn a_customer_domain_names_one_customer() {
    for db in partnerdesk_testkit::backends().await {
        let (_, c) = seed_pair(&db).await;
        let mut tx = db.store.read().await.expect("read");
        assert!(
            tx.customer_domain_taken(&c.company.domain).await.expect("taken"),
            "{}",
            db.backend
        );
        let free = Domain::parse("fabrikam.example").expect("domain");
        assert!(!tx.customer_domain_taken(&free).await.expect("free"), "{}", db.backend);
        drop(tx);

        // Even without asking first, a second customer with the domain is refused, and the
        // refusal names no table.
        let mut tx = db.store.begin().await.expect("begin");
        let twin = customer("Другая компания", "ROMASHKA.example");
        let err = tx.insert_customer(&twin).await.expect_err("domain taken");
        match err {
            StoreError::Conflict(kind) => assert_eq!(kind, ConflictKind::DomainTaken, "{}", db.backend),
            other => panic!("{}: {other:?}", db.backend),
        }
    }
}
