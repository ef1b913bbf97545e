//! `partnerdesk demo --scale N` on both backends: the data set it says it wrote is there
//! (partners with a long tail, their customer lists and counts, subscriptions in mixed
//! statuses), `partnerdesk audit verify` holds over it, and a second run is refused.

mod common;

use std::process::Output;

use common::partnerdesk;
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::values::Email;
use partnerdesk_domain::PartnerId;
use partnerdesk_store::CustomerFilter;

fn run(url: &str, args: &[&str]) -> Output {
    partnerdesk()
        .args(["--database-url", url])
        .args(args)
        .output()
        .expect("run partnerdesk")
}

#[tokio::test]
async fn demo_scale_writes_what_it_says_and_its_audit_history_verifies() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let out = run(&db.url, &["demo", "--scale", "1250"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{b}: {}", String::from_utf8_lossy(&out.stderr));
        // 40 %, 12 % and 10 % to the first three; the other 475 to partners of at least ten.
        assert!(
            stdout.contains("wrote 1250 customers over ")
                && stdout.contains("(the largest has 500), 2500 orders, 12500 subscriptions, 125 GDAP relationships"),
            "{b}: {stdout}"
        );

        let mut tx = db.store.read().await.expect("read");
        let partner_of = |n: usize| Email::parse(&format!("admin@scale{n:04}.example")).expect("e-mail");
        let mut sizes = Vec::new();
        let mut n = 1;
        while let Some(admin) = tx.find_user_by_email(&partner_of(n)).await.expect("find admin") {
            let partner = PartnerId(admin.user.org_id.0);
            let count = tx
                .count_partner_customers(partner, &CustomerFilter::All)
                .await
                .expect("count");
            sizes.push(count);
            n += 1;
        }
        assert_eq!(sizes.iter().sum::<i64>(), 1250, "{b}: {sizes:?}");
        assert_eq!(&sizes[..3], &[500, 150, 125], "{b}");
        assert!(
            sizes.len() > 10 && sizes.iter().all(|s| *s >= 10),
            "{b}: a long tail: {sizes:?}"
        );

        let largest = PartnerId(
            tx.find_user_by_email(&partner_of(1))
                .await
                .expect("find")
                .expect("the largest partner's admin")
                .user
                .org_id
                .0,
        );
        let mut walked = 0;
        let mut after = None;
        loop {
            let page = tx
                .list_partner_customers(largest, &CustomerFilter::All, after, 100)
                .await
                .expect("page");
            let Some(last) = page.last() else { break };
            walked += page.len();
            after = Some(last.id);
        }
        assert_eq!(walked, 500, "{b}: the list holds as many as the count says");
        let statuses = tx.count_partner_subscriptions(largest).await.expect("subscriptions");
        let total: i64 = statuses.iter().map(|(_, n)| n).sum();
        assert_eq!(total, 5000, "{b}: ten subscriptions per customer: {statuses:?}");
        for status in [
            SubscriptionStatus::Active,
            SubscriptionStatus::Suspended,
            SubscriptionStatus::Expired,
            SubscriptionStatus::Deleted,
        ] {
            assert!(
                statuses.iter().any(|(s, n)| *s == status && *n > 0),
                "{b}: some {status:?}: {statuses:?}"
            );
        }
        tx.rollback().await.expect("rollback");

        let verified = run(&db.url, &["audit", "verify"]);
        let said = String::from_utf8_lossy(&verified.stdout);
        assert!(
            verified.status.success(),
            "{b}: {}",
            String::from_utf8_lossy(&verified.stderr)
        );
        assert!(said.contains("audit log holds"), "{b}: {said}");

        let again = run(&db.url, &["demo", "--scale", "10"]);
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(!again.status.success(), "{b}: a second run is refused");
        assert!(
            stderr.contains("was --scale run on this database before?"),
            "{b}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{b}: {stderr}");
    }
}
