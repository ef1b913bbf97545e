//! Injected time and ids, so tests control both.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Tells the time.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock, truncated to microseconds (what both databases store).
#[derive(Debug, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate(Utc::now())
    }
}

fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{SubsecRound, Timelike};
    let t = t.trunc_subsecs(6);
    debug_assert!(t.nanosecond().is_multiple_of(1000));
    t
}

/// A clock tests set and advance by hand.
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Mutex::new(truncate(start)))
    }
    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Makes new ids.
pub trait IdGen: Send + Sync {
    fn next(&self) -> Uuid;
}

/// UUIDv7: ids sort by creation time, so keys stay append-mostly in indexes.
#[derive(Debug, Clone, Copy)]
pub struct V7Ids;

impl IdGen for V7Ids {
    fn next(&self) -> Uuid {
        Uuid::now_v7()
    }
}
