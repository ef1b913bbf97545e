//! How long removing a relationship takes when 1,000 suspended subscriptions hang on it
//! (rule 4 touches each of them in one transaction), and how long offboarding takes when
//! 1,000 are active (it suspends each first), on every backend.
//!
//! Run: `cargo bench -p partnerdesk-app --bench removal` (PostgreSQL from
//! `PARTNERDESK_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`).

use std::time::{Duration, Instant};

use partnerdesk_app::orders::{LineInput, MAX_LINES};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::CustomerId;
use partnerdesk_testkit::{backends, PartnerActor, TestApp};

const SUBSCRIPTIONS: usize = 1_000;
const RUNS: usize = 5;

/// A customer of `partner` with `SUBSCRIPTIONS` subscriptions, suspended or active.
async fn customer_with_subscriptions(t: &TestApp, partner: &PartnerActor, suspended: bool) -> CustomerId {
    let customer = t.customer_of(partner).await;
    let mut ids = Vec::with_capacity(SUBSCRIPTIONS);
    for _ in 0..SUBSCRIPTIONS / MAX_LINES {
        let lines = (0..MAX_LINES)
            .map(|_| LineInput {
                offer_id: t.offer.id,
                quantity: 1,
                friendly_name: None,
            })
            .collect();
        let placed = t
            .app
            .create_order(&partner.admin, customer.id, lines, None)
            .await
            .expect("order");
        ids.extend(placed.subscriptions.into_iter().map(|s| s.id));
    }
    if suspended {
        let mut tx = t.db.store.begin().await.expect("begin");
        for id in ids {
            let mut sub = tx.find_subscription(id).await.expect("find").expect("exists");
            sub.status = SubscriptionStatus::Suspended;
            sub.support_partner_id = Some(partner.id);
            tx.update_subscription(&sub).await.expect("suspend");
        }
        tx.commit().await.expect("commit");
    }
    customer.id
}

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

#[tokio::main]
async fn main() {
    for db in backends().await {
        let backend = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;

        let mut remove = Vec::new();
        let mut offboard = Vec::new();
        for _ in 0..RUNS {
            let customer = customer_with_subscriptions(&t, &partner, true).await;
            let start = Instant::now();
            let removed = t
                .app
                .remove_relationship(&partner.admin, customer, None, None)
                .await
                .expect("remove");
            remove.push(start.elapsed());
            assert_eq!(removed.plan.support_assignments_to_clear.len(), SUBSCRIPTIONS);

            let customer = customer_with_subscriptions(&t, &partner, false).await;
            let start = Instant::now();
            let done = t
                .app
                .offboard_customer(&partner.admin, customer, None)
                .await
                .expect("offboard");
            offboard.push(start.elapsed());
            assert_eq!(done.plan.subscriptions_to_suspend.len(), SUBSCRIPTIONS);
        }
        println!("{backend}: remove_relationship, {SUBSCRIPTIONS} suspended subscriptions (support contact cleared on each): {}", summary(remove));
        println!(
            "{backend}: offboard_customer, {SUBSCRIPTIONS} active subscriptions suspended then removed: {}",
            summary(offboard)
        );
    }
}
