//! When to try again: the retry schedule every outbox delivery follows (webhooks and
//! e-mail alike), kept here so both channels and their tests share one set of numbers.
//!
//! An item is tried at once; after a failed attempt `n` (1-based) the next try waits
//! `FIRST_RETRY × 2^(n-1)`, capped at `MAX_DELAY`, with up to a quarter of that added as
//! jitter so that many items failing together do not retry together. After
//! `MAX_ATTEMPTS` failed attempts the item is parked: kept, shown with its last error, and
//! tried again only when someone asks for redelivery.

use chrono::{DateTime, Duration, Utc};

/// Attempts before an item is parked.
pub const MAX_ATTEMPTS: u32 = 10;
/// The wait after the first failure. With the largest jitter (a quarter) the first retry
/// still comes within 30 seconds of the failure.
pub const FIRST_RETRY: Duration = Duration::seconds(20);
/// The longest wait between two attempts.
pub const MAX_DELAY: Duration = Duration::hours(6);
/// How long a node holds an item it has claimed before another node may take it over
/// (a node that died mid-delivery loses its claim after this).
pub const LEASE: Duration = Duration::seconds(60);

/// What to do after an attempt that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this time.
    RetryAt(DateTime<Utc>),
    /// Give up until someone asks for redelivery.
    Park,
}

/// The decision after failed attempt number `attempts` (1 for the first), made at `now`.
/// `jitter` is a fraction in `[0, 1)` from the caller's random source (tests pass fixed
/// values); it adds up to a quarter of the delay.
pub fn after_failure(attempts: u32, now: DateTime<Utc>, jitter: f64) -> AfterFailure {
    if attempts >= MAX_ATTEMPTS {
        return AfterFailure::Park;
    }
    AfterFailure::RetryAt(now + delay(attempts, jitter))
}

/// The wait after failed attempt `attempts` (at least 1), jitter included.
pub fn delay(attempts: u32, jitter: f64) -> Duration {
    let doublings = attempts.saturating_sub(1).min(20);
    let base = FIRST_RETRY
        .checked_mul(1 << doublings)
        .map_or(MAX_DELAY, |d| d.min(MAX_DELAY));
    let jitter = jitter.clamp(0.0, 1.0);
    // A quarter of the base at most, in whole milliseconds.
    let extra_ms = (base.num_milliseconds() as f64 * 0.25 * jitter) as i64;
    base + Duration::milliseconds(extra_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn the_first_retry_comes_within_thirty_seconds() {
        assert_eq!(delay(1, 0.0), Duration::seconds(20));
        assert!(delay(1, 0.999) <= Duration::seconds(30));
    }

    #[test]
    fn waits_double_up_to_the_cap() {
        assert_eq!(delay(2, 0.0), Duration::seconds(40));
        assert_eq!(delay(5, 0.0), Duration::seconds(320));
        assert_eq!(delay(9, 0.0), Duration::seconds(5120));
        assert_eq!(delay(40, 0.0), MAX_DELAY);
    }

    #[test]
    fn the_tenth_failure_parks_the_item() {
        assert_eq!(
            after_failure(9, at(), 0.0),
            AfterFailure::RetryAt(at() + Duration::seconds(5120))
        );
        assert_eq!(after_failure(10, at(), 0.0), AfterFailure::Park);
        assert_eq!(after_failure(11, at(), 0.5), AfterFailure::Park);
    }

    proptest! {
        #[test]
        fn jitter_adds_at_most_a_quarter(attempts in 1u32..MAX_ATTEMPTS, jitter in 0.0f64..1.0) {
            let plain = delay(attempts, 0.0);
            let jittered = delay(attempts, jitter);
            prop_assert!(jittered >= plain);
            prop_assert!(jittered <= plain + plain / 4);
        }
    }
}
