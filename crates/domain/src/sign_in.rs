//! How many wrong passwords an account takes before sign-in waits: the limiter's rules,
//! without storage or clocks (callers pass the recent failures and the time).
//!
//! Limits over failures recorded in the shared database:
//!
//! - per account and client: [`CLIENT_MAX_FAILURES`] failures within [`CLIENT_WINDOW`] from
//!   one client make that client wait, for that account only, and so do
//!   [`CLIENT_DAILY_MAX_FAILURES`] within [`ACCOUNT_WINDOW`]. Someone guessing from one
//!   place does not stop the account's owner signing in from another.
//! - per account: [`ACCOUNT_MAX_FAILURES`] failures within [`ACCOUNT_WINDOW`] from all
//!   clients together stop sign-in to the account from anywhere until the oldest of them
//!   leaves the window. This is the cap on guessing from many addresses at once; the daily
//!   limit per client means it takes at least five clients to reach it.
//!
//! A client is a network address; an IPv6 address counts by its /64, the block one
//! subscriber usually holds, so walking through the addresses of one block gains nothing.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// Failures from one client, within [`CLIENT_WINDOW`], after which it waits.
pub const CLIENT_MAX_FAILURES: usize = 5;
/// The window of [`CLIENT_MAX_FAILURES`].
pub const CLIENT_WINDOW: Duration = Duration::minutes(15);
/// Failures from one client, within [`ACCOUNT_WINDOW`], after which it waits.
pub const CLIENT_DAILY_MAX_FAILURES: usize = 20;
/// Failures from all clients, within [`ACCOUNT_WINDOW`], after which the account waits.
pub const ACCOUNT_MAX_FAILURES: usize = 100;
/// The window of [`ACCOUNT_MAX_FAILURES`]; also how long a failure is kept.
pub const ACCOUNT_WINDOW: Duration = Duration::hours(24);

// No one client reaches the account cap alone.
const _: () = assert!(CLIENT_DAILY_MAX_FAILURES * 5 <= ACCOUNT_MAX_FAILURES);

/// One failed password check (or one still running: it is recorded before the check and
/// forgotten when the password is right).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInFailure {
    pub id: Uuid,
    /// Names the account (see [`account_key`]); stored hashed.
    pub account: String,
    /// Names the client (see [`client_key`]); stored hashed.
    pub client: String,
    pub failed_at: DateTime<Utc>,
}

/// The account a sign-in names: the e-mail as typed, trimmed and lower-cased, whether or
/// not it is a valid e-mail or a known user (unknown e-mails are limited alike, so the
/// limit does not tell which exist).
pub fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The client a sign-in comes from: its IPv4 address, the /64 of its IPv6 address, or
/// `unknown` when the server was not told (every such sign-in then counts as one client).
pub fn client_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => format!("ip4:{v4}"),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("ip6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".to_string(),
    }
}

/// May `client` try a password for the account whose recent failures are `recent` (any
/// order, all from within [`ACCOUNT_WINDOW`] or older; older ones are ignored)? `Err`
/// says from when it may try again.
pub fn check(recent: &[SignInFailure], client: &str, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
    let mut account: Vec<DateTime<Utc>> = recent
        .iter()
        .map(|f| f.failed_at)
        .filter(|at| *at > now - ACCOUNT_WINDOW)
        .collect();
    let mut own_day: Vec<DateTime<Utc>> = recent
        .iter()
        .filter(|f| f.client == client)
        .map(|f| f.failed_at)
        .filter(|at| *at > now - ACCOUNT_WINDOW)
        .collect();
    let mut own: Vec<DateTime<Utc>> = own_day.iter().copied().filter(|at| *at > now - CLIENT_WINDOW).collect();
    let until = [
        reopens(&mut account, ACCOUNT_MAX_FAILURES, ACCOUNT_WINDOW),
        reopens(&mut own_day, CLIENT_DAILY_MAX_FAILURES, ACCOUNT_WINDOW),
        reopens(&mut own, CLIENT_MAX_FAILURES, CLIENT_WINDOW),
    ];
    match until.into_iter().flatten().max() {
        Some(until) => Err(until),
        None => Ok(()),
    }
}

/// With `times` inside a window of length `window`, when fewer than `max` will be: the
/// `max`-th newest plus the window. `None` when there are fewer already.
fn reopens(times: &mut [DateTime<Utc>], max: usize, window: Duration) -> Option<DateTime<Utc>> {
    if times.len() < max {
        return None;
    }
    times.sort_unstable_by(|a, b| b.cmp(a));
    times.get(max - 1).map(|at| *at + window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().expect("date")
    }

    fn failure(client: &str, at: DateTime<Utc>) -> SignInFailure {
        SignInFailure {
            id: Uuid::nil(),
            account: "ann@example.com".into(),
            client: client.into(),
            failed_at: at,
        }
    }

    #[test]
    fn the_sixth_try_from_one_client_waits_until_the_first_failure_leaves_the_window() {
        let now = t0();
        let recent: Vec<_> = (0..5).map(|i| failure("a", now + Duration::seconds(i))).collect();
        let later = now + Duration::seconds(10);
        assert_eq!(check(&recent, "a", later), Err(now + CLIENT_WINDOW));
        assert_eq!(check(&recent, "b", later), Ok(()), "another client is not held up");
        assert_eq!(check(&recent, "a", now + CLIENT_WINDOW + Duration::seconds(1)), Ok(()));
        assert_eq!(check(&recent[..4], "a", later), Ok(()), "four failures leave a try");
    }

    #[test]
    fn one_client_gets_twenty_failures_a_day_so_alone_it_cannot_reach_the_account_cap() {
        let now = t0();
        // Five every 15 minutes, as the short window allows, for an hour.
        let recent: Vec<_> = (0..CLIENT_DAILY_MAX_FAILURES as i64)
            .map(|i| failure("a", now + CLIENT_WINDOW * (i / 5) as i32 + Duration::seconds(i)))
            .collect();
        let later = now + Duration::hours(2);
        assert_eq!(check(&recent, "a", later), Err(now + ACCOUNT_WINDOW));
        assert_eq!(check(&recent, "b", later), Ok(()));
    }

    #[test]
    fn the_account_cap_holds_every_client() {
        let now = t0();
        let recent: Vec<_> = (0..ACCOUNT_MAX_FAILURES)
            .map(|i| failure(&format!("c{}", i % 25), now + Duration::seconds(i as i64)))
            .collect();
        let later = now + Duration::hours(1);
        assert_eq!(check(&recent, "fresh", later), Err(now + ACCOUNT_WINDOW));
        assert_eq!(
            check(&recent[1..], "fresh", later),
            Ok(()),
            "one fewer failure leaves a try"
        );
    }

    #[test]
    fn clients_are_addresses_and_ipv6_counts_by_its_64() {
        let v4: IpAddr = "203.0.113.7".parse().expect("ip");
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().expect("ip");
        assert_eq!(client_key(Some(v4)), "ip4:203.0.113.7");
        assert_eq!(client_key(Some(mapped)), client_key(Some(v4)));
        let a: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(client_key(Some(a)), client_key(Some(b)));
        assert_ne!(client_key(Some(a)), client_key(Some(c)));
        assert_eq!(client_key(None), "unknown");
        assert_eq!(account_key("  Ann@Example.COM "), "ann@example.com");
    }

    proptest! {
        /// Whatever the history, a refusal names a time in the future, and at that time the
        /// same history allows a try.
        #[test]
        fn a_refusal_ends_when_it_says(offsets in proptest::collection::vec((0i64..90_000, 0u8..4), 0..150)) {
            let now = t0() + ACCOUNT_WINDOW;
            let recent: Vec<_> = offsets
                .iter()
                .map(|(s, c)| failure(&format!("c{c}"), now - Duration::seconds(*s)))
                .collect();
            if let Err(until) = check(&recent, "c0", now) {
                prop_assert!(until > now);
                prop_assert_eq!(check(&recent, "c0", until), Ok(()));
            }
        }
    }
}
