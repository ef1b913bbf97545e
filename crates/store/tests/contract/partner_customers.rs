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

fn text(q: &str) -> SearchText {
    SearchText::parse("q", q).expect("search text").expect("not blank")
}

fn search(q: &str) -> CustomerFilter {
    CustomerFilter::Contains(text(q))
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
                .list_partner_customers(p.id, &CustomerFilter::All, after, 10)
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
            .list_partner_customers(p.id, &CustomerFilter::All, Some(expected[9]), 10)
            .await
            .expect("page");
        assert_eq!(
            again.iter().map(|c| c.id).collect::<Vec<_>>(),
            expected[10..20],
            "{}: stable",
            db.backend
        );
        let first = tx
            .list_partner_customers(p.id, &CustomerFilter::All, None, 1)
            .await
            .expect("page");
        let smallest = customers.iter().min_by_key(|c| c.id).expect("some customers");
        assert_eq!(first, vec![smallest.clone()], "{}: full customer rows", db.backend);
        assert_eq!(
            tx.count_partner_customers(p.id, &CustomerFilter::All)
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

/// The ids of a page of `partner`'s customers under `filter`, sorted, and their count.
async fn found(db: &TestDb, partner: &Partner, filter: &CustomerFilter) -> (Vec<CustomerId>, i64) {
    let mut tx = db.store.read().await.expect("read");
    let ids = tx
        .list_partner_customers(partner.id, filter, None, 100)
        .await
        .expect("list")
        .iter()
        .map(|c| c.id)
        .collect();
    let count = tx.count_partner_customers(partner.id, filter).await.expect("count");
    (ids, count)
}

fn ids(customers: &[&Customer]) -> Vec<CustomerId> {
    let mut ids: Vec<_> = customers.iter().map(|c| c.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_name_prefix_matches_the_start_of_the_name_only_in_any_case_and_script() {
    for db in partnerdesk_testkit::backends().await {
        let ooo = customer("ООО Ромашка", "romashka.example");
        let trade = customer("Ромашка Трейд", "trade.example");
        let roller = customer("Οδοστρωτήρας ΑΕ", "odos.example");
        let sofia = customer("ΣΟΦΙΑ Σύμβουλοι", "sofia.example");
        let elan = customer("Élan Vital", "elan.example");
        let ecole = customer("École Öffentlich", "ecole.example");
        let contoso = customer("Contoso Ltd", "contoso.example");
        let all = [&ooo, &trade, &roller, &sofia, &elan, &ecole, &contoso];
        let p = partner_with(&db, &all.map(|c| c.clone())).await;
        let cases: [(&str, Vec<&Customer>); 13] = [
            // A substring search would find both; the start of the name is only one.
            ("РОМАШКА", vec![&trade]),
            ("ромашка т", vec![&trade]),
            ("ооо РОМ", vec![&ooo]),
            // Greek: a capital sigma folds the same at the end of the prefix as inside the name.
            ("ΟΔΟΣ", vec![&roller]),
            ("οδοστρωτήρ", vec![&roller]),
            ("σοφια σ", vec![&sofia]),
            // Accented Latin keeps its accents and loses its case.
            ("ÉLAN", vec![&elan]),
            ("élan v", vec![&elan]),
            ("elan", vec![]),
            ("ÉCOLE ö", vec![&ecole]),
            ("CONTOSO", vec![&contoso]),
            // The domain is not the name.
            ("contoso.example", vec![]),
            ("Трейд", vec![]),
        ];
        for (q, want) in cases {
            let (got, count) = found(&db, &p, &CustomerFilter::NameStartsWith(text(q))).await;
            assert_eq!(got, ids(&want), "{}: name starts with {q:?}", db.backend);
            assert_eq!(
                count,
                i64::try_from(want.len()).expect("small"),
                "{}: {q:?}",
                db.backend
            );
        }
    }
}

#[tokio::test]
async fn a_domain_prefix_matches_the_start_of_the_domain_only() {
    for db in partnerdesk_testkit::backends().await {
        let contoso = customer("Contoso", "contoso.example");
        let contoso_ru = customer("Контосо", "contoso-ru.example");
        let fabrikam = customer("Contoso Fabrikam", "fabrikam.example");
        let p = partner_with(&db, &[contoso.clone(), contoso_ru.clone(), fabrikam.clone()]).await;
        for (q, want) in [
            ("CONTOSO", vec![&contoso, &contoso_ru]),
            ("contoso.", vec![&contoso]),
            ("Contoso-RU.Example", vec![&contoso_ru]),
            ("example", vec![]),
            ("fab", vec![&fabrikam]),
        ] {
            let (got, count) = found(&db, &p, &CustomerFilter::DomainStartsWith(text(q))).await;
            assert_eq!(got, ids(&want), "{}: domain starts with {q:?}", db.backend);
            assert_eq!(
                count,
                i64::try_from(want.len()).expect("small"),
                "{}: {q:?}",
                db.backend
            );
        }
    }
}

#[tokio::test]
async fn a_prefix_search_is_paged_in_id_order_and_sees_only_the_partners_active_customers() {
    for db in partnerdesk_testkit::backends().await {
        let customers: Vec<_> = (0..7)
            .map(|i| customer(&format!("Ромашка {i}"), &format!("r{i}.example")))
            .collect();
        let p = partner_with(&db, &customers).await;
        let other = partner("Other Partner");
        let theirs = customer("Ромашка Чужая", "theirs.example");
        let closed = customer("Ромашка Бывшая", "closed.example");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&other).await.expect("insert");
        tx.insert_customer(&theirs).await.expect("insert");
        tx.insert_relationship(&relationship(other.id, theirs.id))
            .await
            .expect("other's relationship");
        tx.insert_customer(&closed).await.expect("insert");
        tx.insert_relationship(&closed_relationship(p.id, closed.id))
            .await
            .expect("closed relationship");
        tx.commit().await.expect("commit");

        let filter = CustomerFilter::NameStartsWith(text("РОМАШКА"));
        let mut tx = db.store.read().await.expect("read");
        let mut seen = Vec::new();
        let mut after = None;
        let mut pages = Vec::new();
        loop {
            let page = tx.list_partner_customers(p.id, &filter, after, 3).await.expect("page");
            pages.push(page.len());
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            seen.extend(page.iter().map(|c| c.id));
        }
        let mut want: Vec<_> = customers.iter().map(|c| c.id).collect();
        want.sort();
        assert_eq!(pages, vec![3, 3, 1, 0], "{}", db.backend);
        assert_eq!(seen, want, "{}", db.backend);
        assert_eq!(
            tx.count_partner_customers(p.id, &filter).await.expect("count"),
            7,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_renamed_customer_is_found_by_the_start_of_its_new_name_only() {
    for db in partnerdesk_testkit::backends().await {
        let c = customer("Старое Имя", "old.example");
        let p = partner_with(&db, std::slice::from_ref(&c)).await;
        let mut renamed = c.clone();
        renamed.company.company_name = name("Новое Имя");
        let mut tx = db.store.begin().await.expect("begin");
        tx.update_customer(&renamed).await.expect("rename");
        tx.commit().await.expect("commit");

        let new = found(&db, &p, &CustomerFilter::NameStartsWith(text("НОВОЕ"))).await;
        assert_eq!(new, (vec![c.id], 1), "{}", db.backend);
        let old = found(&db, &p, &CustomerFilter::NameStartsWith(text("старое"))).await;
        assert_eq!(old, (vec![], 0), "{}", db.backend);
    }
}

#[tokio::test]
async fn customers_shared_with_another_partner_are_those_both_have_an_active_relationship_with() {
    for db in partnerdesk_testkit::backends().await {
        let both = customer("Both Ltd", "both.example");
        let ours = customer("Ours Ltd", "ours.example");
        let theirs = customer("Theirs Ltd", "theirs.example");
        let ended = customer("Ended Ltd", "ended.example");
        let p = partner_with(&db, &[both.clone(), ours.clone(), ended.clone()]).await;
        let r = partner("Reseller");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&r).await.expect("insert");
        tx.insert_customer(&theirs).await.expect("insert");
        for (c, rel) in [
            (&both, relationship(r.id, both.id)),
            (&theirs, relationship(r.id, theirs.id)),
            (&ended, closed_relationship(r.id, ended.id)),
        ] {
            tx.insert_relationship(&rel)
                .await
                .unwrap_or_else(|e| panic!("{c:?}: {e}"));
        }
        tx.commit().await.expect("commit");

        let shared = found(&db, &p, &CustomerFilter::SharedWith(r.id)).await;
        assert_eq!(shared, (vec![both.id], 1), "{}", db.backend);
        let back = found(&db, &r, &CustomerFilter::SharedWith(p.id)).await;
        assert_eq!(back, (vec![both.id], 1), "{}", db.backend);
    }
}

#[tokio::test]
async fn a_prefix_search_of_a_large_partner_reads_a_range_of_the_key_index() {
    for db in partnerdesk_testkit::backends().await {
        // A partner with many customers, few of which start with the prefix: the search
        // must read the key index's range, not every customer of the partner.
        let customers: Vec<_> = (0..2000)
            .map(|i| {
                let company = if i % 400 == 0 {
                    format!("Ромашка {i:04}")
                } else {
                    format!("Customer {i:04}")
                };
                customer(&company, &format!("c{i:04}.example"))
            })
            .collect();
        let p = partner_with(&db, &customers).await;
        let mut tx = db.store.read().await.expect("read");
        for (filter, index) in [
            (
                CustomerFilter::NameStartsWith(text("РОМАШКА")),
                "customer_list_name_key",
            ),
            (
                CustomerFilter::DomainStartsWith(text("c0001")),
                "customer_list_domain_key",
            ),
        ] {
            let plan = tx.explain_partner_customers(p.id, &filter).await.expect("plan");
            assert!(
                plan.contains(index),
                "{}: {filter:?} reads {index}:\n{plan}",
                db.backend
            );
            let all = tx
                .list_partner_customers(p.id, &filter, None, 100)
                .await
                .expect("search");
            assert!(!all.is_empty() && all.len() <= 10, "{}: {}", db.backend, all.len());
        }
    }
}

#[tokio::test]
async fn former_customers_are_those_with_only_closed_relationships_each_once_in_id_order_across_pages() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let p = partner("Fabrikam Reseller");
        let other = partner("Other Partner");
        let former: Vec<_> = (0..5)
            .map(|i| customer(&format!("Former {i}"), &format!("former{i}.example")))
            .collect();
        let current = customer("Current Ltd", "current.example");
        let back = customer("Came Back Ltd", "back.example");
        let elsewhere = customer("Elsewhere Ltd", "elsewhere.example");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&p).await.expect("partner");
        tx.insert_partner(&other).await.expect("partner");
        for (i, c) in former.iter().rev().enumerate() {
            tx.insert_customer(c).await.expect("customer");
            tx.insert_relationship(&closed_relationship(p.id, c.id))
                .await
                .expect("closed");
            if i % 2 == 0 {
                // Removed twice: still one former customer.
                tx.insert_relationship(&closed_relationship(p.id, c.id))
                    .await
                    .expect("closed again");
            }
        }
        tx.insert_customer(&current).await.expect("customer");
        tx.insert_relationship(&relationship(p.id, current.id))
            .await
            .expect("active");
        // Closed once, active again: a customer, not a former one.
        tx.insert_customer(&back).await.expect("customer");
        tx.insert_relationship(&closed_relationship(p.id, back.id))
            .await
            .expect("closed");
        tx.insert_relationship(&relationship(p.id, back.id))
            .await
            .expect("active");
        // Another partner's former customer.
        tx.insert_customer(&elsewhere).await.expect("customer");
        tx.insert_relationship(&closed_relationship(other.id, elsewhere.id))
            .await
            .expect("closed");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let mut seen = Vec::new();
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let page = tx.list_former_customers(p.id, after, 2).await.expect("page");
            pages.push(page.len());
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            seen.extend(page.iter().map(|c| c.id));
        }
        let mut expected: Vec<CustomerId> = former.iter().map(|c| c.id).collect();
        expected.sort();
        assert_eq!(pages, vec![2, 2, 1, 0], "{b}");
        assert_eq!(seen, expected, "{b}: each former customer once, in id order");
        let first = tx.list_former_customers(p.id, None, 1).await.expect("page");
        let smallest = former.iter().min_by_key(|c| c.id).expect("some");
        assert_eq!(first, vec![smallest.clone()], "{b}: full customer rows");
    }
}

#[tokio::test]
async fn a_partners_customers_by_name_come_in_folded_name_order_across_pages() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let names = ["delta", "Alpha", "charlie", "Bravo", "Ёлка", "alpha", "Яблоко", "ёж"];
        let customers: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, n)| customer(n, &format!("n{i}.example")))
            .collect();
        let p = partner_with(&db, &customers).await;
        let gone = customer("Aaa Gone", "gone.example");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_customer(&gone).await.expect("insert");
        tx.insert_relationship(&closed_relationship(p.id, gone.id))
            .await
            .expect("closed");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let mut seen = Vec::new();
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let page = tx.list_partner_customers_by_name(p.id, after, 3).await.expect("page");
            pages.push(page.len());
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            seen.extend(page.iter().cloned());
        }
        assert_eq!(pages, vec![3, 3, 2, 0], "{b}");
        let mut expected = customers.clone();
        expected.sort_by_key(|c| {
            (
                partnerdesk_domain::values::fold_case(c.company.company_name.as_str()),
                c.id,
            )
        });
        let order: Vec<_> = seen
            .iter()
            .map(|c| c.company.company_name.as_str().to_string())
            .collect();
        let want: Vec<_> = expected
            .iter()
            .map(|c| c.company.company_name.as_str().to_string())
            .collect();
        assert_eq!(order, want, "{b}: by folded name, then id; each once");
        assert_eq!(
            &order[..2].iter().map(|n| n.to_lowercase()).collect::<Vec<_>>(),
            &["alpha", "alpha"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn a_page_of_customers_reads_since_when_and_whether_the_partner_holds_dap_in_one_call() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let with_dap = customer("Contoso", "contoso.example");
        let dap_ended = customer("Fabrikam", "fabrikam.example");
        let without = customer("Northwind", "northwind.example");
        let p = partner_with(&db, &[with_dap.clone(), dap_ended.clone(), without.clone()]).await;
        let gone = customer("Gone Ltd", "gone.example");
        let mut ended = dap(p.id, dap_ended.id);
        ended.ended_at = Some(now());
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_dap(&dap(p.id, with_dap.id)).await.expect("dap");
        tx.insert_dap(&ended).await.expect("ended dap");
        tx.insert_customer(&gone).await.expect("insert");
        tx.insert_relationship(&closed_relationship(p.id, gone.id))
            .await
            .expect("closed relationship");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let since = tx
            .find_active_relationship(p.id, without.id)
            .await
            .expect("find")
            .expect("active")
            .created_at;
        let asked = [with_dap.id, dap_ended.id, without.id, gone.id];
        let mut standings = tx.list_customer_standings(p.id, &asked).await.expect("standings");
        standings.sort_by_key(|s| asked.iter().position(|id| *id == s.customer_id));
        let read: Vec<(CustomerId, bool)> = standings.iter().map(|s| (s.customer_id, s.delegated_admin)).collect();
        assert_eq!(
            read,
            [(with_dap.id, true), (dap_ended.id, false), (without.id, false)],
            "{b}: a closed relationship has no standing; an ended DAP grant is no DAP"
        );
        assert_eq!(standings[2].since, since, "{b}: since the relationship began");
        assert!(
            tx.list_customer_standings(p.id, &[]).await.expect("none").is_empty(),
            "{b}: an empty page asks nothing"
        );
    }
}

#[tokio::test]
async fn a_changed_customer_is_listed_as_it_is_now_under_every_partner() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let c = customer("Alpha Old", "alpha-old.example");
        let first = partner_with(&db, std::slice::from_ref(&c)).await;
        let second = partner("Second Partner");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&second).await.expect("partner");
        tx.insert_relationship(&relationship(second.id, c.id))
            .await
            .expect("relationship");
        tx.commit().await.expect("commit");

        let mut changed = c.clone();
        changed.company.company_name = name("Zeta New");
        changed.company.domain = partnerdesk_domain::values::Domain::parse("zeta-new.example").expect("domain");
        changed.billing.email = email("billing@zeta-new.example");
        let mut tx = db.store.begin().await.expect("begin");
        tx.update_customer(&changed).await.expect("change");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let now = tx.find_customer(c.id).await.expect("find").expect("there");
        assert_eq!(now.company.company_name.as_str(), "Zeta New", "{b}");
        for p in [&first, &second] {
            let page = tx
                .list_partner_customers(p.id, &CustomerFilter::All, None, 10)
                .await
                .expect("page");
            assert_eq!(
                page,
                vec![now.clone()],
                "{b}: the list row is the customer as it is now"
            );
            let by_name = tx
                .list_partner_customers_by_name(p.id, None, 10)
                .await
                .expect("by name");
            assert_eq!(by_name, vec![now.clone()], "{b}");
            for (filter, hits) in [
                (CustomerFilter::NameStartsWith(text("zeta")), 1),
                (CustomerFilter::NameStartsWith(text("alpha")), 0),
                (CustomerFilter::DomainStartsWith(text("zeta-new")), 1),
                (CustomerFilter::DomainStartsWith(text("alpha-old")), 0),
                (search("new.example"), 1),
                (search("old"), 0),
            ] {
                let found = tx
                    .list_partner_customers(p.id, &filter, None, 10)
                    .await
                    .expect("search");
                assert_eq!(found.len(), hits, "{b}: {filter:?}");
                let count = tx.count_partner_customers(p.id, &filter).await.expect("count");
                assert_eq!(count, hits as i64, "{b}: {filter:?}");
            }
        }
    }
}

/// A customer whose id is scattered over the key space (not in the order made), so that
/// customers added during a walk land both before and after the page being read.
fn scattered(i: usize) -> Customer {
    let mut c = customer(&format!("Scattered {i:04}"), &format!("s{i:04}.example"));
    c.id = CustomerId(uuid::Uuid::from_u128(
        (i as u128 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835),
    ));
    c
}

#[tokio::test]
async fn pages_walked_while_customers_are_added_show_each_customer_once_in_id_order() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let first: Vec<_> = (0..40).map(scattered).collect();
        let p = partner_with(&db, &first).await;

        // Another connection adds customers, one transaction each, while the pages are read.
        let store = db.store.clone();
        let partner_id = p.id;
        let adder = tokio::spawn(async move {
            let mut added = Vec::new();
            for i in 100..160 {
                let c = scattered(i);
                let mut tx = store.begin().await.expect("begin");
                tx.insert_customer(&c).await.expect("customer");
                tx.insert_relationship(&relationship(partner_id, c.id))
                    .await
                    .expect("relationship");
                tx.commit().await.expect("commit");
                added.push(c.id);
                tokio::task::yield_now().await;
            }
            added
        });

        let mut seen: Vec<CustomerId> = Vec::new();
        let mut after = None;
        loop {
            let mut tx = db.store.read().await.expect("read");
            let page = tx
                .list_partner_customers(p.id, &CustomerFilter::All, after, 7)
                .await
                .expect("page");
            drop(tx);
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            seen.extend(page.iter().map(|c| c.id));
            tokio::task::yield_now().await;
        }
        let added = adder.await.expect("adder");

        assert!(
            seen.windows(2).all(|w| w[0] < w[1]),
            "{b}: strictly in id order, none twice"
        );
        for c in &first {
            assert!(seen.contains(&c.id), "{b}: a customer there from the start is seen");
        }
        assert!(
            seen.iter()
                .all(|id| first.iter().any(|c| c.id == *id) || added.contains(id)),
            "{b}: nothing but the partner's customers"
        );
        let mut tx = db.store.read().await.expect("read");
        let total = tx
            .count_partner_customers(p.id, &CustomerFilter::All)
            .await
            .expect("count");
        assert_eq!(total, (first.len() + added.len()) as i64, "{b}: every addition counted");
    }
}
