//! A partner's customer list: keyset pages and search.

use partnerdesk_domain::org::{Customer, Partner};
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::CustomerId;
use partnerdesk_store::CustomerFilter;
use partnerdesk_testkit::TestDb;

use crate::support::*;

/// Commits a partner with an active relationship to each of `customers`.
async fn partner_with(db: &TestDb, customers: &[Customer]) -> Partner {
    let p = partner("Fabrikam Reseller");
    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_partner(&p).await.expect("insert partner");
    for c in customers {
        tx.insert_customer(c).await.expect("insert customer");
        tx.insert_relationship(&relationship(p.id, c.id))
            .await
            .expect("insert relationship");
    }
    tx.commit().await.expect("commit");
    p
}

fn search(q: &str) -> CustomerFilter {
    CustomerFilter {
        search: SearchText::parse("q", q).expect("search text"),
    }
}

#[tokio::test]
async fn a_partners_customers_come_in_id_order_across_pages_without_gaps_or_duplicates() {
    for db in partnerdesk_testkit::backends().await {
        let customers: Vec<_> = (0..23)
            .map(|i| customer(&format!("Customer {i:02}"), &format!("c{i}.example")))
            .collect();
        // Inserted newest first, so id order is not insertion order.
        let reversed: Vec<_> = customers.iter().rev().cloned().collect();
        let p = partner_with(&db, &reversed).await;

        // Customers that must not show: one whose relationship is closed, one of another partner.
        let gone = customer("Gone Ltd", "gone.example");
        let elsewhere = customer("Elsewhere Ltd", "elsewhere.example");
        let other = partner("Other Partner");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_customer(&gone).await.expect("insert");
        tx.insert_relationship(&closed_relationship(p.id, gone.id))
            .await
            .expect("closed relationship");
        tx.insert_partner(&other).await.expect("insert");
        tx.insert_customer(&elsewhere).await.expect("insert");
        tx.insert_relationship(&relationship(other.id, elsewhere.id))
            .await
            .expect("other's relationship");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let mut seen: Vec<CustomerId> = Vec::new();
        let mut after = None;
        let mut pages = Vec::new();
        loop {
            let page = tx
                .list_partner_customers(p.id, &CustomerFilter::default(), after, 10)
                .await
                .expect("page");
            pages.push(page.len());
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            seen.extend(page.iter().map(|c| c.id));
        }
        let mut expected: Vec<_> = customers.iter().map(|c| c.id).collect();
        expected.sort();
        assert_eq!(pages, vec![10, 10, 3, 0], "{}", db.backend);
        assert_eq!(seen, expected, "{}: every customer once, in id order", db.backend);

        let again = tx
            .list_partner_customers(p.id, &CustomerFilter::default(), Some(expected[9]), 10)
            .await
            .expect("page");
        assert_eq!(
            again.iter().map(|c| c.id).collect::<Vec<_>>(),
            expected[10..20],
            "{}: stable",
            db.backend
        );
        let first = tx
            .list_partner_customers(p.id, &CustomerFilter::default(), None, 1)
            .await
            .expect("page");
        let smallest = customers.iter().min_by_key(|c| c.id).expect("some customers");
        assert_eq!(first, vec![smallest.clone()], "{}: full customer rows", db.backend);
        assert_eq!(
            tx.count_partner_customers(p.id, &CustomerFilter::default())
                .await
                .expect("count"),
            23,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn customer_search_ignores_case_in_cyrillic_and_latin_and_matches_name_or_domain() {
    for db in partnerdesk_testkit::backends().await {
        let romashka = customer("ООО Ромашка", "romashka.example");
        let service = customer("Ромашка Сервис", "service.example");
        let contoso = customer("Contoso Ltd", "contoso.example");
        let yolka = customer("ЁЛКА и Партнёры", "yolka.example");
        let p = partner_with(
            &db,
            &[romashka.clone(), service.clone(), contoso.clone(), yolka.clone()],
        )
        .await;

        let mut tx = db.store.read().await.expect("read");
        let cases: [(&str, Vec<&Customer>); 9] = [
            ("РОМАШКА", vec![&romashka, &service]),
            ("ромашка", vec![&romashka, &service]),
            ("оОо рОм", vec![&romashka]),
            ("CONTOSO", vec![&contoso]),
            ("Contoso.Example", vec![&contoso]),
            ("service.EXAMPLE", vec![&service]),
            ("ёлка", vec![&yolka]),
            ("партнёры", vec![&yolka]),
            ("nowhere", vec![]),
        ];
        for (q, want) in cases {
            let mut want: Vec<_> = want.into_iter().map(|c| c.id).collect();
            want.sort();
            let got: Vec<_> = tx
                .list_partner_customers(p.id, &search(q), None, 100)
                .await
                .expect("search")
                .iter()
                .map(|c| c.id)
                .collect();
            assert_eq!(got, want, "{}: search {q:?}", db.backend);
            let count = tx.count_partner_customers(p.id, &search(q)).await.expect("count");
            assert_eq!(
                count,
                i64::try_from(want.len()).expect("small"),
                "{}: count {q:?}",
                db.backend
            );
        }
    }
}

#[tokio::test]
async fn customer_search_treats_percent_underscore_and_backslash_literally() {
    for db in partnerdesk_testkit::backends().await {
        let percent = customer("100% Cotton", "cotton.example");
        let underscore = customer("Under_Score", "underscore.example");
        let backslash = customer("Back\\Slash", "backslash.example");
        let plain = customer("Plain Company", "plain.example");
        let p = partner_with(&db, &[percent.clone(), underscore.clone(), backslash.clone(), plain]).await;

        let mut tx = db.store.read().await.expect("read");
        for (q, want) in [
            ("%", percent.id),
            ("0% c", percent.id),
            ("_", underscore.id),
            ("\\", backslash.id),
        ] {
            let got: Vec<_> = tx
                .list_partner_customers(p.id, &search(q), None, 100)
                .await
                .expect("search")
                .iter()
                .map(|c| c.id)
                .collect();
            assert_eq!(got, vec![want], "{}: search {q:?}", db.backend);
        }
    }
}

#[tokio::test]
async fn a_search_is_paged_like_the_full_list() {
    for db in partnerdesk_testkit::backends().await {
        let mut customers: Vec<_> = (0..7)
            .map(|i| customer(&format!("Ромашка {i}"), &format!("r{i}.example")))
            .collect();
        customers.push(customer("Contoso", "contoso.example"));
        let p = partner_with(&db, &customers).await;

        let mut tx = db.store.read().await.expect("read");
        let first = tx
            .list_partner_customers(p.id, &search("ромашка"), None, 4)
            .await
            .expect("first page");
        let rest = tx
            .list_partner_customers(p.id, &search("ромашка"), first.last().map(|c| c.id), 4)
            .await
            .expect("rest");
        let mut got: Vec<_> = first.iter().chain(&rest).map(|c| c.id).collect();
        assert_eq!((first.len(), rest.len()), (4, 3), "{}", db.backend);
        let mut want: Vec<_> = customers[..7].iter().map(|c| c.id).collect();
        want.sort();
        assert_eq!(got, want, "{}", db.backend);
        got.dedup();
        assert_eq!(got.len(), 7, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_renamed_customer_is_found_by_its_new_name_only() {
    for db in partnerdesk_testkit::backends().await {
        let c = customer("Старое Имя", "old.example");
        let p = partner_with(&db, std::slice::from_ref(&c)).await;
        let mut renamed = c.clone();
        renamed.company.company_name = name("Новое Имя");
        let mut tx = db.store.begin().await.expect("begin");
        tx.update_customer(&renamed).await.expect("rename");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.count_partner_customers(p.id, &search("НОВОЕ")).await.expect("count"),
            1,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.count_partner_customers(p.id, &search("старое"))
                .await
                .expect("count"),
            0,
            "{}",
            db.backend
        );
    }
}
