//! The access check from memory against a bare `HashMap` lookup on the same data: 1,000
//! partners × 1,000 customers each = 1,000,000 GDAP relationships, every check measuring
//! expiry against the clock.
//!
//! The app's cache is filled in memory (the same rows the database read would give it;
//! reading 1,000,000 rows through the database first would measure the database, not the
//! check), on an app over an empty SQLite database. Both sides read the system clock per
//! check and look pairs up in the same pseudo-random order.
//!
//! Run: `cargo bench -p partnerdesk-app --bench access_check`

use std::collections::HashMap;
use std::hint::black_box;

use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use partnerdesk_app::access_check::{AccessQuery, Grant, PairAccess, Subject};
use partnerdesk_app::{App, AppConfig};
use partnerdesk_domain::{CustomerId, GdapId, PartnerId};
use partnerdesk_store::{DatabaseUrl, Store};
use uuid::Uuid;

const PARTNERS: usize = 1_000;
const CUSTOMERS_PER_PARTNER: usize = 1_000;
const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
/// Lookups per iteration batch, cycled through.
const ORDER: usize = 1 << 16;

struct Data {
    keys: Vec<(PartnerId, CustomerId)>,
    order: Vec<usize>,
    ends: DateTime<Utc>,
}

fn data() -> Data {
    let mut keys = Vec::with_capacity(PARTNERS * CUSTOMERS_PER_PARTNER);
    for _ in 0..PARTNERS {
        let p = PartnerId(Uuid::now_v7());
        for _ in 0..CUSTOMERS_PER_PARTNER {
            keys.push((p, CustomerId(Uuid::now_v7())));
        }
    }
    // A xorshift sequence: the same pseudo-random order for both sides.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let order = (0..ORDER)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % keys.len() as u64) as usize
        })
        .collect();
    Data {
        keys,
        order,
        ends: Utc::now() + Duration::days(365),
    }
}

fn grant(ends: DateTime<Utc>) -> Grant {
    Grant {
        id: GdapId(Uuid::now_v7()),
        roles: vec![HELPDESK.to_string(), READER.to_string()].into(),
        ends_at: Some(ends),
        assignments: Box::new([]),
    }
}

fn bench(c: &mut Criterion) {
    let d = data();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let app = runtime.block_on(async {
        let store = Store::open(&DatabaseUrl::Sqlite(dir.path().join("bench.db")))
            .await
            .expect("open store");
        App::new(store, AppConfig::default())
    });
    // Fill the app's cache: the role catalogue, then every pair.
    let cache = app.access_cache();
    let roles = runtime.block_on(async {
        // A check of an unknown pair loads the catalogue the way the app does.
        let q = AccessQuery {
            customer: CustomerId(Uuid::now_v7()),
            subject: Subject::Partner(PartnerId(Uuid::now_v7())),
            role: HELPDESK.into(),
        };
        app.check_access(q).await.expect("first check")
    });
    assert!(!roles.allowed);
    let generation = cache.generation();
    let mut bare: HashMap<(PartnerId, CustomerId), PairAccess> = HashMap::with_capacity(d.keys.len());
    for &(p, cu) in &d.keys {
        let pair = PairAccess {
            dap: false,
            grants: vec![grant(d.ends)].into(),
        };
        bare.insert((p, cu), pair.clone());
        cache.fill_pair(generation, p, cu, pair);
    }
    assert_eq!(cache.len().0, d.keys.len() + 1, "every pair is in the app's cache");
    let queries: Vec<AccessQuery> = d
        .order
        .iter()
        .map(|&i| AccessQuery {
            customer: d.keys[i].1,
            subject: Subject::Partner(d.keys[i].0),
            role: HELPDESK.into(),
        })
        .collect();
    for q in queries.iter().take(100) {
        let decision = app
            .check_access_cached(q, Utc::now())
            .expect("answered from memory")
            .expect("no error");
        assert!(decision.allowed);
    }

    let mut group = c.benchmark_group("access_check_1M");
    let mut i = 0usize;
    group.bench_function("hashmap_lookup_expiry_role", |b| {
        b.iter(|| {
            i = (i + 1) & (ORDER - 1);
            let q = &queries[i];
            let Subject::Partner(p) = q.subject else { unreachable!() };
            let now = Utc::now();
            let allowed = bare.get(&(p, q.customer)).is_some_and(|pair| {
                pair.grants
                    .iter()
                    .any(|g| g.ends_at.is_some_and(|e| e > now) && g.roles.contains(&q.role))
            });
            black_box(allowed)
        })
    });
    let mut i = 0usize;
    group.bench_function("app_check_access_from_memory", |b| {
        b.iter(|| {
            i = (i + 1) & (ORDER - 1);
            let q = &queries[i];
            black_box(app.check_access_cached(q, Utc::now()))
        })
    });
    let mut i = 0usize;
    let local = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    group.bench_function("app_check_access_async_block_on", |b| {
        b.iter(|| {
            i = (i + 1) & (ORDER - 1);
            let q = queries[i].clone();
            black_box(local.block_on(app.check_access(q)).map(|d| d.allowed))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
