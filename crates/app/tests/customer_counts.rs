//! A partner's customer list and its `totalCount` (a counter kept in step with the active
//! relationships) against a plain count of those relationships, through every change that
//! adds or removes a customer: adding one, removal, re-adding by a request, offboarding,
//! the customer ending the relationship.

use std::collections::BTreeSet;

use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::CustomerId;
use partnerdesk_testkit::{backends, CustomerActor, PartnerActor, TestApp};

/// The partner's customers as the list shows them, every page of `size`, and the count the
/// first page carries.
async fn listed(t: &TestApp, p: &PartnerActor, size: u32) -> (BTreeSet<CustomerId>, i64) {
    let mut seen = BTreeSet::new();
    let mut after = None;
    let mut total = None;
    loop {
        let page = t.app.list_customers(&p.admin, None, after, size).await.expect("page");
        total.get_or_insert(page.total_count);
        for c in &page.items {
            assert!(seen.insert(c.id), "{c:?} listed twice");
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    (seen, total.unwrap_or(0))
}

/// The customers among `all` the partner has an active relationship with, read from the
/// relationships themselves.
async fn plain(t: &TestApp, p: &PartnerActor, all: &[CustomerActor]) -> BTreeSet<CustomerId> {
    let mut tx = t.db.store.read().await.expect("read");
    let mut active = BTreeSet::new();
    for c in all {
        if tx.find_active_relationship(p.id, c.id).await.expect("find").is_some() {
            active.insert(c.id);
        }
    }
    active
}

/// A small deterministic generator (a linear congruential one), so the sequence of changes
/// is the same on every run and every backend.
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

#[tokio::test]
async fn total_count_and_list_follow_every_change_that_adds_or_removes_a_customer() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partners = [
            t.partner(PartnerType::Direct).await,
            t.partner(PartnerType::Direct).await,
        ];
        let mut customers: Vec<CustomerActor> = Vec::new();
        let mut steps = Steps(17);
        let mut kinds_done = [0usize; 5];
        for step in 0..40 {
            let p = &partners[steps.next(partners.len())];
            let kind = if customers.is_empty() { 0 } else { steps.next(5) };
            let active = plain(&t, p, &customers).await;
            // Removals pick one of the partner's customers, a re-add one it has not.
            let candidates: Vec<&CustomerActor> = customers
                .iter()
                .filter(|c| active.contains(&c.id) == (kind != 2))
                .collect();
            let c = (!candidates.is_empty()).then(|| candidates[steps.next(candidates.len())]);
            let ran = match (kind, c) {
                (_, None) | (0, _) => {
                    customers.push(t.customer_of(p).await);
                    0
                }
                (1, Some(c)) => {
                    t.app
                        .remove_relationship(&p.admin, c.id, Some("step"), None)
                        .await
                        .expect("remove");
                    1
                }
                (2, Some(c)) => {
                    let req = t
                        .app
                        .create_relationship_request(&p.admin, false)
                        .await
                        .expect("request");
                    t.app
                        .accept_relationship_request(&c.admin, &req.token)
                        .await
                        .expect("accept");
                    2
                }
                (3, Some(c)) => {
                    t.buy(p, c.id, 1).await;
                    t.app
                        .offboard_customer(&p.admin, c.id, Some("step"))
                        .await
                        .expect("offboard");
                    3
                }
                (_, Some(c)) => {
                    t.app
                        .end_relationship_as_customer(&c.admin, p.id, Some("step"))
                        .await
                        .expect("end as customer");
                    4
                }
            };
            kinds_done[ran] += 1;
            for q in &partners {
                let expected = plain(&t, q, &customers).await;
                let (seen, total) = listed(&t, q, 3).await;
                assert_eq!(seen, expected, "{b}: step {step}: the list is the active relationships");
                assert_eq!(
                    total,
                    expected.len() as i64,
                    "{b}: step {step}: totalCount is the plain count"
                );
            }
        }
        assert!(
            kinds_done.iter().all(|n| *n > 0),
            "{b}: every kind of change ran at least once: {kinds_done:?}"
        );
    }
}

#[tokio::test]
async fn a_customer_of_two_partners_counts_once_for_each_and_leaves_only_the_one_it_ends_with() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let first = t.partner(PartnerType::Direct).await;
        let second = t.partner(PartnerType::Direct).await;
        let shared = t.customer_of(&first).await;
        let req = t
            .app
            .create_relationship_request(&second.admin, false)
            .await
            .expect("request");
        t.app
            .accept_relationship_request(&shared.admin, &req.token)
            .await
            .expect("accept");
        t.customer_of(&second).await;
        assert_eq!(listed(&t, &first, 100).await.1, 1, "{b}");
        assert_eq!(listed(&t, &second, 100).await.1, 2, "{b}");

        t.app
            .remove_relationship(&first.admin, shared.id, None, None)
            .await
            .expect("remove");
        let (seen, total) = listed(&t, &first, 100).await;
        assert_eq!((seen.len(), total), (0, 0), "{b}: the first partner has none left");
        let (seen, total) = listed(&t, &second, 100).await;
        assert!(seen.contains(&shared.id), "{b}: the second still has it");
        assert_eq!(total, 2, "{b}");
    }
}
